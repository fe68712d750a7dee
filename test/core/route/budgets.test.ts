import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BUDGET,
  budgetCheck,
  coefficientOfVariation,
  describeNoSimilar,
  estimateFromHistory,
  type PastRun,
} from '../../../src/core/route/budgets.js';

function run(
  wordCount: number,
  totalTokens: number,
  costUsd: number,
  ts: string,
  workflowType: string | null = 'sdlc',
): PastRun {
  return { workflowType, wordCount, totalTokens, costUsd, ts };
}

describe('estimateFromHistory', () => {
  it('falls back to the stated default with no similar runs', () => {
    expect(estimateFromHistory({ workflowType: 'sdlc', words: 100, runs: [] })).toEqual({
      tokens: 1_500_000,
      costUsd: 4.5,
      basis: 'default',
      sampleSize: 0,
      confidence: 'low',
    });
  });

  it('keeps same type, ±30% words (inclusive), positive tokens; scales by size', () => {
    const runs = [
      run(100, 1_000_000, 3, '2025-01-10T00:00:00Z'),
      run(120, 2_000_000, 6, '2025-01-09T00:00:00Z'),
      run(80, 1_500_000, 4.5, '2025-01-08T00:00:00Z'),
      run(131, 9_000_000, 30, '2025-01-07T00:00:00Z'), // > 130
      run(69, 9_000_000, 30, '2025-01-06T00:00:00Z'), // < 70
      run(100, 9_000_000, 30, '2025-01-05T00:00:00Z', 'patch'), // other type
      run(130, 500_000, 1.5, '2025-01-04T00:00:00Z'), // 1.3× inclusive
      run(70, 0, 0, '2025-01-03T00:00:00Z'), // no tokens recorded
    ];
    // mean tokens 1.25M, mean words 107.5 → ratio 100/107.5; 1.25M × 0.93023… = 1162790.7
    // mean cost 3.75 × 0.93023… = 3.488 → 3.49; CV of tokens = 0.559/1.25 = 0.447 with 4 runs → medium
    expect(estimateFromHistory({ workflowType: 'sdlc', words: 100, runs })).toEqual({
      tokens: 1_162_791,
      costUsd: 3.49,
      basis: 'history',
      sampleSize: 4,
      confidence: 'medium',
    });
  });

  it('takes the newest 20 by ts whatever the given order', () => {
    const runs = Array.from({ length: 25 }, (_, i) =>
      run(100, (i + 1) * 1000, 0.5, `2025-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`),
    ).reverse();
    runs.push(runs.splice(3, 1)[0] as PastRun); // shuffle one
    // newest 20 = tokens 6000..25000 → mean 15500; CV = 5766/15500 = 0.37 with 20 runs → high
    expect(estimateFromHistory({ workflowType: 'sdlc', words: 100, runs })).toEqual({
      tokens: 15_500,
      costUsd: 0.5,
      basis: 'history',
      sampleSize: 20,
      confidence: 'high',
    });
  });

  it.each([
    // sample tokens, confidence
    [[1000, 1000], 'low'],
    [[1000, 1000, 1000], 'medium'],
    [[100, 100, 100, 100, 100, 100, 100, 100, 100, 100], 'high'],
    [[1, 1, 1, 1, 1, 1, 1, 1, 1, 100], 'low'], // CV ≈ 2.7
    [[100, 300, 100, 300, 100, 300, 100, 300, 100, 300], 'high'], // CV exactly 0.5
    [[100, 400, 100, 400, 100, 400, 100, 400, 100, 400], 'medium'], // CV 0.6
  ] as const)('confidence of %j is %s', (tokens, confidence) => {
    const runs = tokens.map((t) => run(10, t, 0, '2025-01-01T00:00:00Z'));
    expect(estimateFromHistory({ workflowType: 'sdlc', words: 10, runs }).confidence).toBe(confidence);
  });

  it('matches a null workflow type only with null, and 0 words only with 0', () => {
    const runs = [run(0, 500, 0.01, '2025-01-01T00:00:00Z', null), run(0, 900, 0.02, '2025-01-02T00:00:00Z')];
    expect(estimateFromHistory({ workflowType: null, words: 0, runs })).toMatchObject({
      tokens: 500,
      costUsd: 0.01,
      sampleSize: 1,
    });
  });
});

describe('coefficientOfVariation', () => {
  it.each([
    [[], 0],
    [[0, 0], 0],
    [[5, 5, 5], 0],
    [[1, 3], 0.5],
  ])('%j → %d', (xs, cv) => {
    expect(coefficientOfVariation(xs)).toBe(cv);
  });
});

describe('budgetCheck', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_BUDGET).toEqual({ tokenBudget: 5_000_000, warnAtPct: 80, approvalAboveUsd: 5 });
  });

  it.each([
    [
      { tokens: 1_000_000, costUsd: 3 },
      { withinBudget: true, pctOfBudget: 20, warn: false, needsApproval: false, reasons: [] },
    ],
    [
      { tokens: 3_999_999, costUsd: 5 },
      { withinBudget: true, pctOfBudget: 80, warn: false, needsApproval: false, reasons: [] },
    ],
    [
      { tokens: 4_000_000, costUsd: 5 },
      {
        withinBudget: true,
        pctOfBudget: 80,
        warn: true,
        needsApproval: false,
        reasons: ['estimate is 80% of the 5000000-token budget (warn at 80%)'],
      },
    ],
    [
      { tokens: 5_000_000, costUsd: 5.01 },
      {
        withinBudget: true,
        pctOfBudget: 100,
        warn: true,
        needsApproval: true,
        reasons: [
          'estimate is 100% of the 5000000-token budget (warn at 80%)',
          'estimated cost $5.01 is above the $5.00 approval threshold',
        ],
      },
    ],
    [
      { tokens: 12_500_000, costUsd: 40 },
      {
        withinBudget: false,
        pctOfBudget: 250,
        warn: true,
        needsApproval: true,
        reasons: [
          'estimate of 12500000 tokens exceeds the 5000000-token budget (250%)',
          'estimated cost $40.00 is above the $5.00 approval threshold',
        ],
      },
    ],
    [
      { tokens: 0, costUsd: 0 },
      { withinBudget: true, pctOfBudget: 0, warn: false, needsApproval: false, reasons: [] },
    ],
  ])('%j', (est, want) => {
    expect(budgetCheck(est)).toEqual(want);
  });

  it('takes a custom budget and rejects a non-positive one', () => {
    expect(
      budgetCheck({ tokens: 500, costUsd: 0.01 }, { tokenBudget: 1000, warnAtPct: 50, approvalAboveUsd: 0 }),
    ).toMatchObject({
      pctOfBudget: 50,
      warn: true,
      needsApproval: true,
    });
    expect(() =>
      budgetCheck({ tokens: 1, costUsd: 0 }, { tokenBudget: 0, warnAtPct: 80, approvalAboveUsd: 5 }),
    ).toThrow(/tokenBudget must be positive/);
  });
});

describe('describeNoSimilar', () => {
  it('says why none of the stored runs was similar, rule by rule', () => {
    expect(
      describeNoSimilar({ stored: 25, incomplete: 2, otherType: 18, otherSize: 4, noTokens: 1 }, 200, 'sdlc'),
    ).toBe(
      'none of the 25 stored runs is similar: 18 of another workflow type than sdlc, 4 outside 140-260 words (this input has 200), 2 incomplete, 1 without recorded tokens',
    );
    expect(describeNoSimilar({ stored: 0, incomplete: 0, otherType: 0, otherSize: 0, noTokens: 0 }, 200, null)).toBe(
      'no workflow runs are stored yet',
    );
  });
});
