/** `claude -p --output-format stream-json` lines (ADW raw_output.jsonl) and raw_output.json arrays. */
import type { TokenCounts } from '../types.js';
import { fnv1a64 } from '../hash.js';
import { count, isRecord, num, numOf, recordOf, strOf, tryParseJson } from '../json-value.js';
import type { JsonRecord } from '../json-value.js';
import { recoverJsonArray } from './json-array-recover.js';
import { limitSignalOf, toolResultFragments, toolUseFragments, usageRecordOf } from './message-facts.js';
import type { MessageContext } from './message-facts.js';
import { epochToIso, toIsoUtc } from '../text.js';
import { compactionOf, type ParsedLine } from './transcript.js';

export type ModelUsageEntry = TokenCounts & { costUsd: number | null };

export interface StreamResult {
  totalCostUsd: number | null;
  durationMs: number | null;
  isError: boolean;
  subtype: string | null;
  numTurns: number | null;
  modelUsage: Record<string, ModelUsageEntry>;
}

export interface StreamLineFacts extends ParsedLine {
  result: StreamResult | null;
  initModel: string | null;
}

export interface StreamLineContext {
  adwId: string | null;
  agentName: string | null;
  path: string;
  /** Time to use when a line has no `timestamp` (most stream-json lines): e.g. the file mtime. */
  fallbackTs?: string | null;
}

export type StreamLineResult = { ok: true; value: StreamLineFacts } | { ok: false; reason: string };

/**
 * Parse one stream-json message (one line of raw_output.jsonl, or one element of raw_output.json;
 * Python re-serialized JSON with spaces is just JSON). `parent_tool_use_id` marks subagent
 * messages: their usage is a sidechain and their agentId is that Agent/Task tool_use id.
 */
export function parseStreamJsonLine(line: string, ctx: StreamLineContext): StreamLineResult {
  if (typeof line !== 'string' || line.trim() === '') return { ok: false, reason: 'empty' };
  const parsed = tryParseJson(line);
  if (!parsed.ok) return { ok: false, reason: 'invalid-json' };
  const o = parsed.value;
  if (!isRecord(o)) return { ok: false, reason: 'not-an-object' };
  const type = strOf(o, 'type') ?? 'unknown';
  const subtype = strOf(o, 'subtype');
  const lineTs = toIsoUtc(o['timestamp']);
  const value: StreamLineFacts = {
    kind: type === 'system' && subtype !== null ? `system/${subtype}` : type,
    sessionId: strOf(o, 'session_id', 'sessionId'),
    ts: lineTs,
    cwd: strOf(o, 'cwd'),
    usage: null,
    fragments: [],
    quota: null,
    result: null,
    initModel: type === 'system' && subtype === 'init' ? strOf(o, 'model') : null,
  };
  const ts = lineTs ?? (ctx.fallbackTs === undefined || ctx.fallbackTs === null ? null : toIsoUtc(ctx.fallbackTs));
  if (type === 'result') {
    value.result = resultOf(o);
    return { ok: true, value };
  }
  if (type === 'rate_limit_event') {
    value.quota = rateLimitSignal(o, value.sessionId, ts);
    return { ok: true, value };
  }
  const compaction = compactionOf(value.kind, value.sessionId, ts);
  if (compaction !== undefined) value.compaction = compaction;
  const message = recordOf(o['message']);
  if (message === null || (type !== 'assistant' && type !== 'user')) return { ok: true, value };
  const parent = strOf(o, 'parent_tool_use_id', 'parentToolUseId');
  const c: MessageContext = {
    line: o,
    message,
    sessionId: value.sessionId,
    agentId: parent,
    project: null,
    ts,
    undated: lineTs === null,
    cwd: value.cwd,
    isSidechain: parent !== null,
    source: 'stream',
  };
  if (type === 'assistant') {
    value.usage = usageRecordOf(c, () => `line:${fnv1a64(line)}`);
    value.fragments = toolUseFragments(c);
    value.quota = limitSignalOf(c, 'stream');
  } else {
    value.fragments = toolResultFragments(c, o['tool_use_result'] ?? o['toolUseResult']);
  }
  return { ok: true, value };
}

function resultOf(o: JsonRecord): StreamResult {
  const modelUsage: Record<string, ModelUsageEntry> = {};
  const mu = recordOf(o['modelUsage']);
  if (mu !== null) {
    for (const [model, v] of Object.entries(mu)) {
      if (!isRecord(v)) continue;
      const cacheCreation = count(v['cacheCreationInputTokens']);
      modelUsage[model] = {
        inputTokens: count(v['inputTokens']),
        outputTokens: count(v['outputTokens']),
        cacheCreationTokens: cacheCreation,
        cacheCreation5mTokens: cacheCreation,
        cacheCreation1hTokens: 0,
        cacheReadTokens: count(v['cacheReadInputTokens']),
        costUsd: numOf(v, 'costUSD', 'costUsd', 'cost_usd'),
      };
    }
  }
  const subtype = strOf(o, 'subtype');
  return {
    totalCostUsd: numOf(o, 'total_cost_usd', 'total_cost', 'cost_usd'),
    durationMs: numOf(o, 'duration_ms'),
    isError: o['is_error'] === true || (subtype !== null && subtype.startsWith('error')),
    subtype,
    numTurns: numOf(o, 'num_turns'),
    modelUsage,
  };
}

function rateLimitSignal(o: JsonRecord, sessionId: string | null, ts: string | null): StreamLineFacts['quota'] {
  const info = recordOf(o['rate_limit_info']);
  if (info === null || ts === null) return null;
  const kind = strOf(info, 'rateLimitType', 'rate_limit_type');
  const resets = num(info['resetsAt']) ?? num(info['resets_at']);
  const resetsAt = resets !== null ? epochToIso(resets) : toIsoUtc(info['resetsAt']);
  const util = num(info['utilization']);
  let pct = util === null ? null : util <= 1 ? util * 100 : util;
  if (info['status'] === 'rejected') pct = 100;
  // only the two windows every plan has; per-model weekly windows (seven_day_opus...) are skipped
  const sevenDay = kind === 'seven_day';
  const fiveHour = kind === 'five_hour';
  if (!sevenDay && !fiveHour) return null;
  return {
    ts,
    sessionId,
    fiveHourPct: fiveHour ? pct : null,
    fiveHourResetsAt: fiveHour ? resetsAt : null,
    sevenDayPct: sevenDay ? pct : null,
    sevenDayResetsAt: sevenDay ? resetsAt : null,
    sessionCostUsd: null,
    source: 'stream',
  };
}

/** The elements of a raw_output.json array (recovering a truncated or padded file) as lines. */
export function streamJsonArrayLines(text: string): string[] {
  return recoverJsonArray(text).elements;
}
