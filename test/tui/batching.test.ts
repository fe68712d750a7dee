import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher, RefreshScheduler } from '../../src/tui/hooks/batching.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RefreshScheduler', () => {
  it('runs at once, then at most once per interval with everything marked meanwhile; idle means no timer', async () => {
    const runs: string[][] = [];
    const s = new RefreshScheduler<string>(
      async (keys) => {
        runs.push([...keys].sort());
      },
      1000,
      () => Date.now(),
    );
    expect(vi.getTimerCount()).toBe(0);
    s.mark(['a']);
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([['a']]);
    s.mark(['b']);
    s.mark(['c', 'b']);
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([['a'], ['b', 'c']]);
    expect(s.busy).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never overlaps runs, and dispose drops pending work', async () => {
    let release!: () => void;
    let active = 0;
    let maxActive = 0;
    const s = new RefreshScheduler<string>(
      () => {
        active++;
        maxActive = Math.max(maxActive, active);
        return new Promise<void>((res) => {
          release = () => {
            active--;
            res();
          };
        });
      },
      10,
      () => Date.now(),
    );
    s.mark(['a']);
    await vi.advanceTimersByTimeAsync(0);
    s.mark(['b']);
    await vi.advanceTimersByTimeAsync(100);
    expect(maxActive).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(maxActive).toBe(1);
    release();
    s.mark(['c']);
    s.dispose();
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('Batcher', () => {
  it('coalesces pushes within the window', async () => {
    const got: number[][] = [];
    const b = new Batcher<number>((items) => got.push(items), 100);
    for (let i = 0; i < 50; i++) b.push(i);
    expect(got).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(got).toHaveLength(1);
    expect(got[0]).toHaveLength(50);
    expect(vi.getTimerCount()).toBe(0);
    b.push(1);
    b.dispose();
    await vi.advanceTimersByTimeAsync(100);
    expect(got).toHaveLength(1);
  });
});
