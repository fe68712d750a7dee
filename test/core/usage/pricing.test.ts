import { describe, it, expect } from 'vitest';
import { PRICING_TABLE_DATE, canonicalModelId, isKnownModel, priceUsage } from '../../../src/core/usage/pricing.js';
import type { TokenCounts } from '../../../src/core/types.js';

function tokens(p: Partial<TokenCounts>): TokenCounts {
  const cc = p.cacheCreationTokens ?? 0;
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: cc,
    cacheCreation5mTokens: cc,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 0,
    ...p,
  };
}

describe('pricing table', () => {
  it('is dated', () => {
    expect(PRICING_TABLE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each([
    ['claude-opus-4-6', 'claude-opus-4-6'],
    ['claude-opus-4-6-20260205', 'claude-opus-4-6'],
    ['claude-opus-4-6[1m]', 'claude-opus-4-6'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
    ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-4-opus-20250514', 'claude-opus-4'],
    ['claude-4-sonnet-20250514', 'claude-sonnet-4'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-3-haiku-20240307', 'claude-3-haiku'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-sonnet-5', 'claude-sonnet-5'],
    ['claude-fable-5', 'claude-fable-5'],
    ['claude-opus-5-5', 'claude-opus-5-5'],
    ['CLAUDE-HAIKU-5-5', 'claude-haiku-5-5'],
    ['gpt-4o', null],
    ['claude-opus-9', null],
    ['', null],
    ['<synthetic>', null],
  ])('%j → %j', (model, id) => {
    expect(canonicalModelId(model)).toBe(id);
  });

  it.each([
    ['claude-opus-4-7-20260416', true],
    ['<synthetic>', true],
    ['deepseek-chat', false],
    ['sonnet', false],
  ])('isKnownModel(%j) = %j', (model, known) => {
    expect(isKnownModel(model)).toBe(known);
  });
});

describe('priceUsage', () => {
  it.each<[string, string, Partial<TokenCounts>, Parameters<typeof priceUsage>[2], number]>([
    // a real response: 6 in, 143 out, 4210 1h writes, 38877 reads
    [
      'opus 4.6 with 1h cache writes',
      'claude-opus-4-6',
      {
        inputTokens: 6,
        outputTokens: 143,
        cacheCreationTokens: 4210,
        cacheCreation5mTokens: 0,
        cacheCreation1hTokens: 4210,
        cacheReadTokens: 38877,
      },
      {},
      0.0651435,
    ],
    [
      'sonnet 4.5 at exactly 200k input: base rates',
      'claude-sonnet-4-5-20250929',
      { inputTokens: 10_000, cacheCreationTokens: 40_000, cacheReadTokens: 150_000, outputTokens: 1000 },
      {},
      0.24,
    ],
    [
      'sonnet 4.5 above 200k: every token at premium',
      'claude-sonnet-4-5',
      { inputTokens: 10_000, cacheCreationTokens: 50_000, cacheReadTokens: 150_001, outputTokens: 1000 },
      {},
      0.5475006,
    ],
    [
      'sonnet 4 above 200k: 1h writes at 12',
      'claude-sonnet-4-20250514',
      { inputTokens: 250_000, cacheCreationTokens: 1000, cacheCreation5mTokens: 0, cacheCreation1hTokens: 1000 },
      {},
      1.512,
    ],
    [
      'sonnet 4.6 above 200k: no tier',
      'claude-sonnet-4-6',
      { inputTokens: 10_000, cacheCreationTokens: 50_000, cacheReadTokens: 150_001, outputTokens: 1000 },
      {},
      0.2775003,
    ],
    ['opus 4.6 fast: 6x', 'claude-opus-4-6', { inputTokens: 1000, outputTokens: 1000 }, { speed: 'fast' }, 0.18],
    ['opus 4.8 fast: 2x', 'claude-opus-4-8', { inputTokens: 1000, outputTokens: 1000 }, { speed: 'fast' }, 0.06],
    [
      'sonnet 4.6 fast: no fast price',
      'claude-sonnet-4-6',
      { inputTokens: 1000, outputTokens: 1000 },
      { speed: 'fast' },
      0.018,
    ],
    [
      'opus 4.6 in the US: 1.1x',
      'claude-opus-4-6',
      { inputTokens: 1000, outputTokens: 1000 },
      { inferenceGeo: 'us' },
      0.033,
    ],
    [
      'opus 4.5 in the US: no premium before 4.6',
      'claude-opus-4-5-20251101',
      { inputTokens: 1000, outputTokens: 1000 },
      { inferenceGeo: 'us' },
      0.03,
    ],
    [
      'opus 4.6 fast in the US',
      'claude-opus-4-6',
      { inputTokens: 1000, outputTokens: 1000 },
      { speed: 'fast', inferenceGeo: 'us' },
      0.198,
    ],
    ['haiku 4.5 1M input', 'claude-haiku-4-5-20251001', { inputTokens: 1_000_000 }, {}, 1],
    ['bedrock id', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', { outputTokens: 1_000_000 }, {}, 15],
    [
      'opus 4 legacy rates',
      'claude-opus-4-20250514',
      { inputTokens: 1_000_000, cacheCreationTokens: 1_000_000 },
      {},
      33.75,
    ],
    [
      'unsplit cache writes count as 5m',
      'claude-haiku-3',
      { cacheCreationTokens: 1_000_000, cacheCreation5mTokens: 0 },
      {},
      0.3,
    ],
    [
      'sonnet 5.5 reads before 2026-10-07',
      'claude-sonnet-5-5',
      { cacheReadTokens: 1_000_000 },
      { ts: '2026-10-06T23:59:59.000Z' },
      0.2,
    ],
    [
      'sonnet 5.5 reads from 2026-10-07',
      'claude-sonnet-5-5',
      { cacheReadTokens: 1_000_000 },
      { ts: '2026-10-07T00:00:00.000Z' },
      0.1,
    ],
    [
      'haiku 5.5 above 100k (cache counts)',
      'claude-haiku-5-5',
      { inputTokens: 50_000, cacheReadTokens: 60_000, outputTokens: 1000 },
      {},
      0.0281,
    ],
    [
      'haiku 5.5 below 100k',
      'claude-haiku-5-5',
      { inputTokens: 50_000, cacheReadTokens: 40_000, outputTokens: 1000 },
      {},
      0.0059,
    ],
    ['web search at $0.01 each', 'claude-sonnet-4-6', { inputTokens: 1000 }, { webSearchRequests: 3 }, 0.033],
  ])('%s', (_name, model, t, opts, usd) => {
    const r = priceUsage(model, tokens(t), opts);
    expect(r.priced).toBe(true);
    expect(r.costUsd).toBeCloseTo(usd, 12);
  });

  it.each([
    ['<synthetic>', { costUsd: 0, priced: true }],
    ['gpt-4o', { costUsd: 0, priced: false }],
    ['', { costUsd: 0, priced: false }],
  ])('%j → %j', (model, out) => {
    expect(priceUsage(model, tokens({ inputTokens: 1000, outputTokens: 1000 }))).toEqual(out);
  });
});
