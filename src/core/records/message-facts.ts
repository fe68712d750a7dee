/**
 * Facts shared by transcript lines and stream-json lines: usage records from assistant
 * messages, tool_use / tool_result fragments, and usage-limit signals.
 */
import type { QuotaSignal, TokenCounts, ToolCallFragment, ToolCallSource, UsageRecord } from '../types.js';
import { count, isRecord, recordOf, str, strOf } from '../json-value.js';
import type { JsonRecord } from '../json-value.js';
import { priceUsage } from '../usage/pricing.js';
import { epochToIso, utf8ByteLength } from '../text.js';
import { keptOutput, mayBeBashResult } from './tool-call-output.js';
import { describeToolInput, exitCodeAtStart, loadedPathsOf, responseBytes } from './tool-call-input.js';

export interface UsageFacts extends TokenCounts {
  speed: string | null;
  inferenceGeo: string | null;
  webSearchRequests: number;
}

/** Token counts of an API `usage` object; cache writes without a TTL split count as 5-minute. */
export function usageFacts(u: JsonRecord): UsageFacts {
  const cacheCreationTokens = count(u['cache_creation_input_tokens']);
  const split = recordOf(u['cache_creation']);
  const w1h = split === null ? 0 : count(split['ephemeral_1h_input_tokens']);
  const w5 = split === null ? cacheCreationTokens : count(split['ephemeral_5m_input_tokens']);
  const server = recordOf(u['server_tool_use']);
  return {
    inputTokens: count(u['input_tokens']),
    outputTokens: count(u['output_tokens']),
    cacheCreationTokens: Math.max(cacheCreationTokens, w5 + w1h),
    cacheCreation5mTokens: w5,
    cacheCreation1hTokens: w1h,
    cacheReadTokens: count(u['cache_read_input_tokens']),
    speed: str(u['speed']),
    inferenceGeo: str(u['inference_geo']),
    webSearchRequests: server === null ? 0 : count(server['web_search_requests']),
  };
}

export interface MessageContext {
  line: JsonRecord;
  message: JsonRecord;
  sessionId: string | null;
  agentId: string | null;
  project: string | null;
  ts: string | null;
  /** `ts` is a stand-in (the file's time), not the line's own */
  undated?: boolean;
  cwd: string | null;
  isSidechain: boolean;
  source: ToolCallSource;
}

/**
 * UsageRecord of an assistant message, or null when it carries no usage. `fallbackKey` (the dedup
 * key when the message has no id, requestId or uuid) may be a function: it is then only computed
 * when needed (hashing every line costs more than parsing it).
 */
export function usageRecordOf(c: MessageContext, fallbackKey: string | (() => string)): UsageRecord | null {
  const u = recordOf(c.message['usage']);
  if (u === null) return null;
  const f = usageFacts(u);
  const messageId = strOf(c.message, 'id');
  const requestId = strOf(c.line, 'requestId', 'request_id');
  const model = strOf(c.message, 'model') ?? 'unknown';
  const ts = c.ts ?? '';
  const { costUsd } = priceUsage(model, f, {
    speed: f.speed,
    inferenceGeo: f.inferenceGeo,
    webSearchRequests: f.webSearchRequests,
    ts,
  });
  return {
    dedupKey:
      messageId ??
      requestId ??
      strOf(c.line, 'uuid') ??
      (typeof fallbackKey === 'string' ? fallbackKey : fallbackKey()),
    messageId,
    requestId,
    sessionId: c.sessionId,
    agentId: c.agentId,
    project: c.project,
    model,
    ts,
    isSidechain: c.isSidechain,
    speed: f.speed,
    costUsd,
    inputTokens: f.inputTokens,
    outputTokens: f.outputTokens,
    cacheCreationTokens: f.cacheCreationTokens,
    cacheCreation5mTokens: f.cacheCreation5mTokens,
    cacheCreation1hTokens: f.cacheCreation1hTokens,
    cacheReadTokens: f.cacheReadTokens,
    inferenceGeo: f.inferenceGeo,
    webSearchRequests: f.webSearchRequests,
    ...(c.undated === true ? { undated: true } : {}),
  };
}

function contentBlocks(message: JsonRecord): JsonRecord[] {
  const content = message['content'];
  return Array.isArray(content) ? content.filter(isRecord) : [];
}

