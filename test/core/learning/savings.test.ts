import { describe, expect, it } from 'vitest';
import { expectedSaving } from '../../../src/core/learning/pattern-economics.js';
import {
  compactSummaryTokens,
  estimateTokensFromBytes,
  monthlySavings,
  roundUsd,
  saving,
} from '../../../src/core/learning/savings.js';

describe('monthlySavings', () => {
  it.each<[string, number, number, number, number]>([
    ['the plan example after dedup: 900 uses × $2.36', 900, 2.36, 0, 2124],
    ['tool cost is subtracted', 45, 0.075, 0.0075, 3.0375],
    ['no uses', 0, 1.78, 0.09, 0],
    ['tool dearer than the LLM: never negative', 10, 0.01, 0.02, 0],
    ['rounded to 4 decimals', 3, 0.011111, 0, 0.0333],
    ['negative uses count as 0', -5, 1, 0, 0],
    ['NaN cost counts as 0', 10, Number.NaN, 0, 0],
    ['infinite uses count as 0', Number.POSITIVE_INFINITY, 1, 0, 0],
  ])('%s', (_name, uses, llm, tool, expected) => {
    expect(monthlySavings(uses, llm, tool)).toBe(expected);
  });

  it('uses the last 30 days, not all-time counts: the 87× inflation cannot come back', () => {
    const allTimeRows = 78_167; // what the plan multiplied
    const last30Days = 900;
    const inflated = monthlySavings(allTimeRows, 2.36, 0);
    const honest = monthlySavings(last30Days, 2.36, 0);
    expect(honest).toBe(2124);
    expect(Math.round(inflated / honest)).toBe(87);
  });
});

describe('token estimates', () => {
  it.each<[number, number]>([
    [0, 0],
    [1, 1],
    [4, 1],
    [5, 2],
    [4000, 1000],
    [-10, 0],
    [Number.NaN, 0],
  ])('estimateTokensFromBytes(%d) = %d', (bytes, tokens) => {
    expect(estimateTokensFromBytes(bytes)).toBe(tokens);
  });

  it.each<[number, number]>([
    [0, 30],
    [400, 130],
    [800, 230],
    [801, 230],
    [1_000_000, 230],
    [Number.NaN, 30],
  ])('compactSummaryTokens(%d) = %d', (bytes, tokens) => {
    expect(compactSummaryTokens(bytes)).toBe(tokens);
  });

  it.each<[number, number]>([
    [1.23456, 1.2346],
    [0.00004, 0],
    [0.00005, 0.0001],
    [2124, 2124],
  ])('roundUsd(%d) = %d', (x, expected) => {
    expect(roundUsd(x)).toBe(expected);
  });
});

describe('roundUsd at the half-way boundaries', () => {
  it.each<[number, number]>([
    // 0.00015 × 10,000 is 1.4999… in binary: read on the decimal value, it rounds up
    [0.00015, 0.0002],
    [(50 * 3) / 1_000_000, 0.0002],
    [0.00045, 0.0005],
    [1.00005, 1.0001],
    [0.000149999, 0.0001],
    [0.00004999, 0],
    [0.119973, 0.12],
    // halves away from zero: a negative figure rounds as its positive counterpart
    [-0.00015, -0.0002],
    [-0.00005, -0.0001],
    [183_844.07125, 183_844.0713],
  ])('roundUsd(%d) = %d', (x, expected) => {
    expect(roundUsd(x)).toBe(expected);
  });

  it('never gives -0', () => {
    expect(Object.is(roundUsd(-0.00004), 0)).toBe(true);
    expect(Object.is(roundUsd(-0), 0)).toBe(true);
  });
});

describe('saving', () => {
  it.each<[string, number, number, string | null, number, number]>([
    ['40,000 raw, 9 back, sonnet 4.5 ($3/M): $0.119973', 40_000, 9, 'claude-sonnet-4-5', 39_991, 0.12],
    ['120,000 raw, 900 compact, opus 4.5 ($5/M)', 120_000, 900, 'claude-opus-4-5', 119_100, 0.5955],
    ['50 tokens at $3/M is $0.00015: rounds up', 60, 10, 'claude-sonnet-4-5', 50, 0.0002],
    ['16 tokens at $3/M is $0.000048: rounds to 0', 26, 10, 'claude-sonnet-4-5', 16, 0],
    ['17 tokens at $3/M is $0.000051', 27, 10, 'claude-sonnet-4-5', 17, 0.0001],
    ['50 tokens at $1/M is $0.00005: rounds up', 50, 0, 'claude-haiku-4-5', 50, 0.0001],
    ['49 tokens at $1/M', 49, 0, 'claude-haiku-4-5', 49, 0],
    ['above 200K input, sonnet 4.5 is priced at its long-context $6/M', 250_000, 0, 'claude-sonnet-4-5', 250_000, 1.5],
  ])('%s', (_name, raw, tool, model, tokens, usd) => {
    expect(saving(raw, tool, model)).toEqual({ tokensSaved: tokens, usd });
  });

  it.each<[string, number, number]>([
    ['nothing read, nothing returned', 0, 0],
    ['the tool returned as much as the raw output', 500, 500],
    ['the tool returned more than the raw output: never negative', 2, 25],
    ['negative raw tokens count as 0', -100, 10],
    ['NaN raw tokens count as 0', Number.NaN, 10],
    ['infinite raw tokens count as 0', Number.POSITIVE_INFINITY, 10],
  ])('%s: nothing saved', (_name, raw, tool) => {
    expect(saving(raw, tool, 'claude-sonnet-4-5')).toEqual({ tokensSaved: 0, usd: 0 });
  });

  it('negative or NaN tool tokens count as 0: the raw tokens are saved', () => {
    expect(saving(1000, -5, 'claude-haiku-4-5')).toEqual({ tokensSaved: 1000, usd: 0.001 });
    expect(saving(1000, Number.NaN, 'claude-haiku-4-5')).toEqual({ tokensSaved: 1000, usd: 0.001 });
  });

  it('an unknown model, or none, saves the tokens at $0 (a price is never guessed)', () => {
    expect(saving(40_000, 9, 'gpt-4o')).toEqual({ tokensSaved: 39_991, usd: 0 });
    expect(saving(40_000, 9, null)).toEqual({ tokensSaved: 39_991, usd: 0 });
    expect(saving(40_000, 9, '')).toEqual({ tokensSaved: 39_991, usd: 0 });
  });

  it('a provider-prefixed or dated model id is priced as its model', () => {
    expect(saving(40_000, 9, 'anthropic/claude-sonnet-4-5-20250929')).toEqual(saving(40_000, 9, 'claude-sonnet-4-5'));
  });
});

describe('expectedSaving', () => {
  it("is `saving` of the pattern's average LLM tokens against its average tool tokens", () => {
    const e = { avgTokensWithLlm: 40_000, avgTokensWithTool: 230 };
    // 39,770 × $3/M = $0.11931
    expect(expectedSaving(e, 'claude-sonnet-4-5')).toEqual({ tokensSaved: 39_770, usd: 0.1193 });
    expect(expectedSaving(e, 'claude-sonnet-4-5')).toEqual(saving(40_000, 230, 'claude-sonnet-4-5'));
    expect(expectedSaving({ avgTokensWithLlm: 100, avgTokensWithTool: 230 }, 'claude-sonnet-4-5')).toEqual({
      tokensSaved: 0,
      usd: 0,
    });
  });
});
