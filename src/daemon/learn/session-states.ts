import { getErrorMessage } from '../../core/errors.js';
import type { Logger } from '../logger.js';
import type { ContextProfiler } from './context-profiler.js';
import { SettledRounds } from './settled-rounds.js';

/**
 * Keeps the context efficiency state of the sessions ingestion touched current (see
 * ContextProfiler: the state kept per session), a few sessions at a time once ingestion settles:
 * a `context/efficiency` query then folds only the calls that came after.
 */
export class SessionStates {
  private readonly rounds: SettledRounds<string>;

  constructor(
    private readonly profiler: ContextProfiler,
    private readonly logger: Logger,
    /** true while ingestion has work queued: the states wait for it */
    busy: () => boolean = () => false,
  ) {
    this.rounds = new SettledRounds({
      settleMs: 3000,
      budgetMs: 30,
      busy,
      work: (sessionId) => {
        try {
          return this.profiler.keepState(sessionId);
        } catch (e) {
          this.logger.warn(`context state of session ${sessionId}: ${getErrorMessage(e)}`);
          return false;
        }
      },
    });
  }

  /** Schedules the sessions that should have a state and have none (once, at start). */
  scheduleMissing(): void {
    try {
      this.schedule(this.profiler.sessionsMissingState());
    } catch (e) {
      this.logger.warn(`looking for sessions without a context state: ${getErrorMessage(e)}`);
    }
  }

  schedule(sessions: Iterable<string>): void {
    this.rounds.schedule(sessions);
  }

  /** Folds scheduled sessions forward for up to 30 ms (all of them when `all`); returns how many. */
  round(all = false): number {
    return this.rounds.round(all);
  }

  close(): void {
    this.rounds.close();
  }
}