/** One fragment per tool_use block of an assistant message. */
export function toolUseFragments(c: MessageContext): ToolCallFragment[] {
  const model = strOf(c.message, 'model');
  const out: ToolCallFragment[] = [];
  for (const b of contentBlocks(c.message)) {
    if (b['type'] !== 'tool_use') continue;
    const id = str(b['id']);
    if (id === null) continue;
    const toolName = str(b['name']);
    const d = describeToolInput(toolName, b['input']);
    const frag: ToolCallFragment = {
      callKey: id,
      toolUseId: id,
      source: c.source,
      sessionId: c.sessionId,
      agentId: c.agentId,
      model,
      cwd: c.cwd,
      command: d.command,
      inputJson: d.inputJson,
      inputBytes: d.inputBytes,
      startedAt: c.ts,
    };
    if (toolName !== null) frag.toolName = toolName;
    if (d.filePaths.length > 0) frag.filePaths = d.filePaths;
    out.push(frag);
  }
  return out;
}

/** Text of a tool_result content: the string, or the text of its text blocks. */
export function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let s = '';
  for (const b of content) {
    if (isRecord(b) && typeof b['text'] === 'string') s += b['text'];
  }
  return s;
}

/** One fragment per tool_result block of a user message. */
export function toolResultFragments(c: MessageContext, toolUseResult: unknown): ToolCallFragment[] {
  const results = contentBlocks(c.message).filter((b) => b['type'] === 'tool_result');
  const structured = recordOf(toolUseResult);
  const interrupted = structured?.['interrupted'] === true;
  const out: ToolCallFragment[] = [];
  for (const b of results) {
    const id = str(b['tool_use_id']);
    if (id === null) continue;
    const text = toolResultText(b['content']);
    const isError = b['is_error'] === true;
    const single = results.length === 1 ? responseBytes(toolUseResult) : null;
    const mine = results.length === 1 ? interrupted : false;
    // the tool name is on the tool_use line: judge the response by its shape (structured, else text)
    const shaped = results.length === 1 && toolUseResult !== undefined && toolUseResult !== null ? toolUseResult : text;
    const loaded = loadedPathsOf(null, null, shaped, isError);
    const bashLike = results.length === 1 ? mayBeBashResult(toolUseResult) : true;
    out.push({
      callKey: id,
      toolUseId: id,
      source: c.source,
      sessionId: c.sessionId,
      agentId: c.agentId,
      cwd: c.cwd,
      endedAt: c.ts,
      isError,
      interrupted: mine,
      exitCode: mine ? null : isError ? (exitCodeAtStart(text) ?? 1) : 0,
      responseBytes: single ?? utf8ByteLength(text),
      ...(loaded.length > 0 ? { loadedPaths: loaded } : {}),
      // the text the agent read; kept by the store only when the call turns out to be Bash
      ...(bashLike ? { output: keptOutput(text) } : {}),
    });
  }
  return out;
}

const OLD_LIMIT_RE = /usage limit reached\|(\d{9,13})/i;

/** QuotaSignal from a synthetic usage-limit message (the assistant text Claude Code writes when a usage limit is hit), else null. */
export function limitSignalOf(c: MessageContext, source: QuotaSignal['source']): QuotaSignal | null {
  if (c.ts === null || c.ts === '') return null;
  const text = toolResultText(c.message['content']);
  const base: QuotaSignal = {
    ts: c.ts,
    sessionId: c.sessionId,
    fiveHourPct: null,
    fiveHourResetsAt: null,
    sevenDayPct: null,
    sevenDayResetsAt: null,
    sessionCostUsd: null,
    source,
  };
  const old = OLD_LIMIT_RE.exec(text);
  if (old?.[1] !== undefined) {
    return { ...base, fiveHourPct: 100, fiveHourResetsAt: epochToIso(Number(old[1])) };
  }
  const isLimit = c.line['error'] === 'rate_limit' || c.line['isApiErrorMessage'] === true;
  if (!isLimit) return null;
  if (/hit your (?:session|5-hour) limit/i.test(text)) return { ...base, fiveHourPct: 100 };
  if (/hit your weekly limit/i.test(text)) return { ...base, sevenDayPct: 100 };
  return null;
}
