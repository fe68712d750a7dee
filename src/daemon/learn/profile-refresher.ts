import { getErrorMessage } from '../../core/errors.js';
import type { Logger } from '../logger.js';
import { patternsWithStaleProfiles } from '../store/pattern-fold.js';
import type { Store } from '../store/store.js';
import type { ContextProfiler } from './context-profiler.js';
import { SettledRounds } from './settled-rounds.js';

/** The most recent occurrences a profile is built from. */
const SAMPLES = 10;

/**
 * Keeps `context_profiles` current as occurrences arrive: patterns that changed are refreshed a few
 * at a time, after a settle delay, so a burst of ingestion costs one refresh per pattern.
 */
export class ProfileRefresher {
  private readonly rounds: SettledRounds<number>;

  constructor(
    private readonly store: Store,
    private readonly profiler: ContextProfiler,
    private readonly logger: Logger,
    /** true while ingestion has work queued: profiles wait for it */
    busy: () => boolean = () => false,
  ) {
    this.rounds = new SettledRounds({ settleMs: 5000, budgetMs: 30, busy, work: (id) => this.refresh(id) });
  }

  /** Schedules the patterns whose profile is missing or older than the pattern (at start). */
  scheduleStale(): void {
    try {
      this.schedule(patternsWithStaleProfiles(this.store.db));
    } catch (e) {
      this.logger.warn(`looking for stale context profiles: ${getErrorMessage(e)}`);
    }
  }

  schedule(patternIds: readonly number[]): void {
    this.rounds.schedule(patternIds);
  }

  private refresh(id: number): boolean {
    const row = this.store.patterns.get(id);
    if (!row || row.kind === 'workflow') return false;
    try {
      return (
        this.profiler.refreshForPattern(id, row.signature, this.store.patterns.sessionKeys(id).slice(-SAMPLES)) !== null
      );
    } catch (e) {
      this.logger.warn(`context profile of ${row.signature}: ${getErrorMessage(e)}`);
      return false;
    }
  }

  close(): void {
    this.rounds.close();
  }
}
