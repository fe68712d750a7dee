/**
 * Context efficiency over stored tool calls: runs the pure core functions (core/context/efficiency,
 * core/context/profile) over the context facts stored with each call (core/context/context-call.ts) and
 * keeps `context_profiles` fresh.
 *
 * Session keys (the `session_key` of pattern_occurrences, as passed to refreshForPattern):
 * - `wf:<adw_id>`: the calls of that ADW workflow (`tool_calls.workflow_id`);
 * - anything else: a session id (`tool_calls.session_id`); when no call has that session id the
 *   key is tried as a workflow id, so a bare ADW id works too.
 *
 * A session's efficiency is folded from the state kept for it in the store (the calls up to a
 * position: `context_checkpoints`) and the calls after that position; the state is kept again up to
 * the last of the calls that had ended, so a query folds only what is new since the last one.
 *
 * Results are cached per session/workflow (64 entries) and reused while the connection's
 * total_changes() stamp is unchanged: any write to the store (the daemon is the single writer)
 * invalidates them, so a reused result is never stale.
 */
import { EfficiencyFold, efficiencyFromFacts, type CallFacts, type Efficiency } from '../../core/context/efficiency.js';
import { buildContextProfile } from '../../core/context/profile.js';
import { worktreeRoot } from '../../core/records/workflow-root.js';
import type { ContextEfficiencyResult } from '../../rpc/protocol.js';
import type { ContextProfileRecord } from '../store/context-repo.js';
import type { Store } from '../store/store.js';
import { MS_PER_DAY } from '../../core/time.js';

/** A profile is built from at most this many occurrences (the last ones given). */
export const MAX_PROFILE_SAMPLES = 50;
export const WORKFLOW_KEY_PREFIX = 'wf:';

/** The calls' facts as stored, one per call (null: left out); see core/context/context-call.ts. */
type StoredFacts = readonly (CallFacts | null)[];

type Counted = Efficiency & { calls: number };

/**
 * The efficiency of stored calls. A workflow's paths are shown from its root: the first call's cwd,
 * else (no call recorded one) its ADW worktree `<project>/trees/<id>` when its paths name it.
 */
function efficiencyOf(stored: StoredFacts, workflowId?: string): Counted | null {
  if (stored.length === 0) return null;
  const facts: CallFacts[] = [];
  for (const f of stored) if (f !== null) facts.push(f);
  const root =
    workflowId === undefined || firstCwd(stored) >= 0 ? undefined : (worktreeRoot(stored, workflowId) ?? undefined);
  return { calls: stored.length, ...efficiencyFromFacts(facts, root) };
}

/** The index of the first call with a cwd (the session cwd is that call's), or -1. */
function firstCwd(facts: StoredFacts): number {
  for (let i = 0; i < facts.length; i++) if ((facts[i]?.cwd ?? null) !== null) return i;
  return -1;
}

/** Efficiencies kept for reuse while the store is unchanged (see ContextRepo.changeStamp). */
const CACHE_SIZE = 64;
/** Sessions with fewer calls are folded whole each time (about a millisecond): no state is kept for them. */
export const KEEP_STATE_MIN_CALLS = 500;
const KEEP_STATE_RECENT_MS = 30 * MS_PER_DAY;

export class ContextProfiler {
  private readonly cache = new Map<string, { stamp: string; value: Counted }>();
  private readonly keepStateMinCalls: number;
  private readonly cacheSize: number;

  /**
   * `cacheSize` 0 turns reuse off: a connection that does not write (the read thread's) sees no
   * change in its stamps when the daemon writes. `keepStateMinCalls` Infinity keeps no state.
   */
  constructor(
    private readonly store: Store,
    opts: { keepStateMinCalls?: number; cacheSize?: number } = {},
  ) {
    this.keepStateMinCalls = opts.keepStateMinCalls ?? KEEP_STATE_MIN_CALLS;
    this.cacheSize = opts.cacheSize ?? CACHE_SIZE;
  }

  /** Efficiency of the calls behind a session key (see the module comment). */
  private keyEfficiency(key: string): Counted | null {
    const workflows = (id: string): Counted | null => efficiencyOf(this.store.contextProfiles.factsForWorkflow(id), id);
    if (key.startsWith(WORKFLOW_KEY_PREFIX)) return workflows(key.slice(WORKFLOW_KEY_PREFIX.length));
    return this.sessionEfficiency(key) ?? workflows(key);
  }

