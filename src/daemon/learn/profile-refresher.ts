import { getErrorMessage } from '../../core/errors.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { ContextProfiler } from './context-profiler.js';

/** A round stops once it has used this much time: the daemon keeps answering during a backfill. */
const ROUND_BUDGET_MS = 30;
const SETTLE_MS = 5000;
/** The most recent occurrences a profile is built from. */
const SAMPLES = 10;

/**
 * Keeps `context_profiles` current as occurrences arrive: patterns that changed are refreshed a few
 * at a time, after a settle delay, so a burst of ingestion costs one refresh per pattern.
 */
export class ProfileRefresher {
  private readonly dirty = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly profiler: ContextProfiler,
    private readonly logger: Logger,
    /** true while ingestion has work queued: profiles wait for it */
    private readonly busy: () => boolean = () => false,
  ) {}

  schedule(patternIds: readonly number[]): void {
    for (const id of patternIds) this.dirty.add(id);
    this.timer ??= setTimeout(() => this.round(), SETTLE_MS);
  }

  /** Refreshes dirty patterns for up to ROUND_BUDGET_MS (all of them when `all`); returns how many profiles were written. */
  round(all = false): number {
    this.timer = null;
    let written = 0;
    if (!all && this.busy()) {
      this.timer = setTimeout(() => this.round(), SETTLE_MS);
      return 0;
    }
    const started = Date.now();
    for (const id of [...this.dirty]) {
      if (!all && Date.now() - started > ROUND_BUDGET_MS) break;
      this.dirty.delete(id);
      const row = this.store.patterns.get(id);
      if (!row || row.kind === 'workflow') continue;
      try {
        if (this.profiler.refreshForPattern(id, row.signature, this.store.patterns.sessionKeys(id).slice(-SAMPLES)))
          written++;
      } catch (e) {
        this.logger.warn(`context profile of ${row.signature}: ${getErrorMessage(e)}`);
      }
    }
    if (this.dirty.size > 0) this.timer = setTimeout(() => this.round(), 250);
    return written;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty.clear();
  }
}
