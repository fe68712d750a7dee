/**
 * Things that settle once they stop changing (incomplete array files, ADW run dirs): each key's
 * timer restarts on every change, and fires once the key has not changed for the wait given.
 */
export class SettleTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** Keys waiting to settle. */
  get size(): number {
    return this.timers.size;
  }

  /** (Re)starts the key's timer: `settled` runs once `ms` pass without another call for the key. */
  later(key: string, ms: number, settled: () => void): void {
    this.cancel(key);
    const t = setTimeout(() => {
      this.timers.delete(key);
      settled();
    }, ms);
    t.unref();
    this.timers.set(key, t);
  }

  /** Stops the key's timer, if it has one. */
  cancel(key: string): void {
    const t = this.timers.get(key);
    if (t === undefined) return;
    clearTimeout(t);
    this.timers.delete(key);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