  /**
   * A session's efficiency: its kept state and the calls after it (every call when none is kept or
   * it cannot go on), keeping the state again after the last call of the run of ended calls.
   */
  private sessionEfficiency(sessionId: string): Counted | null {
    const repo = this.store.contextProfiles;
    const kept = repo.checkpoint(sessionId);
    const restored = kept === null ? null : EfficiencyFold.restore(kept.state);
    let fold = restored;
    let rows = repo.sessionCalls(sessionId, restored === null ? null : kept);
    // the session cwd is the first call's that has one: a state kept before any had one cannot go on
    if (fold !== null && fold.root === null && firstCwd(rows.facts) >= 0) fold = null;
    const base = fold === null ? 0 : (kept?.calls ?? 0);
    let rootAt = -1;
    if (fold === null) {
      if (restored !== null) rows = repo.sessionCalls(sessionId);
      if (rows.facts.length === 0) return null;
      rootAt = firstCwd(rows.facts);
      fold = new EfficiencyFold(rootAt < 0 ? null : (rows.facts[rootAt]?.cwd ?? null));
    }
    const { facts, settled, lastSettled } = rows;
    for (let i = 0; i < facts.length; i++) {
      const f = facts[i];
      if (f) fold.add(f);
      // keep the state after the ended calls (a call still running may change); its cwd must be among them
      if (i === settled - 1 && lastSettled !== null && rootAt < settled && base + settled >= this.keepStateMinCalls) {
        repo.saveCheckpoint(sessionId, {
          at: lastSettled,
          calls: base + settled,
          state: fold.save(),
        });
      }
    }
    return { calls: base + facts.length, ...fold.result() };
  }

  /**
   * Efficiency of the calls of `cacheKey` (worked out by `compute`), reused while no row of the
   * store changed; null when there are no calls.
   */
  private computed(cacheKey: string, compute: () => Counted | null, sessionId: string | null = null): Counted | null {
    if (this.cacheSize === 0) return compute();
    // A session's result stays valid until ingestion touches that session; anything else until any write.
    const stampNow = (): string =>
      sessionId !== null
        ? `s${this.store.toolCalls.sessionGeneration(sessionId)}`
        : `c${this.store.contextProfiles.changeStamp()}`;
    const hit = this.cache.get(cacheKey);
    if (hit !== undefined && hit.stamp === stampNow()) {
      this.cache.delete(cacheKey); // most recently used goes last
      this.cache.set(cacheKey, hit);
      return hit.value;
    }
    const value = compute();
    if (value === null) return null;
    // read after computing: storing the facts of older calls and the kept state are writes that change nothing here
    this.cache.set(cacheKey, { stamp: stampNow(), value });
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value ?? '');
    return value;
  }

  /** Efficiency of one session (sessionId wins when both are given) or workflow; null when it has no calls. */
  efficiencyFor(ref: { sessionId?: string; workflowId?: string }): ContextEfficiencyResult | null {
    if (ref.sessionId !== undefined) {
      const id = ref.sessionId;
      const e = this.computed(`s:${id}`, () => this.sessionEfficiency(id), id);
      return e === null ? null : { sessionId: id, ...e };
    }
    if (ref.workflowId !== undefined) {
      const id = ref.workflowId;
      const e = this.computed(`w:${id}`, () => efficiencyOf(this.store.contextProfiles.factsForWorkflow(id), id));
      return e === null ? null : { workflowId: id, ...e };
    }
    return null;
  }

  /**
   * Sessions with at least keepStateMinCalls calls, active in the last 30 days, and no kept state
   * (older ones get theirs when first asked about).
   */
  sessionsMissingState(now = Date.now()): string[] {
    return this.store.contextProfiles.sessionsWithoutState(
      Math.max(1, this.keepStateMinCalls),
      now - KEEP_STATE_RECENT_MS,
    );
  }

  /**
   * Brings the kept state of a session with at least keepStateMinCalls calls up to date (its calls
   * since are folded, the result cached), so the next query has little to fold; returns whether
   * it did (smaller sessions are left: folding them whole is quick).
   */
  keepState(sessionId: string): boolean {
    if (this.store.contextProfiles.sessionCallCount(sessionId) < Math.max(1, this.keepStateMinCalls)) return false;
    return this.efficiencyFor({ sessionId }) !== null;
  }

  /**
   * Rebuilds and stores the profile of a pattern from its occurrences' session keys (duplicates
   * ignored; the last MAX_PROFILE_SAMPLES distinct keys, so pass them oldest first). Keys with no
   * stored calls are skipped; when none has any, nothing is stored and null is returned.
   */
  refreshForPattern(patternId: number, signature: string, sessionKeys: readonly string[]): ContextProfileRecord | null {
    const keys = [...new Set(sessionKeys)].slice(-MAX_PROFILE_SAMPLES);
    const occurrences: Efficiency[] = [];
    for (const key of keys) {
      const e = this.computed(`k:${key}`, () => this.keyEfficiency(key));
      if (e !== null) occurrences.push(e);
    }
    if (occurrences.length === 0) return null;
    return this.store.contextProfiles.upsert(signature, patternId, buildContextProfile(occurrences));
  }
}
