/** The pause between two rounds while items are left. */
const NEXT_ROUND_MS = 250;

export interface SettledRoundsOptions<T> {
  /** how long after the first scheduled item a round starts (a burst costs one round per item) */
  settleMs: number;
  /** a round stops once it has used this much time: the daemon keeps answering */
  budgetMs: number;
  /** true while ingestion has work queued: rounds wait for it */
  busy: () => boolean;
  /** does one item; true when it counts as done (the round's return value counts those) */
  work: (item: T) => boolean;
}

/**
 * Items done a few at a time once ingestion settles: `schedule` adds them (each once, however
 * often scheduled) and arms a timer; a round does items for up to `budgetMs`, waits while ingestion
 * is busy, and the next round follows shortly while items are left.
 */
export class SettledRounds<T> {
  private readonly dirty = new Set<T>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: SettledRoundsOptions<T>) {}

  schedule(items: Iterable<T>): void {
    for (const item of items) this.dirty.add(item);
    if (this.dirty.size > 0) this.timer ??= setTimeout(() => this.round(), this.o.settleMs);
  }

  /** Does dirty items for up to budgetMs (all of them when `all`); returns how many counted as done. */
  round(all = false): number {
    this.timer = null;
    if (!all && this.o.busy()) {
      this.timer = setTimeout(() => this.round(), this.o.settleMs);
      return 0;
    }
    const started = Date.now();
    let done = 0;
    for (const item of [...this.dirty]) {
      if (!all && Date.now() - started > this.o.budgetMs) break;
      this.dirty.delete(item);
      if (this.o.work(item)) done++;
    }
    if (this.dirty.size > 0) this.timer = setTimeout(() => this.round(), NEXT_ROUND_MS);
    return done;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty.clear();
  }
}
