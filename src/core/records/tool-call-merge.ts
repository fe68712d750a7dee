/**
 * How fragments of one tool call (hook Pre/Post, transcript tool_use/tool_result, stream-json)
 * combine into the call as kept. Pure: the store loads the call, applies these rules and writes it.
 */
import { parseTimestamp } from '../time.js';
import type { ToolCallFragment } from '../types.js';
import type { PathLists, StoredCall } from './stored-call.js';

/** A call has ended once a source saw its end: a timestamped end, or a hook Post (array logs carry no times). */
export const isEnded = (r: Pick<StoredCall, 'ended_at' | 'sources'>): boolean =>
  r.ended_at !== null || r.sources.split(',').includes('hook-post');

const ms = (iso: string | null | undefined): number | null => (iso ? parseTimestamp(iso) : null);

/*
 * Merge rules. Every field is combined with an operation that is commutative and associative
 * (a maximum or minimum over a total order, with null as the bottom), so the row a call ends up
 * with does not depend on the order its fragments arrive in: a hook before or after the
 * transcript, a restart after a crash in the middle of a file, a backfill of older files.
 */
const maxStr = (a: string | null, b: string | null | undefined): string | null => {
  if (b === undefined || b === null) return a;
  if (a === null) return b;
  return b > a ? b : a;
};
/** the richer of two texts: the longer, then the larger */
const richer = (a: string | null, b: string | null | undefined): string | null => {
  if (b === undefined || b === null) return a;
  if (a === null) return b;
  if (a.length !== b.length) return b.length > a.length ? b : a;
  return b > a ? b : a;
};
/** b when it parses and a does not, or is later (or earlier) than a by time, then by text; else a. */
const pickTime = (a: string | null, b: string | null | undefined, later: boolean): string | null => {
  const db = ms(b);
  if (b === undefined || b === null || db === null) return a;
  const da = ms(a);
  if (a === null || da === null) return b;
  const bWins = db === da ? (later ? b > a : b < a) : later ? db > da : db < da;
  return bWins ? b : a;
};
const earliest = (a: string | null, b: string | null | undefined): string | null => pickTime(a, b, false);
const latest = (a: string | null, b: string | null | undefined): string | null => pickTime(a, b, true);
/** exit codes: unknown < 0 < any failure; between failures the larger */
const exitRank = (v: number | null): number => (v === null ? -Infinity : v === 0 ? -1e15 : v);
const maxExit = (a: number | null, b: number | null | undefined): number | null => {
  if (b === undefined || b === null) return a;
  return exitRank(b) > exitRank(a) ? b : a;
};
const maxFlag = (a: number | null, b: boolean | null | undefined): number | null => {
  if (b === undefined || b === null) return a;
  const v = b ? 1 : 0;
  return a === null || v > a ? v : a;
};
const span = (startedAt: string | null, endedAt: string | null): number | null => {
  const s = ms(startedAt);
  const e = ms(endedAt);
  if (s === null || e === null) return null;
  const d = e - s;
  return d >= 0 && d < 24 * 3600 * 1000 ? d : null;
};
const sourceToken = (f: ToolCallFragment, side: HookSide | undefined): string =>
  f.source === 'hook' && side ? `hook-${side}` : f.source;
const addSource = (sources: string, token: string): string => {
  const set = new Set(sources === '' ? [] : sources.split(','));
  set.add(token);
  return [...set].sort().join(',');
};

/** Which half of a hook-observed call a fragment is: PreToolUse, or PostToolUse(Failure). */
export type HookSide = 'pre' | 'post';

