/**
 * A retry whose wait doubles each time it is armed, from `firstMs` up to `maxMs`; one instance per
 * thing being retried, dropped (or made anew) once the retries have succeeded.
 */
export class RetryTimer {
  private timer: NodeJS.Timeout | null = null;
  private nextMs: number;

  constructor(
    firstMs: number,
    private readonly maxMs: number,
  ) {
    this.nextMs = firstMs;
  }

  /** A wait is running. */
  get waiting(): boolean {
    return this.timer !== null;
  }

  /** Runs `fn` after the current wait (the timer does not keep the process alive); the next wait is twice as long. */
  arm(fn: () => void): void {
    const wait = this.nextMs;
    this.nextMs = Math.min(wait * 2, this.maxMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      fn();
    }, wait);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
