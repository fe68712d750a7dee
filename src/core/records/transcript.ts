/** Claude Code session transcripts: `<config>/projects/<encoded-cwd>/<session>.jsonl`, one line at a time. */
import type { QuotaSignal, TokenCounts, ToolCallFragment, UsageRecord } from '../types.js';
import { fnv1a64 } from '../hash.js';
import { isRecord, recordOf, strOf, tryParseJson } from '../json-value.js';
import { limitSignalOf, toolResultFragments, toolUseFragments, usageRecordOf } from './message-facts.js';
import type { MessageContext } from './message-facts.js';
import { priceUsage } from '../usage/pricing.js';
import { toIsoUtc } from '../text.js';

export interface LineContext {
  path: string;
  sessionIdHint: string | null;
  agentIdHint: string | null;
  project: string | null;
}

export interface ParsedLine {
  kind: string;
  sessionId: string | null;
  ts: string | null;
  cwd: string | null;
  usage: UsageRecord | null;
  fragments: ToolCallFragment[];
  quota: QuotaSignal | null;
  /** a compact boundary (`system/compact_boundary`): from here the session no longer re-reads what came before */
  compaction?: Compaction;
}

export interface Compaction {
  sessionId: string;
  ts: string;
}

/** The compaction a `system/compact_boundary` line marks, when it names its session and time. */
export function compactionOf(kind: string, sessionId: string | null, ts: string | null): Compaction | undefined {
  return kind === 'system/compact_boundary' && sessionId !== null && ts !== null ? { sessionId, ts } : undefined;
}

export type ParseLineResult = { ok: true; value: ParsedLine } | { ok: false; reason: string };

const AGENT_FILE_RE = /^agent-(.+)\.jsonl$/i;

/**
 * Session, agent and project hints from a transcript path (`/` or `\` separators):
 * - `<project>/<session>.jsonl`: session = file name;
 * - `<project>/<session>/subagents/agent-<id>.jsonl` (2.1.x): session = the parent folder;
 * - `<project>/agent-<id>.jsonl` (2.0.x flat layout): no session hint (the lines carry it).
 * project = the folder after `projects`, else the folder holding the session.
 */
export function transcriptContextFromPath(path: string): LineContext {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  const file = parts[parts.length - 1] ?? '';
  const agent = AGENT_FILE_RE.exec(file);
  let sessionIdHint: string | null = null;
  let sessionFolderIndex = parts.length - 2; // index of the project folder for a main file
  if (agent !== null) {
    const parent = parts[parts.length - 2];
    if (parent !== undefined && parent.toLowerCase() === 'subagents' && parts.length >= 3) {
      sessionIdHint = parts[parts.length - 3] ?? null;
      sessionFolderIndex = parts.length - 4;
    }
  } else if (file.toLowerCase().endsWith('.jsonl')) {
    const base = file.slice(0, -'.jsonl'.length);
    sessionIdHint = base === '' ? null : base;
  }
  const projectsAt = lastIndexOfCi(parts, 'projects');
  let project: string | null = null;
  if (projectsAt >= 0 && projectsAt + 1 < parts.length - 1) project = parts[projectsAt + 1] ?? null;
  else if (sessionFolderIndex >= 0) project = parts[sessionFolderIndex] ?? null;
  return { path, sessionIdHint, agentIdHint: agent?.[1] ?? null, project };
}

function lastIndexOfCi(parts: string[], name: string): number {
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i]?.toLowerCase() === name) return i;
  return -1;
}

