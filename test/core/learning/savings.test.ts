import { describe, expect, it } from 'vitest';
import {
  compactSummaryTokens,
  estimateTokensFromBytes,
  monthlySavings,
  roundUsd,
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
