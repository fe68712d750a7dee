/**
 * Keeps the replay cache filled without anyone asking: once ingestion and learning have settled, the
 * recorded Bash outputs the cache lacks are replayed in turns (`fillReplays`), so `patterns` and
 * `analyze` price a pattern's tool side from measured (replay) figures as soon as its outputs are stored.
 * A request during a fill is remembered and served by one more fill after it.
 */
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { fillReplays } from './replay-run.js';

/** How long after the last request a fill starts (a burst of ingests costs one fill). */
export const REPLAY_SETTLE_MS = 2000;

export interface ReplayRefresherOptions {
  settleMs?: number;
  /** true while ingestion or learning has work queued: the fill waits for it */
  busy: () => boolean;
}

export class ReplayRefresher {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private closed = false;
  private readonly settleMs: number;
  /** resolves when the fill in progress (if any) has ended */
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly logger: Logger,
    private readonly o: ReplayRefresherOptions,
  ) {
    this.settleMs = o.settleMs ?? REPLAY_SETTLE_MS;
  }

  /** Asks for a fill once things settle (restarting the wait). */
  schedule(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), this.settleMs);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    if (this.closed) return;
    if (this.o.busy()) return this.schedule();
    this.running = true;
    this.current = this.fill().finally(() => {
      this.running = false;
      if (this.again && !this.closed) {
        this.again = false;
        this.schedule();
      }
    });
  }

  private async fill(): Promise<void> {
    try {
      const n = await fillReplays(this.store, undefined, undefined, () => this.closed);
      if (n > 0) {
        this.logger.debug(`replayed ${n} recorded output${n === 1 ? '' : 's'} in the background`);
        this.hub.publish('pattern', `replay figures of ${n} output${n === 1 ? '' : 's'} updated`);
      }
    } catch (e) {
      if (!this.closed) this.logger.warn('background replay failed', e);
    }
  }

  /** Stops scheduling and waits for a fill in progress to stop at its next turn. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
  }
}
