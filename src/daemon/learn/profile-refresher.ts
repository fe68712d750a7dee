import { getErrorMessage } from '../../core/errors.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { ContextProfiler } from './context-profiler.js';

/** Patterns whose context profiles are refreshed per round, at most. */
const PER_ROUND = 20;
const SETTLE_MS = 5000;

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
  ) {}

  schedule(patternIds: readonly number[]): void {
    for (const id of patternIds) this.dirty.add(id);
    this.timer ??= setTimeout(() => this.round(), SETTLE_MS);
  }

  /** Refreshes up to PER_ROUND patterns now; returns how many profiles were written. */
  round(): number {
    this.timer = null;
    let written = 0;
    for (const id of [...this.dirty].slice(0, PER_ROUND)) {
      this.dirty.delete(id);
      const row = this.store.patterns.get(id);
      if (!row || row.kind === 'workflow') continue;
      try {
        if (this.profiler.refreshForPattern(id, row.signature, this.store.patterns.sessionKeys(id))) written++;
      } catch (e) {
        this.logger.warn(`context profile of ${row.signature}: ${getErrorMessage(e)}`);
      }
    }
    if (this.dirty.size > 0) this.timer = setTimeout(() => this.round(), SETTLE_MS);
    return written;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty.clear();
  }
}
