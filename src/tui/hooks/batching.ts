/**
 * Two timers that exist only while there is work: a refresh scheduler (at most one refresh per
 * interval per batch of stale keys, leading and trailing) and an event batcher (coalesces
 * notifications into one state update per window, which caps redraws). Idle means no timers.
 */
export class RefreshScheduler<K> {
  private dirty = new Set<K>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private lastRun = Number.NEGATIVE_INFINITY;
  private disposed = false;

  constructor(
    private readonly run: (keys: ReadonlySet<K>) => Promise<void>,
    private readonly minIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  mark(keys: Iterable<K>): void {
    if (this.disposed) return;
    for (const k of keys) this.dirty.add(k);
    this.schedule();
  }

  /** True while a refresh is waiting or running (for tests and the bench). */
  get busy(): boolean {
    return this.timer !== null || this.running;
  }

  dispose(): void {
    this.disposed = true;
    this.dirty.clear();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.disposed || this.timer !== null || this.running || this.dirty.size === 0) return;
    const wait = Math.max(0, this.lastRun + this.minIntervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, wait);
  }

  private fire(): void {
    const keys = this.dirty;
    this.dirty = new Set();
    this.running = true;
    this.lastRun = this.now();
    void this.run(keys)
      .catch(() => undefined) // `run` reports its own failures into state
      .finally(() => {
        this.running = false;
        this.schedule();
      });
  }
}

export class Batcher<T> {
  private items: T[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly windowMs: number,
  ) {}

  push(item: T): void {
    this.items.push(item);
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const items = this.items;
      this.items = [];
      this.flush(items);
    }, this.windowMs);
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.items = [];
  }
}
