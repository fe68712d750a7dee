import { afterEach, describe, expect, it, vi } from 'vitest';
import { SettledRounds } from '../../src/daemon/learn/settled-rounds.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('SettledRounds', () => {
  it('does each scheduled item once, after the settle delay, and waits while ingestion is busy', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let busy = true;
    const done: string[] = [];
    const rounds = new SettledRounds<string>({
      settleMs: 1000,
      budgetMs: 30,
      busy: () => busy,
      work: (item) => {
        done.push(item);
        return item !== 'skipped';
      },
    });
    try {
      rounds.schedule(['a', 'b', 'a']);
      rounds.schedule(['skipped']);
      vi.advanceTimersByTime(5000);
      expect(done).toEqual([]);
      busy = false;
      vi.advanceTimersByTime(999);
      expect(done).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(done).toEqual(['a', 'b', 'skipped']);
      rounds.schedule(['c']);
      expect(rounds.round(true)).toBe(1);
      expect(done).toEqual(['a', 'b', 'skipped', 'c']);
      // the timer armed for 'c' finds nothing left
      vi.advanceTimersByTime(2000);
      expect(done).toHaveLength(4);
    } finally {
      rounds.close();
    }
  });

  it('a round stops at its budget and the next one goes on with what is left', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const done: number[] = [];
    const rounds = new SettledRounds<number>({
      settleMs: 100,
      budgetMs: 30,
      busy: () => false,
      work: (item) => {
        done.push(item);
        vi.setSystemTime(Date.now() + 20); // each item takes 20 ms
        return true;
      },
    });
    try {
      rounds.schedule([1, 2, 3, 4, 5]);
      vi.advanceTimersByTime(100);
      expect(done).toEqual([1, 2]);
      vi.advanceTimersByTime(250);
      expect(done).toEqual([1, 2, 3, 4]);
      vi.advanceTimersByTime(250);
      expect(done).toEqual([1, 2, 3, 4, 5]);
      rounds.schedule([6]);
      rounds.close();
      vi.advanceTimersByTime(1000);
      expect(done).toHaveLength(5);
    } finally {
      rounds.close();
    }
  });
});
