/** Hook payloads (snake_case Claude Code, camelCase other CLIs, custom loggers) → HookEvent. */
import { bashResponseText, isBashTool, keptOutput } from './tool-call-output.js';
import type { HookEvent, QuotaSignal, ToolCallFragment } from '../types.js';
import { isRecord, num, numOf, recordOf, safeStringify, strOf, tryParseJson, valueOf } from '../json-value.js';
import type { JsonRecord } from '../json-value.js';
import { epochToIso, toIsoUtc } from '../text.js';
import { describeToolInput, exitCodeInText, loadedPathsOf, responseBytes } from './tool-call-input.js';

export type NormalizeResult = { ok: true; event: HookEvent } | { ok: false; reason: string };

export function normalizeHookPayload(raw: string, receivedAt: string | null): NormalizeResult {
  if (typeof raw !== 'string') return { ok: false, reason: 'not-a-string' };
  if (raw.trim() === '') return { ok: false, reason: 'empty' };
  const parsed = tryParseJson(raw);
  if (!parsed.ok) return { ok: false, reason: 'invalid-json' };
  const o = parsed.value;
  if (!isRecord(o)) return { ok: false, reason: 'not-an-object' };
  const event = strOf(o, 'hook_event_name', 'hookEventName');
  if (event === null) {
    return { ok: false, reason: looksLikeStatusLine(o) ? 'statusline-record' : 'missing-event-name' };
  }
  const payloadTs = toIsoUtc(valueOf(o, 'logged_at', 'loggedAt', 'timestamp'));
  const error = valueOf(o, 'error');
  return {
    ok: true,
    event: {
      sessionId: strOf(o, 'session_id', 'sessionId'),
      event,
      toolName: strOf(o, 'tool_name', 'toolName'),
      toolUseId: strOf(o, 'tool_use_id', 'toolUseId'),
      agentId: strOf(o, 'agent_id', 'agentId'),
      agentType: strOf(o, 'agent_type', 'agentType'),
      cwd: strOf(o, 'cwd'),
      transcriptPath: strOf(o, 'transcript_path', 'transcriptPath'),
      ts: payloadTs ?? (receivedAt === null ? null : toIsoUtc(receivedAt)),
      toolInput: valueOf(o, 'tool_input', 'toolInput') ?? null,
      toolResponse: valueOf(o, 'tool_response', 'toolResponse') ?? null,
      durationMs: nonNegative(numOf(o, 'duration_ms', 'durationMs')),
      error: typeof error === 'string' ? error : error === undefined || error === null ? null : safeStringify(error),
      isInterrupt: valueOf(o, 'is_interrupt', 'isInterrupt') === true,
      raw,
    },
  };
}

function nonNegative(n: number | null): number | null {
  return n !== null && n >= 0 ? n : null;
}

function looksLikeStatusLine(o: JsonRecord): boolean {
  if (isRecord(o['input_data']) || 'status_line_output' in o) return true;
  return isRecord(o['rate_limits']) || (isRecord(o['cost']) && isRecord(o['context_window']));
}

const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure']);
const EXIT_KEYS = ['exit_code', 'exitCode', 'returncode', 'return_code', 'returnCode', 'code'] as const;