/** A new row from a call's first fragment. */
export function callFromFragment(
  f: ToolCallFragment,
  workflowId: string | null,
  side: HookSide | undefined,
  now: string,
  known?: PathLists,
): StoredCall {
  const startedAt = f.startedAt ?? null;
  const endedAt = f.endedAt ?? null;
  return {
    call_key: f.callKey,
    tool_use_id: f.toolUseId,
    session_id: f.sessionId ?? null,
    agent_id: f.agentId ?? null,
    workflow_id: workflowId,
    model: f.model ?? null,
    tool_name: f.toolName ?? 'unknown',
    command: f.command ?? null,
    signature: null,
    cwd: f.cwd ?? null,
    input_json: f.inputJson ?? null,
    input_bytes: f.inputBytes ?? 0,
    response_bytes: f.responseBytes ?? 0,
    est_tokens: Math.ceil(((f.inputBytes ?? 0) + (f.responseBytes ?? 0)) / 4),
    exit_code: f.exitCode ?? null,
    is_error: f.isError === undefined || f.isError === null ? null : f.isError ? 1 : 0,
    interrupted: f.interrupted ? 1 : 0,
    duration_ms: f.durationMs ?? span(startedAt, endedAt),
    started_at: startedAt,
    ended_at: endedAt,
    ts_ms: ms(startedAt) ?? ms(endedAt),
    sources: sourceToken(f, side),
    file_paths: pathsJson(f.filePaths, known),
    loaded_paths: pathsJson(f.loadedPaths, known),
    // filled when the call is written
    context_facts: null,
    learned: 0,
    updated_at: now,
  };
}

/** The stored JSON of a path list; `known` keeps the list by its JSON (not to parse it back). */
function pathsJson(paths: readonly string[] | undefined, known?: PathLists): string | null {
  if (!paths || paths.length === 0) return null;
  const kept = paths.slice(0, 500);
  const json = JSON.stringify(kept);
  known?.set(json, kept);
  return json;
}

/** The row after one more fragment. */
export function combineCall(
  prev: StoredCall,
  f: ToolCallFragment,
  workflowId: string | null,
  side: HookSide | undefined,
  now: string,
  known?: PathLists,
): StoredCall {
  const startedAt = earliest(prev.started_at, f.startedAt);
  const endedAt = latest(prev.ended_at, f.endedAt);
  const inputBytes = Math.max(prev.input_bytes, f.inputBytes ?? 0);
  const responseBytes = Math.max(prev.response_bytes, f.responseBytes ?? 0);
  // a measured duration (hook duration_ms) beats one computed from the timestamps
  const prevMeasured =
    prev.duration_ms !== null && prev.duration_ms !== span(prev.started_at, prev.ended_at) ? prev.duration_ms : null;
  const measured =
    f.durationMs === undefined || f.durationMs === null ? prevMeasured : Math.max(prevMeasured ?? -1, f.durationMs);
  const toolName =
    prev.tool_name === 'unknown'
      ? (f.toolName ?? 'unknown')
      : f.toolName && f.toolName !== 'unknown'
        ? (maxStr(prev.tool_name, f.toolName) ?? prev.tool_name)
        : prev.tool_name;
  return {
    call_key: prev.call_key,
    tool_use_id: maxStr(prev.tool_use_id, f.toolUseId),
    session_id: maxStr(prev.session_id, f.sessionId),
    agent_id: maxStr(prev.agent_id, f.agentId),
    workflow_id: maxStr(prev.workflow_id, workflowId),
    model: maxStr(prev.model, f.model),
    tool_name: toolName,
    command: richer(prev.command, f.command),
    signature: prev.signature,
    cwd: maxStr(prev.cwd, f.cwd),
    input_json: richer(prev.input_json, f.inputJson),
    input_bytes: inputBytes,
    response_bytes: responseBytes,
    est_tokens: Math.ceil((inputBytes + responseBytes) / 4),
    exit_code: maxExit(prev.exit_code, f.exitCode),
    is_error: maxFlag(prev.is_error, f.isError),
    interrupted: f.interrupted || prev.interrupted ? 1 : 0,
    duration_ms: measured ?? span(startedAt, endedAt),
    started_at: startedAt,
    ended_at: endedAt,
    ts_ms: ms(startedAt) ?? ms(endedAt),
    sources: addSource(prev.sources, sourceToken(f, side)),
    file_paths: richer(prev.file_paths, pathsJson(f.filePaths, known)),
    loaded_paths: richer(prev.loaded_paths, pathsJson(f.loadedPaths, known)),
    // set when the call is written
    context_facts: prev.context_facts,
    // a call that gains its end after being learned stays learned; learning only reads ended calls
    learned: prev.learned,
    updated_at: now,
  };
}
