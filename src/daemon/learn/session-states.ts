import { getErrorMessage } from '../../core/errors.js';
import type { Logger } from '../logger.js';
import type { ContextProfiler } from './context-profiler.js';

/** A round stops once it has used this much time: the daemon keeps answering. */
const ROUND_BUDGET_MS = 30;
const SETTLE_MS = 3000;

/**
 * Keeps the context efficiency state of the sessions ingestion touched current (see
 * ContextProfiler: the state kept per session), a few sessions at a time once ingestion settles:
 * a `context/efficiency` query then folds only the calls that came after.
 */
export class SessionStates {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly profiler: ContextProfiler,
    private readonly logger: Logger,
    /** true while ingestion has work queued: the states wait for it */
    private readonly busy: () => boolean = () => false,
  ) {}

  /** Schedules the sessions that should have a state and have none (once, at start). */
  scheduleMissing(): void {
    try {
      this.schedule(this.profiler.sessionsMissingState());
    } catch (e) {
      this.logger.warn(`looking for sessions without a context state: ${getErrorMessage(e)}`);
    }
  }

  schedule(sessions: Iterable<string>): void {
    for (const s of sessions) this.dirty.add(s);
    if (this.dirty.size > 0) this.timer ??= setTimeout(() => this.round(), SETTLE_MS);
  }

  /** Folds dirty sessions forward for up to ROUND_BUDGET_MS (all of them when `all`); returns how many. */
  round(all = false): number {
    this.timer = null;
    if (!all && this.busy()) {
      this.timer = setTimeout(() => this.round(), SETTLE_MS);
      return 0;
    }
    const started = Date.now();
    let done = 0;
    for (const id of [...this.dirty]) {
      if (!all && Date.now() - started > ROUND_BUDGET_MS) break;
      this.dirty.delete(id);
      try {
        if (this.profiler.keepState(id)) done++;
      } catch (e) {
        this.logger.warn(`context state of session ${id}: ${getErrorMessage(e)}`);
      }
    }
    if (this.dirty.size > 0) this.timer = setTimeout(() => this.round(), 250);
    return done;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty.clear();
  }
}
