/**
 * Context efficiency over stored tool calls: maps `tool_calls` rows to the pure core functions
 * (core/context-efficiency, core/context-profile) and keeps `context_profiles` fresh.
 *
 * Session keys (the `session_key` of pattern_occurrences, as passed to refreshForPattern):
 * - `wf:<adw_id>`: the calls of that ADW workflow (`tool_calls.workflow_id`);
 * - anything else: a session id (`tool_calls.session_id`); when no call has that session id the
 *   key is tried as a workflow id, so a bare ADW id works too.
 *
 * Results are cached per session/workflow (64 entries) and reused while the connection's
 * total_changes() stamp is unchanged: any write to the store (the daemon is the single writer)
 * invalidates them, so a reused result is never stale.
 */
import { contextEfficiency, type ContextCall, type Efficiency } from '../../core/context-efficiency.js';
import { buildContextProfile } from '../../core/context-profile.js';
import type { ContextEfficiencyResult, ContextProfileInfo } from '../../rpc/protocol.js';
import type { Store } from '../store/store.js';
import type { ContextCallRow } from '../store/context-repo.js';

/** A profile is built from at most this many occurrences (the last ones given). */
export const MAX_PROFILE_SAMPLES = 50;
export const WORKFLOW_KEY_PREFIX = 'wf:';

const LOADING_TOOLS = new Set(['Read', 'NotebookRead', 'Grep', 'Glob']);
const SEARCH_TOOLS = new Set(['Grep', 'Glob']);

function stringList(json: string | null): string[] {
  if (json === null || json === '') return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function inputRecord(json: string | null): Record<string, unknown> {
  if (json === null) return {};
  try {
    const v: unknown = JSON.parse(json);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Files a Grep/Glob call brought in: its `loaded_paths` (filled from the response). Without them,
 * a content-mode Grep of one file that answered something loaded that file; otherwise nothing
 * (the searched `path` is a directory, never a loaded file).
 */
function searchFiles(r: ContextCallRow): string[] {
  const loaded = stringList(r.loaded_paths);
  if (loaded.length > 0 || r.response_bytes === 0) return loaded;
  const input = inputRecord(r.input_json);
  const path = input['path'];
  if (
    r.tool_name === 'Grep' &&
    input['output_mode'] === 'content' &&
    typeof path === 'string' &&
    /\.[A-Za-z0-9]{1,10}$/.test(path)
  ) {
    return [path];
  }
  return [];
}

/**
 * One stored call as the core sees it. The response text is not stored: loaded files come from
 * `loaded_paths` (so the core never has to detect a cut text). A Read/Grep/Glob whose response
 * was never seen (no end, no bytes, no error flag) loaded nothing and is left out (null).
 */
export function toContextCall(r: ContextCallRow): ContextCall | null {
  const isError = r.is_error === null ? null : r.is_error !== 0;
  if (LOADING_TOOLS.has(r.tool_name) && r.ended_at === null && r.response_bytes === 0 && isError === null) return null;
  let filePaths: string[];
  if (SEARCH_TOOLS.has(r.tool_name)) filePaths = searchFiles(r);
  else {
    filePaths = stringList(r.file_paths);
    for (const p of stringList(r.loaded_paths)) if (!filePaths.includes(p)) filePaths.push(p);
  }
  return {
    toolName: r.tool_name,
    inputJson: r.input_json,
    command: r.command,
    responseBytes: r.response_bytes,
    responseText: null,
    isError,
    cwd: r.cwd,
    filePaths,
  };
}

function efficiencyOf(rows: readonly ContextCallRow[]): Efficiency {
  const calls: ContextCall[] = [];
  for (const r of rows) {
    const c = toContextCall(r);
    if (c !== null) calls.push(c);
  }
  return contextEfficiency(calls);
}

/** Efficiencies kept for reuse while the store is unchanged (see ContextRepo.changeStamp). */
const CACHE_SIZE = 64;

export class ContextProfiler {
  private readonly cache = new Map<string, { stamp: string; value: Efficiency & { calls: number } }>();

  constructor(private readonly store: Store) {}

  /** The calls behind a session key (see the module comment). */
  rowsForKey(key: string): ContextCallRow[] {
    if (key.startsWith(WORKFLOW_KEY_PREFIX))
      return this.store.contextProfiles.callsForWorkflow(key.slice(WORKFLOW_KEY_PREFIX.length));
    const rows = this.store.contextProfiles.callsForSession(key);
    return rows.length > 0 ? rows : this.store.contextProfiles.callsForWorkflow(key);
  }

  /**
   * Efficiency of the calls of `cacheKey` (read by `rows`), reused while no row of the store
   * changed; null when there are no calls.
   */
  private computed(cacheKey: string, rows: () => readonly ContextCallRow[], sessionId: string | null = null): (Efficiency & { calls: number }) | null {
    // A session's result stays valid until ingestion touches that session; anything else until any write.
    const stamp = sessionId !== null ? `s${this.store.toolCalls.sessionGeneration(sessionId)}` : `c${this.store.contextProfiles.changeStamp()}`;
    const hit = this.cache.get(cacheKey);
    if (hit !== undefined && hit.stamp === stamp) {
      this.cache.delete(cacheKey); // most recently used goes last
      this.cache.set(cacheKey, hit);
      return hit.value;
    }
    const rs = rows();
    if (rs.length === 0) return null;
    const value = { calls: rs.length, ...efficiencyOf(rs) };
    this.cache.set(cacheKey, { stamp, value });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value ?? '');
    return value;
  }

  /** Efficiency of one session (sessionId wins when both are given) or workflow; null when it has no calls. */
  efficiencyFor(ref: { sessionId?: string; workflowId?: string }): ContextEfficiencyResult | null {
    if (ref.sessionId !== undefined) {
      const id = ref.sessionId;
      const e = this.computed(`s:${id}`, () => this.store.contextProfiles.callsForSession(id), id);
      return e === null ? null : { sessionId: id, ...e };
    }
    if (ref.workflowId !== undefined) {
      const id = ref.workflowId;
      const e = this.computed(`w:${id}`, () => this.store.contextProfiles.callsForWorkflow(id));
      return e === null ? null : { workflowId: id, ...e };
    }
    return null;
  }

  /**
   * Rebuilds and stores the profile of a pattern from its occurrences' session keys (duplicates
   * ignored; the last MAX_PROFILE_SAMPLES distinct keys, so pass them oldest first). Keys with no
   * stored calls are skipped; when none has any, nothing is stored and null is returned.
   */
  refreshForPattern(patternId: number, signature: string, sessionKeys: readonly string[]): ContextProfileInfo | null {
    const keys = [...new Set(sessionKeys)].slice(-MAX_PROFILE_SAMPLES);
    const occurrences: Efficiency[] = [];
    for (const key of keys) {
      const e = this.computed(`k:${key}`, () => this.rowsForKey(key));
      if (e !== null) occurrences.push(e);
    }
    if (occurrences.length === 0) return null;
    return this.store.contextProfiles.upsert(signature, patternId, buildContextProfile(occurrences));
  }
}