/** One fragment for PreToolUse / PostToolUse / PostToolUseFailure, none for other events. */
export function hookEventToFragments(ev: HookEvent, seq: number): ToolCallFragment[] {
  if (!TOOL_EVENTS.has(ev.event)) return [];
  const frag: ToolCallFragment = {
    callKey: ev.toolUseId ?? `hook:${ev.sessionId ?? ''}:${ev.event}:${seq}`,
    toolUseId: ev.toolUseId,
    source: 'hook',
    sessionId: ev.sessionId,
    agentId: ev.agentId,
    cwd: ev.cwd,
  };
  if (ev.toolName !== null) frag.toolName = ev.toolName;
  if (ev.toolInput !== null) {
    const d = describeToolInput(ev.toolName, ev.toolInput);
    frag.command = d.command;
    frag.inputJson = d.inputJson;
    frag.inputBytes = d.inputBytes;
    if (d.filePaths.length > 0) frag.filePaths = d.filePaths;
  }
  if (ev.event === 'PreToolUse') {
    frag.startedAt = ev.ts;
    return [frag];
  }
  frag.endedAt = ev.ts;
  if (ev.durationMs !== null) frag.durationMs = ev.durationMs;
  if (ev.event === 'PostToolUseFailure') {
    const text = ev.error ?? (typeof ev.toolResponse === 'string' ? ev.toolResponse : '');
    const code = exitCodeInText(text);
    frag.isError = true;
    frag.interrupted = ev.isInterrupt;
    frag.exitCode = code ?? (ev.isInterrupt ? null : 1);
    const bytes = responseBytes(ev.error ?? ev.toolResponse);
    if (bytes !== null) frag.responseBytes = bytes;
    if (isBashTool(ev.toolName)) frag.output = keptOutput(text);
    return [frag];
  }
  // PostToolUse
  const resp = recordOf(ev.toolResponse);
  const interrupted = resp?.['interrupted'] === true;
  let explicit: number | null = null;
  if (resp !== null) {
    for (const k of EXIT_KEYS) {
      const n = num(resp[k]);
      if (n !== null && Number.isInteger(n)) {
        explicit = n;
        break;
      }
    }
  }
  const flaggedError = resp !== null && (resp['is_error'] === true || resp['isError'] === true);
  frag.interrupted = interrupted;
  frag.exitCode = interrupted ? null : (explicit ?? 0);
  frag.isError = interrupted || flaggedError || (explicit !== null && explicit !== 0);
  const bytes = responseBytes(ev.toolResponse);
  if (bytes !== null) frag.responseBytes = bytes;
  const loaded = loadedPathsOf(ev.toolName, ev.toolInput, ev.toolResponse, frag.isError);
  if (loaded.length > 0) frag.loadedPaths = loaded;
  const printed = isBashTool(ev.toolName) ? bashResponseText(ev.toolResponse) : null;
  if (printed !== null) frag.output = keptOutput(printed);
  return [frag];
}

/**
 * Quota facts from a status-line payload: the raw statusline stdin JSON, a logged record
 * `{timestamp, input_data, status_line_output}`, or its JSON text. ts = the record's timestamp,
 * else the payload's, else receivedAt; null when there is no time or no quota field at all.
 */
export function parseStatusLineRecord(value: unknown, receivedAt: string | null = null): QuotaSignal | null {
  let v = value;
  if (typeof v === 'string') {
    const p = tryParseJson(v);
    if (!p.ok) return null;
    v = p.value;
  }
  if (!isRecord(v)) return null;
  const payload = recordOf(v['input_data']) ?? v;
  const limits = recordOf(payload['rate_limits']);
  const five = recordOf(limits?.['five_hour']);
  const seven = recordOf(limits?.['seven_day']);
  const cost = recordOf(payload['cost']);
  const fiveHourPct = five === null ? null : num(five['used_percentage']);
  const sevenDayPct = seven === null ? null : num(seven['used_percentage']);
  const sessionCostUsd = cost === null ? null : num(cost['total_cost_usd']);
  const fiveHourResetsAt = resetTime(five?.['resets_at']);
  const sevenDayResetsAt = resetTime(seven?.['resets_at']);
  if (
    fiveHourPct === null &&
    sevenDayPct === null &&
    sessionCostUsd === null &&
    fiveHourResetsAt === null &&
    sevenDayResetsAt === null
  ) {
    return null;
  }
  const ts =
    toIsoUtc(valueOf(v, 'timestamp', 'logged_at')) ??
    toIsoUtc(payload['timestamp']) ??
    (receivedAt === null ? null : toIsoUtc(receivedAt));
  if (ts === null) return null;
  return {
    ts,
    sessionId: strOf(payload, 'session_id', 'sessionId'),
    fiveHourPct,
    fiveHourResetsAt,
    sevenDayPct,
    sevenDayResetsAt,
    sessionCostUsd,
    source: 'statusline',
  };
}

function resetTime(v: unknown): string | null {
  if (typeof v === 'number') return epochToIso(v);
  return toIsoUtc(v);
}
