/**
 * The read half of a discovery run: the patterns over the discovery thresholds as summaries (30-day
 * window since `sinceMs`, replay figures) and the candidates core/learning/discovery selects among them. It
 * only reads, so the read thread can work it out while the main thread keeps serving.
 */
import { DISCOVERY_THRESHOLDS, selectDiscoveryCandidates } from '../../core/learning/discovery.js';
import { REPLAY_KEY } from '../../core/learning/savings-replay.js';
import { closedSequences } from '../../core/learning/sequences.js';
import type { PatternSummary } from '../../rpc/protocol.js';
import { DiscoveryRepo } from '../store/discovery-repo.js';
import type { Store } from '../store/store.js';
import { toSummary } from '../handlers/pattern-view.js';

export type SelectCandidates = (sinceMs: number) => PatternSummary[] | Promise<PatternSummary[]>;

export function candidateSelector(store: Store): (sinceMs: number) => PatternSummary[] {
  const queries = new DiscoveryRepo(store.db);
  return (sinceMs) => {
    const t = DISCOVERY_THRESHOLDS;
    const replays = store.replay.bySignature(REPLAY_KEY);
    // a sequence restated by a longer one with the same sessions is not offered on its own
    const eligible = closedSequences(queries.eligible(t.minOccurrences, t.minConfidence), queries.sequences()).map(
      (r) => toSummary(r, store.patterns.windowFor(r.id, sinceMs), null, replays.get(r.signature)),
    );
    return selectDiscoveryCandidates(eligible);
  };
}
