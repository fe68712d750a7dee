import { describe, expect, it } from 'vitest';
import {
  addUse,
  confidence,
  confidenceBreakdown,
  durationCv,
  emptyStats,
  frequencyPoints,
  type PatternStats,
  type UseObservation,
} from '../../../src/core/learning/confidence.js';

function build(uses: UseObservation[]): PatternStats {
  return uses.reduce(addUse, emptyStats());
}
/** One use per new occurrence. */
const runs = (durations: (number | null)[], ok: (boolean | null)[] = durations.map(() => true)): PatternStats =>
  build(durations.map((durationMs, i) => ({ durationMs, ok: ok[i] ?? null, newOccurrence: true })));

describe('confidence', () => {
  it.each<[string, PatternStats, { frequency: number; consistency: number; success: number; total: number }]>([
    ['no data at all: the starting 10', emptyStats(), { frequency: 10, consistency: 0, success: 0, total: 10 }],
    [
      'one occurrence, no duration, no outcome: neutral halves',
      runs([null], [null]),
      { frequency: 10, consistency: 15, success: 15, total: 40 },
    ],
    ['one successful occurrence', runs([1000]), { frequency: 10, consistency: 15, success: 30, total: 55 }],
    ['3 occurrences', runs([1000, 1000, 1000]), { frequency: 20, consistency: 30, success: 30, total: 80 }],
    [
      '10 consistent successful occurrences',
      runs(Array(10).fill(1000)),
      { frequency: 40, consistency: 30, success: 30, total: 100 },
    ],
    [
      '5 inconsistent occurrences (cv ≥ 1) stay below 70',
      runs([100, 200, 1000, 5000, 20000]),
      { frequency: 30, consistency: 0, success: 30, total: 60 },
    ],
    [
      'cv 0.577 → 13 points',
      runs([1000, 1000, 1000, 3000]),
      { frequency: 20, consistency: 13, success: 30, total: 63 },
    ],
    [
      '3 of 4 succeed → 23 points',
      runs([10, 10, 10, 10], [true, true, true, false]),
      { frequency: 20, consistency: 30, success: 23, total: 73 },
    ],
    [
      'all failures → 0 success points',
      runs([10, 10, 10, 10, 10], [false, false, false, false, false]),
      { frequency: 30, consistency: 30, success: 0, total: 60 },
    ],
    [
      'zero-length durations: neutral consistency',
      runs([0, 0, 0]),
      { frequency: 20, consistency: 15, success: 30, total: 65 },
    ],
  ])('%s', (_name, stats, expected) => {
    const b = confidenceBreakdown(stats);
    expect({ frequency: b.frequency, consistency: b.consistency, success: b.success, total: b.total }).toEqual(
      expected,
    );
    expect(confidence(stats)).toBe(expected.total);
  });

  it('duplicate rows of one workflow never raise frequency (the 78,167-row bug)', () => {
    let s = addUse(emptyStats(), { durationMs: 60_000, ok: true, newOccurrence: true });
    for (let i = 0; i < 78_166; i++) s = addUse(s, { durationMs: 60_000, ok: true });
    expect(s.occurrences).toBe(1);
    expect(s.uses).toBe(78_167);
    expect(confidenceBreakdown(s).frequency).toBe(10);
  });

  it.each<[number, number]>([
    [0, 10],
    [2, 10],
    [3, 20],
    [4, 20],
    [5, 30],
    [9, 30],
    [10, 40],
    [1000, 40],
  ])('frequencyPoints(%d) = %d', (n, points) => {
    expect(frequencyPoints(n)).toBe(points);
  });
});

describe('running aggregates (Welford)', () => {
  it('matches a direct computation', () => {
    const durations = [1200, 950, 3100, 870, 1500, 2200, 990];
    const s = runs(durations);
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
    const m2 = durations.reduce((a, d) => a + (d - mean) ** 2, 0);
    expect(s.durN).toBe(7);
    expect(s.durMean).toBeCloseTo(mean, 9);
    expect(s.durM2).toBeCloseTo(m2, 6);
    expect(durationCv(s)).toBeCloseTo(Math.sqrt(m2 / 7) / mean, 12);
  });

  it('is pure: the input stats are not changed', () => {
    const before = emptyStats();
    const after = addUse(before, { durationMs: 5, ok: true, newOccurrence: true });
    expect(before).toEqual(emptyStats());
    expect(after).toEqual({ occurrences: 1, uses: 1, durN: 1, durMean: 5, durM2: 0, successes: 1, failures: 0 });
  });

  it.each<[string, number | null, boolean | null, Partial<PatternStats>]>([
    ['null duration', null, true, { durN: 0, successes: 1 }],
    ['NaN duration', Number.NaN, false, { durN: 0, failures: 1 }],
    ['negative duration', -5, null, { durN: 0 }],
    ['infinite duration', Number.POSITIVE_INFINITY, null, { durN: 0 }],
    ['valid duration', 250, null, { durN: 1, durMean: 250 }],
  ])('%s', (_name, durationMs, ok, expected) => {
    expect(addUse(emptyStats(), { durationMs, ok })).toMatchObject({ uses: 1, ...expected });
  });

  it.each<[string, number[], number | null]>([
    ['fewer than 2 durations', [100], null],
    ['identical durations', [100, 100], 0],
    ['zero mean', [0, 0], null],
    ['two values', [100, 300], 0.5],
  ])('durationCv: %s', (_name, durations, cv) => {
    expect(durationCv(runs(durations))).toBe(cv);
  });
});
