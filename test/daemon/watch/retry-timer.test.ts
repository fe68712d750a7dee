import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RetryTimer } from '../../../src/daemon/watch/retry-timer.js';

describe('RetryTimer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('doubles the wait each time it is armed, up to the max', () => {
    const r = new RetryTimer(100, 300);
    let fired = 0;
    for (const [i, wait] of [100, 200, 300, 300].entries()) {
      r.arm(() => fired++);
      expect(r.waiting).toBe(true);
      vi.advanceTimersByTime(wait - 1);
      expect(fired).toBe(i);
      vi.advanceTimersByTime(1);
      expect(fired).toBe(i + 1);
      expect(r.waiting).toBe(false);
    }
  });

  it('does not run what it was armed with once cancelled', () => {
    const r = new RetryTimer(100, 1000);
    const fn = vi.fn();
    r.arm(fn);
    r.cancel();
    expect(r.waiting).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});
