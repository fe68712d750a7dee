/** Per-agent summary of an ADW agent's stream-json output (raw_output.jsonl). */
import type { TokenCounts, UsageRecord } from '../types.js';
import { emptyTokens, SYNTHETIC_MODEL } from '../usage/pricing.js';
import { parseStreamJsonLine } from './stream-json.js';
import type { StreamResult } from './stream-json.js';
import { mergeUsage } from './transcript.js';

export interface AgentSummary {
  agentName: string;
  phase: string;
  models: string[];
  tokens: TokenCounts;
  pricedCostUsd: number;
  reportedCostUsd: number | null;
  durationMs: number | null;
  hadResult: boolean;
  isError: boolean;
  firstTs: string | null;
  lastTs: string | null;
}

export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheCreationTokens: a.cacheCreationTokens + b.cacheCreationTokens,
    cacheCreation5mTokens: a.cacheCreation5mTokens + b.cacheCreation5mTokens,
    cacheCreation1hTokens: a.cacheCreation1hTokens + b.cacheCreation1hTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
  };
}

/**
 * Tokens: the deduplicated usage records (max of each field per message.id), raised field by
 * field to the result line's modelUsage totals when present (they cover subagents and carry the
 * final output counts). Cost: the result line's total_cost_usd when present, else priced.
 */
export function summarizeAgentOutputWith(agentName: string, phase: string, lines: readonly string[]): AgentSummary {
  const usage = new Map<string, UsageRecord>();
  const models: string[] = [];
  const addModel = (m: string | null): void => {
    if (m !== null && m !== '' && m !== 'unknown' && m !== SYNTHETIC_MODEL && !models.includes(m)) models.push(m);
  };
  let result: StreamResult | null = null;
  let initModel: string | null = null;
  let firstTs: string | null = null;
  let lastTs: string | null = null;
  const ctx = { adwId: null, agentName, path: '' };
  for (const line of lines) {
    const r = parseStreamJsonLine(line, ctx);
    if (!r.ok) continue;
    const v = r.value;
    if (v.ts !== null) {
      if (firstTs === null || v.ts < firstTs) firstTs = v.ts;
      if (lastTs === null || v.ts > lastTs) lastTs = v.ts;
    }
    if (v.initModel !== null && initModel === null) initModel = v.initModel;
    if (v.result !== null) result = v.result;
    if (v.usage !== null) {
      const prev = usage.get(v.usage.dedupKey);
      usage.set(v.usage.dedupKey, prev === undefined ? v.usage : mergeUsage(prev, v.usage));
      addModel(v.usage.model);
    }
  }
  let tokens = emptyTokens();
  let priced = 0;
  for (const u of usage.values()) {
    tokens = addTokens(tokens, u);
    priced += u.costUsd;
  }
  if (result !== null) {
    let mu = emptyTokens();
    for (const [model, e] of Object.entries(result.modelUsage)) {
      mu = addTokens(mu, e);
      addModel(model);
    }
    tokens = raiseTo(tokens, mu);
  }
  if (models.length === 0) addModel(initModel);
  const span = firstTs !== null && lastTs !== null ? Date.parse(lastTs) - Date.parse(firstTs) : null;
  return {
    agentName,
    phase,
    models,
    tokens,
    pricedCostUsd: priced,
    reportedCostUsd: result?.totalCostUsd ?? null,
    durationMs: result?.durationMs ?? (span !== null && span > 0 ? span : null),
    hadResult: result !== null,
    isError: result?.isError ?? false,
    firstTs,
    lastTs,
  };
}

function raiseTo(t: TokenCounts, floor: TokenCounts): TokenCounts {
  const cacheCreationTokens = Math.max(t.cacheCreationTokens, floor.cacheCreationTokens);
  return {
    inputTokens: Math.max(t.inputTokens, floor.inputTokens),
    outputTokens: Math.max(t.outputTokens, floor.outputTokens),
    cacheCreationTokens,
    cacheCreation5mTokens: cacheCreationTokens - t.cacheCreation1hTokens,
    cacheCreation1hTokens: t.cacheCreation1hTokens,
    cacheReadTokens: Math.max(t.cacheReadTokens, floor.cacheReadTokens),
  };
}
