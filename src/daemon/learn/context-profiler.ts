/**
 * Context efficiency over stored tool calls: runs the pure core functions (core/context-efficiency,
 * core/context-profile) over the context facts stored with each call (store/context-call.ts) and
 * keeps `context_profiles` fresh.
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
import { efficiencyFromFacts, type CallFacts, type Efficiency } from '../../core/context-efficiency.js';
import { buildContextProfile } from '../../core/context-profile.js';
import type { ContextEfficiencyResult, ContextProfileInfo } from '../../rpc/protocol.js';
import type { Store } from '../store/store.js';

/** A profile is built from at most this many occurrences (the last ones given). */
export const MAX_PROFILE_SAMPLES = 50;
export const WORKFLOW_KEY_PREFIX = 'wf:';

/** The calls' facts as stored, one per call (null: left out); see store/context-call.ts. */
type StoredFacts = readonly (CallFacts | null)[];

function efficiencyOf(stored: StoredFacts): Efficiency {
  const facts: CallFacts[] = [];
  for (const f of stored) if (f !== null) facts.push(f);
  return efficiencyFromFacts(facts);
}

/** Efficiencies kept for reuse while the store is unchanged (see ContextRepo.changeStamp). */
const CACHE_SIZE = 64;

export class ContextProfiler {
  private readonly cache = new Map<string, { stamp: string; value: Efficiency & { calls: number } }>();

  constructor(private readonly store: Store) {}

  /** The facts of the calls behind a session key (see the module comment). */
  factsForKey(key: string): StoredFacts {
    if (key.startsWith(WORKFLOW_KEY_PREFIX))
      return this.store.contextProfiles.factsForWorkflow(key.slice(WORKFLOW_KEY_PREFIX.length));
    const facts = this.store.contextProfiles.factsForSession(key);
    return facts.length > 0 ? facts : this.store.contextProfiles.factsForWorkflow(key);
  }

  /**
   * Efficiency of the calls of `cacheKey` (read by `facts`), reused while no row of the store
   * changed; null when there are no calls.
   */
  private computed(
    cacheKey: string,
    facts: () => StoredFacts,
    sessionId: string | null = null,
  ): (Efficiency & { calls: number }) | null {
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
    const fs = facts();
    if (fs.length === 0) return null;
    const value = { calls: fs.length, ...efficiencyOf(fs) };
    // read after the facts: storing the facts of older calls (ContextRepo) is a write that changes nothing here
    this.cache.set(cacheKey, { stamp: stampNow(), value });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value ?? '');
    return value;
  }

  /** Efficiency of one session (sessionId wins when both are given) or workflow; null when it has no calls. */
  efficiencyFor(ref: { sessionId?: string; workflowId?: string }): ContextEfficiencyResult | null {
    if (ref.sessionId !== undefined) {
      const id = ref.sessionId;
      const e = this.computed(`s:${id}`, () => this.store.contextProfiles.factsForSession(id), id);
      return e === null ? null : { sessionId: id, ...e };
    }
    if (ref.workflowId !== undefined) {
      const id = ref.workflowId;
      const e = this.computed(`w:${id}`, () => this.store.contextProfiles.factsForWorkflow(id));
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
      const e = this.computed(`k:${key}`, () => this.factsForKey(key));
      if (e !== null) occurrences.push(e);
    }
    if (occurrences.length === 0) return null;
    return this.store.contextProfiles.upsert(signature, patternId, buildContextProfile(occurrences));
  }
}