/** Parse one transcript line. Unknown line types give ok:true with empty facts. */
export function parseTranscriptLine(line: string, ctx: LineContext): ParseLineResult {
  if (typeof line !== 'string' || line.trim() === '') return { ok: false, reason: 'empty' };
  const parsed = tryParseJson(line);
  if (!parsed.ok) return { ok: false, reason: 'invalid-json' };
  const o = parsed.value;
  if (!isRecord(o)) return { ok: false, reason: 'not-an-object' };
  const type = strOf(o, 'type') ?? 'unknown';
  const subtype = strOf(o, 'subtype');
  const value: ParsedLine = {
    kind: type === 'system' && subtype !== null ? `system/${subtype}` : type,
    sessionId: strOf(o, 'sessionId', 'session_id') ?? ctx.sessionIdHint,
    ts: toIsoUtc(o['timestamp']),
    cwd: strOf(o, 'cwd'),
    usage: null,
    fragments: [],
    quota: null,
  };
  const compaction = compactionOf(value.kind, value.sessionId, value.ts);
  if (compaction !== undefined) value.compaction = compaction;
  const message = recordOf(o['message']);
  if (message === null || (type !== 'assistant' && type !== 'user')) return { ok: true, value };
  const c: MessageContext = {
    line: o,
    message,
    sessionId: value.sessionId,
    agentId: strOf(o, 'agentId', 'agent_id') ?? ctx.agentIdHint,
    project: ctx.project,
    ts: value.ts,
    cwd: value.cwd,
    isSidechain: o['isSidechain'] === true,
    source: 'transcript',
  };
  if (type === 'assistant') {
    value.usage = usageRecordOf(c, () => `line:${fnv1a64(line)}`);
    value.fragments = toolUseFragments(c);
    value.quota = limitSignalOf(c, 'transcript');
  } else {
    value.fragments = toolResultFragments(c, o['toolUseResult'] ?? o['tool_use_result']);
  }
  return { ok: true, value };
}

function total(u: UsageRecord): number {
  return u.inputTokens + u.outputTokens + u.cacheCreationTokens + u.cacheReadTokens;
}

/**
 * Merge two copies of one API response: the maximum of each token field, metadata from the
 * non-sidechain copy (else the larger one, else a), gaps filled from the other, cost re-priced.
 */
export function mergeUsage(a: UsageRecord, b: UsageRecord): UsageRecord {
  let main = a;
  let other = b;
  if (a.isSidechain !== b.isSidechain ? a.isSidechain : total(b) > total(a)) {
    main = b;
    other = a;
  }
  return withLargestCounts(
    {
      ...main,
      messageId: main.messageId ?? other.messageId,
      requestId: main.requestId ?? other.requestId,
      sessionId: main.sessionId ?? other.sessionId,
      agentId: main.agentId ?? other.agentId,
      project: main.project ?? other.project,
      model: main.model === 'unknown' ? other.model : main.model,
      ts: main.ts === '' ? other.ts : main.ts,
      speed: main.speed ?? other.speed,
      inferenceGeo: main.inferenceGeo ?? other.inferenceGeo ?? null,
    },
    a,
    b,
  );
}

/** The fields of a usage record that a merge of two copies chooses by its own rule. */
export type UsageDescription = Omit<UsageRecord, keyof TokenCounts | 'costUsd' | 'webSearchRequests'>;

/**
 * The merge of two copies of one API response, whatever rule chose `fields`: each token count and
 * the web searches are the larger of the two copies', and the cost is priced again from the result.
 */
export function withLargestCounts(fields: UsageDescription, a: UsageRecord, b: UsageRecord): UsageRecord {
  // Object.assign, not `{ ...fields, counts }`: V8 builds that literal some 40 times slower (new
  // properties on a spread copy), and ingestion merges tens of thousands of copies. The counts go
  // last: `fields` may carry a copy's own.
  const merged: UsageRecord = Object.assign({}, fields, {
    webSearchRequests: Math.max(a.webSearchRequests ?? 0, b.webSearchRequests ?? 0),
    costUsd: 0,
    inputTokens: Math.max(a.inputTokens, b.inputTokens),
    outputTokens: Math.max(a.outputTokens, b.outputTokens),
    cacheCreationTokens: Math.max(a.cacheCreationTokens, b.cacheCreationTokens),
    cacheCreation5mTokens: Math.max(a.cacheCreation5mTokens, b.cacheCreation5mTokens),
    cacheCreation1hTokens: Math.max(a.cacheCreation1hTokens, b.cacheCreation1hTokens),
    cacheReadTokens: Math.max(a.cacheReadTokens, b.cacheReadTokens),
  });
  merged.costUsd = priceUsage(merged.model, merged, {
    speed: merged.speed,
    inferenceGeo: merged.inferenceGeo ?? null,
    webSearchRequests: merged.webSearchRequests ?? 0,
    ts: merged.ts,
  }).costUsd;
  return merged;
}
