import { describe, expect, it } from 'vitest';
import {
  expectedSaving,
  patternEconomics,
  useSaving,
  type EconomicsInput,
} from '../../../src/core/learning/pattern-economics.js';
import {
  compactSummaryTokens,
  estimateTokensFromBytes,
  monthlySavings,
  outputSaving,
  roundUsd,
  saving,
} from '../../../src/core/learning/savings.js';

describe('monthlySavings', () => {
  it.each<[string, number, number, number, number]>([
    ['900 uses × $2.36', 900, 2.36, 0, 2124],
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
    const allTimeRows = 78_167; // every row ever seen, duplicates included
    const last30Days = 900;
    const inflated = monthlySavings(allTimeRows, 2.36, 0);
    const honest = monthlySavings(last30Days, 2.36, 0);
    expect(honest).toBe(2124);
    expect(Math.round(inflated / honest)).toBe(87);
  });

  it('subtracts the decimal costs: $0.2304 − $0.22625 is $0.00415, which rounds up', () => {
    expect(monthlySavings(1, 0.2304, 0.22625)).toBe(0.0042);
    expect(monthlySavings(3, 0.2304, 0.22625)).toBe(0.0125);
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

const SONNET = 'claude-sonnet-4-5'; // $3/M input

describe('saving', () => {
  it.each<[string, number, number, number, string | null, number, number]>([
    ['a whole turn: 40,000 tokens costing $0.60, 100 tokens back at $3/M', 40_000, 0.6, 100, SONNET, 39_900, 0.5997],
    ['$0.12 per use, 230 tokens back: $0.12 − $0.00069 = $0.11931', 40_000, 0.12, 230, SONNET, 39_770, 0.1193],
    ['$0.12 per use, 9 tokens back: $0.12 − $0.000027 = $0.119973', 40_000, 0.12, 9, SONNET, 39_991, 0.12],
    ['the LLM cost is taken unrounded: $0.00009 − $0.00003 = $0.00006', 100, 0.00009, 10, SONNET, 90, 0.0001],
    [
      'a half-way difference rounds up: $0.2304 − 45,250 at $5/M = $0.00415',
      46_080,
      0.2304,
      45_250,
      'claude-opus-4-8',
      830,
      0.0042,
    ],
    ['nothing back: the whole LLM cost', 1_000, 0.05, 0, SONNET, 1_000, 0.05],
    [
      'above 200K tokens back, sonnet 4.5 prices them at its long-context $6/M',
      400_000,
      2,
      250_000,
      SONNET,
      150_000,
      0.5,
    ],
  ])('%s', (_name, llmTokens, llmCostUsd, toolTokens, model, tokensSaved, usd) => {
    expect(saving({ llmTokens, llmCostUsd, toolTokens, model })).toEqual({ tokensSaved, usd });
  });

  it.each<[string, number, number, number]>([
    ['nothing spent, nothing returned', 0, 0, 0],
    ['the tool returned as many tokens as the LLM spent, at more than its cost', 500, 0.001, 500],
    ['the tool costs more than the LLM side: never negative', 2, 0.00001, 25],
    ['negative LLM tokens and cost count as 0', -100, -1, 10],
    ['NaN LLM tokens and cost count as 0', Number.NaN, Number.NaN, 10],
    ['infinite LLM tokens and cost count as 0', Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 10],
  ])('%s: nothing saved', (_name, llmTokens, llmCostUsd, toolTokens) => {
    expect(saving({ llmTokens, llmCostUsd, toolTokens, model: SONNET })).toEqual({ tokensSaved: 0, usd: 0 });
  });

  it('negative or NaN tool tokens count as 0: the whole LLM side is saved', () => {
    expect(saving({ llmTokens: 1000, llmCostUsd: 0.01, toolTokens: -5, model: SONNET })).toEqual({
      tokensSaved: 1000,
      usd: 0.01,
    });
    expect(saving({ llmTokens: 1000, llmCostUsd: 0.01, toolTokens: Number.NaN, model: SONNET })).toEqual({
      tokensSaved: 1000,
      usd: 0.01,
    });
  });

  it('an unknown model, or none, prices the tool result at $0 (never guessed): the LLM cost is saved whole', () => {
    for (const model of ['gpt-4o', null, '']) {
      expect(saving({ llmTokens: 40_000, llmCostUsd: 0.6, toolTokens: 100, model })).toEqual({
        tokensSaved: 39_900,
        usd: 0.6,
      });
      expect(saving({ llmTokens: 40_000, llmCostUsd: 0, toolTokens: 100, model })).toEqual({
        tokensSaved: 39_900,
        usd: 0,
      });
    }
  });

  it('a provider-prefixed or dated model id is priced as its model', () => {
    const i = { llmTokens: 40_000, llmCostUsd: 0.6, toolTokens: 100_000 };
    expect(saving({ ...i, model: 'anthropic/claude-sonnet-4-5-20250929' })).toEqual(saving({ ...i, model: SONNET }));
    expect(saving({ ...i, model: SONNET }).usd).toBe(0.3);
  });
});

describe('outputSaving: an output read instead of another, both as input', () => {
  it.each<[string, number, number, string | null, number, number]>([
    ['40,000 raw, 9 back, sonnet 4.5 ($3/M): $0.119973', 40_000, 9, SONNET, 39_991, 0.12],
    ['120,000 raw, 900 compact, opus 4.5 ($5/M)', 120_000, 900, 'claude-opus-4-5', 119_100, 0.5955],
    ['50 tokens at $3/M is $0.00015: rounds up', 60, 10, SONNET, 50, 0.0002],
    ['16 tokens at $3/M is $0.000048: rounds to 0', 26, 10, SONNET, 16, 0],
    ['17 tokens at $3/M is $0.000051', 27, 10, SONNET, 17, 0.0001],
    ['50 tokens at $1/M is $0.00005: rounds up', 50, 0, 'claude-haiku-4-5', 50, 0.0001],
    ['49 tokens at $1/M', 49, 0, 'claude-haiku-4-5', 49, 0],
    ['830 tokens left out at $5/M is $0.00415: rounds up', 46_080, 45_250, 'claude-opus-4-8', 830, 0.0042],
    ['above 200K input, sonnet 4.5 is priced at its long-context $6/M', 250_000, 0, SONNET, 250_000, 1.5],
    ['the tokens left out are priced alone: 249,000 at $6/M', 250_000, 1_000, SONNET, 249_000, 1.494],
    ['the tokens left out are priced alone: 150,000 at $3/M', 250_000, 100_000, SONNET, 150_000, 0.45],
  ])('%s', (_name, raw, compact, model, tokens, usd) => {
    expect(outputSaving(raw, compact, model)).toEqual({ tokensSaved: tokens, usd });
  });

  it('is the input price of the tokens left out, rounded once', () => {
    for (const [raw, compact] of [
      [40_000, 9],
      [9_728, 9_698],
      [58_976, 58_846],
      [1_050, 1_000],
    ] as const) {
      const left = raw - compact;
      expect(outputSaving(raw, compact, 'claude-opus-4-8')).toEqual({
        tokensSaved: left,
        usd: roundUsd((left * 5) / 1_000_000),
      });
    }
  });

  it.each<[string, number, number]>([
    ['nothing read, nothing returned', 0, 0],
    ['the compact text is as long as the raw output', 500, 500],
    ['the compact text is longer than the raw output: never negative', 2, 25],
    ['negative raw tokens count as 0', -100, 10],
    ['NaN raw tokens count as 0', Number.NaN, 10],
    ['infinite raw tokens count as 0', Number.POSITIVE_INFINITY, 10],
  ])('%s: nothing saved', (_name, raw, compact) => {
    expect(outputSaving(raw, compact, SONNET)).toEqual({ tokensSaved: 0, usd: 0 });
  });

  it('negative or NaN compact tokens count as 0: the raw tokens are saved', () => {
    expect(outputSaving(1000, -5, 'claude-haiku-4-5')).toEqual({ tokensSaved: 1000, usd: 0.001 });
    expect(outputSaving(1000, Number.NaN, 'claude-haiku-4-5')).toEqual({ tokensSaved: 1000, usd: 0.001 });
  });

  it('an unknown model, or none, saves the tokens at $0 (a price is never guessed)', () => {
    expect(outputSaving(40_000, 9, 'gpt-4o')).toEqual({ tokensSaved: 39_991, usd: 0 });
    expect(outputSaving(40_000, 9, null)).toEqual({ tokensSaved: 39_991, usd: 0 });
    expect(outputSaving(40_000, 9, '')).toEqual({ tokensSaved: 39_991, usd: 0 });
  });

  it('is `saving` with the raw output as the LLM side, priced as input', () => {
    expect(outputSaving(40_000, 9, SONNET)).toEqual(
      saving({ llmTokens: 40_000, llmCostUsd: 0.12, toolTokens: 9, model: SONNET }),
    );
  });
});

/** A pattern with `uses` uses of 40,000 tokens costing `costPerUse` each, on sonnet 4.5. */
function economics(uses: number, costPerUse: number, more: Partial<EconomicsInput> = {}): EconomicsInput {
  return {
    uses,
    uses30d: uses,
    sumLlmTokens: 40_000 * uses,
    sumLlmCost: costPerUse * uses,
    measuredUses: uses,
    sumToolTokensEst: 230 * uses,
    routedRuns: 0,
    sumToolTokensMeasured: 0,
    model: SONNET,
    ...more,
  };
}

describe('useSaving and expectedSaving', () => {
  it("a run: `saving` of the pattern's average LLM tokens and cost per use against the run's tool tokens", () => {
    expect(useSaving(economics(3, 0.6), 100)).toEqual({ tokensSaved: 39_900, usd: 0.5997 });
    expect(useSaving(economics(2, 0.12), 9)).toEqual({ tokensSaved: 39_991, usd: 0.12 });
  });

  it('a dry run: the same with the expected tool tokens, so it agrees with a run that gives them back', () => {
    const e = economics(2, 0.12);
    // 40,000 − 230 estimated tool tokens; $0.12 − 230 × $3/M = $0.11931
    expect(expectedSaving(e)).toEqual({ tokensSaved: 39_770, usd: 0.1193 });
    expect(expectedSaving(e)).toEqual(useSaving(e, 230));
    expect(expectedSaving(economics(1, 0.0003, { sumLlmTokens: 100 }))).toEqual({ tokensSaved: 0, usd: 0 });
  });

  it('expects the measured tool tokens once the tool has run, else the replay, else the estimate', () => {
    expect(expectedSaving(economics(2, 0.12, { routedRuns: 1, sumToolTokensMeasured: 9 }))).toEqual(
      useSaving(economics(2, 0.12), 9),
    );
    expect(expectedSaving(economics(2, 0.12, { replayedCalls: 4, sumToolTokensReplay: 400 }))).toEqual(
      useSaving(economics(2, 0.12), 100),
    );
  });

  it('takes the LLM cost per use unrounded, as the monthly savings do', () => {
    // $0.00016 per use (4 decimals: $0.0002), 15 tool tokens at $3/M ($0.000045): $0.000115
    const e = economics(3, 0.00016, { sumLlmTokens: 300, sumToolTokensEst: 45 });
    expect(patternEconomics(e).avgCostWithLlmUsd).toBe(0.0002);
    expect(expectedSaving(e)).toEqual({ tokensSaved: 85, usd: 0.0001 });
    expect(patternEconomics({ ...e, uses30d: 1 }).monthlySavingsUsd).toBe(expectedSaving(e).usd);
    expect(patternEconomics({ ...e, uses30d: 1000 }).monthlySavingsUsd).toBe(0.115);
  });

  it('the monthly savings are the uses of 30 days times the dollars of one expected use', () => {
    const e = economics(2, 0.6, { uses30d: 1 });
    expect(patternEconomics(e).monthlySavingsUsd).toBe(expectedSaving(e).usd);
    expect(patternEconomics({ ...e, uses30d: 30 }).monthlySavingsUsd).toBe(roundUsd(30 * (0.6 - 0.00069)));
  });
});
