/**
 * Incomplete array files waiting to be read as final: each path's timer restarts on every change,
 * and fires once the file has not changed for `settleMs`.
 */
export class SettleTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly settleMs: number,
    private readonly settled: (path: string) => void,
  ) {}

  /** (Re)starts the path's timer. */
  later(path: string): void {
    const prev = this.timers.get(path);
    if (prev) clearTimeout(prev);
    const t = setTimeout(() => {
      this.timers.delete(path);
      this.settled(path);
    }, this.settleMs);
    t.unref();
    this.timers.set(path, t);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
