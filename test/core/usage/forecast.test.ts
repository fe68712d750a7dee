import { describe, expect, it } from 'vitest';
import { forecast, resolveQuotaLimit, riskOf, type ForecastInput } from '../../../src/core/usage/forecast.js';
import { addDaysToKey } from '../../../src/core/time.js';
import type { QuotaSignal } from '../../../src/core/types.js';
import type { UsageRow } from '../../../src/core/usage/usage-report.js';

const M = 1_000_000;

/** dailyTokens for k = 1..7 days before `today` (index 0 = yesterday) plus today. */
function days(today: string, before: number[], todayTokens: number): ForecastInput['dailyTokens'] {
  const out = before.map((tokens, i) => ({ date: addDaysToKey(today, -(i + 1)), tokens, costUsd: tokens / M }));
  out.push({ date: today, tokens: todayTokens, costUsd: todayTokens / M });
  return out;
}

function input(over: Partial<ForecastInput> & { now: Date }): ForecastInput {
  return {
    monthToDateTokens: 0,
    dailyTokens: [],
    limitTokens: 300 * M,
    limitSource: 'default',
    recentRows: [],
    official: null,
    ...over,
  };
}

function row(ts: string, inputTokens: number, costUsd: number): UsageRow {
  return {
    ts,
    sessionId: 's',
    project: 'p',
    model: 'claude-sonnet-4-5',
    inputTokens,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    costUsd,
  };
}

function signal(over: Partial<QuotaSignal>): QuotaSignal {
  return {
    ts: '2024-02-15T11:50:00Z',
    sessionId: null,
    fiveHourPct: null,
    fiveHourResetsAt: null,
    sevenDayPct: null,
    sevenDayResetsAt: null,
    sessionCostUsd: null,
    source: 'statusline',
    ...over,
  };
}

describe('resolveQuotaLimit', () => {
  it.each([
    [{}, 300 * M, 'default'],
    [{ OUTLOOP_QUOTA_LIMIT: '1000' }, 1000, 'OUTLOOP_QUOTA_LIMIT'],
    [{ OUTLOOP_QUOTA_LIMIT: '1000', ANTHROPIC_QUOTA_LIMIT: '5000' }, 1000, 'OUTLOOP_QUOTA_LIMIT'],
    [{ OUTLOOP_QUOTA_LIMIT: 'abc', ANTHROPIC_QUOTA_LIMIT: '5000' }, 5000, 'ANTHROPIC_QUOTA_LIMIT'],
    [{ ANTHROPIC_QUOTA_LIMIT: ' 42 ' }, 42, 'ANTHROPIC_QUOTA_LIMIT'],
    [{ OUTLOOP_QUOTA_LIMIT: '0' }, 300 * M, 'default'],
    [{ OUTLOOP_QUOTA_LIMIT: '-5' }, 300 * M, 'default'],
    [{ OUTLOOP_QUOTA_LIMIT: '1.5' }, 300 * M, 'default'],
    [{ OUTLOOP_QUOTA_LIMIT: '3e8' }, 300 * M, 'default'],
    [{ OUTLOOP_QUOTA_LIMIT: '' }, 300 * M, 'default'],
    [{ OUTLOOP_QUOTA_LIMIT: undefined }, 300 * M, 'default'],
    [{ OUTLOOP_QUOTA_LIMIT: '9007199254740993' }, 300 * M, 'default'],
  ])('%j → %i %s', (env, limit, source) => {
    expect(resolveQuotaLimit(env)).toEqual({ limit, source });
  });
});

describe('riskOf', () => {
  it.each([
    [0, 'low'],
    [69.99, 'low'],
    [70, 'medium'],
    [84.99, 'medium'],
    [85, 'high'],
    [94.99, 'high'],
    [95, 'critical'],
    [250, 'critical'],
  ] as const)('%d%% → %s', (pct, risk) => {
    expect(riskOf(pct)).toBe(risk);
  });
});

describe('forecast: month', () => {
  it('projects mid-month in a leap February', () => {
    const now = new Date('2024-02-15T12:00:00Z');
    const f = forecast(
      input({ now, monthToDateTokens: 100 * M, dailyTokens: days('2024-02-15', Array(7).fill(7 * M), 3 * M) }),
    );
    // avg 7M; 29 − 15 = 14 full days left; rest of today 7M − 3M = 4M → 100 + 98 + 4 = 202M
    expect(f).toMatchObject({
      generatedAt: '2024-02-15T12:00:00.000Z',
      provenance: 'estimated',
      month: '2024-02',
      daysInMonth: 29,
      dayOfMonth: 15,
      remainingDays: 14,
      monthToDateTokens: 100 * M,
      todayTokens: 3 * M,
      dailyAverageTokens: 7 * M,
      dailyAverageCostUsd: 7,
      restOfTodayTokens: 4 * M,
      projectedTokens: 202 * M,
      limitTokens: 300 * M,
      limitSource: 'default',
      usagePct: 33.33,
      projectedPct: 67.33,
      willExceedBy: 0,
      risk: 'low',
      trend: 'flat',
      throttle: { recommended: false, reasons: [] },
    });
  });

  it.each([
    // weights 7..1, yesterday heaviest, Σ = 28
    [[14 * M, 0, 0, 0, 0, 0, 0], 3.5 * M],
    [[0, 0, 0, 0, 0, 0, 28 * M], 1 * M],
    [[1, 2, 3, 4, 5, 6, 7], 3], // (7+12+15+16+15+12+7)/28 = 84/28
    [[], 0],
  ])('weights the 7 full days before today: %j → %d', (before, avg) => {
    const now = new Date('2025-06-20T08:00:00Z');
    const daily = days('2025-06-20', before, 0);
    daily.push({ date: '2025-06-12', tokens: 999 * M, costUsd: 0 }); // 8 days back: ignored
    expect(forecast(input({ now, dailyTokens: daily })).dailyAverageTokens).toBe(avg);
  });

  it.each([
    // now, daysInMonth, remainingDays, yesterday's key gets weight 7
    ['2024-03-01T05:00:00Z', '2024-02-29', 31, 30],
    ['2025-03-01T05:00:00Z', '2025-02-28', 31, 30],
    ['2025-01-01T00:00:00Z', '2024-12-31', 31, 30],
    ['2025-02-01T23:59:59Z', '2025-01-31', 28, 27],
  ])('crosses the month boundary at %s (yesterday %s)', (iso, yesterday, dim, remaining) => {
    const f = forecast(
      input({
        now: new Date(iso),
        monthToDateTokens: 1 * M,
        dailyTokens: [
          { date: yesterday, tokens: 28 * M, costUsd: 0 },
          { date: iso.slice(0, 10), tokens: 1 * M, costUsd: 0 },
        ],
      }),
    );
    expect(f.daysInMonth).toBe(dim);
    expect(f.remainingDays).toBe(remaining);
    expect(f.dailyAverageTokens).toBe(7 * M);
    expect(f.projectedTokens).toBe(1 * M + 7 * M * remaining + 6 * M);
  });

  it.each([
    ['2025-01-31T23:59:00Z', 31],
    ['2025-02-28T10:00:00Z', 28],
    ['2024-02-29T10:00:00Z', 29],
    ['2024-12-31T10:00:00Z', 31],
  ])('on the last day (%s) only the rest of today remains', (iso, dim) => {
    const f = forecast(
      input({
        now: new Date(iso),
        monthToDateTokens: 50 * M,
        dailyTokens: days(iso.slice(0, 10), Array(7).fill(2 * M), 5 * M),
      }),
    );
    expect([f.daysInMonth, f.remainingDays, f.restOfTodayTokens, f.projectedTokens]).toEqual([dim, 0, 0, 50 * M]);
  });

  it.each([
    // last 3 days mean vs previous 4 days mean
    [[12, 12, 12, 10, 10, 10, 10], 'rising'],
    [[11, 11, 11, 10, 10, 10, 10], 'flat'], // exactly ×1.1
    [[9, 9, 9, 10, 10, 10, 10], 'flat'], // exactly ×0.9
    [[8, 8, 8, 10, 10, 10, 10], 'falling'],
    [[1, 0, 0, 0, 0, 0, 0], 'rising'],
    [[0, 0, 0, 0, 0, 0, 0], 'flat'],
  ] as const)('trend of %j is %s', (before, trend) => {
    const now = new Date('2025-06-20T08:00:00Z');
    const f = forecast(
      input({
        now,
        dailyTokens: days(
          '2025-06-20',
          before.map((x) => x * M),
          0,
        ),
      }),
    );
    expect(f.trend).toBe(trend);
  });

  it('recommends throttling on high risk and projection over 90%', () => {
    // limit 100M; avg 2M; 2024-02-15 → 14 days left; mtd 60M, today 2M → 60 + 28 + 0 = 88M → 88% high
    const high = forecast(
      input({
        now: new Date('2024-02-15T12:00:00Z'),
        monthToDateTokens: 60 * M,
        limitTokens: 100 * M,
        dailyTokens: days('2024-02-15', Array(7).fill(2 * M), 2 * M),
      }),
    );
    expect([high.projectedPct, high.risk]).toEqual([88, 'high']);
    expect(high.throttle).toEqual({ recommended: true, reasons: ['risk high: projected 88% of the monthly limit'] });

    const over = forecast(
      input({
        now: new Date('2024-02-15T12:00:00Z'),
        monthToDateTokens: 64 * M,
        limitTokens: 100 * M,
        dailyTokens: days('2024-02-15', Array(7).fill(2 * M), 2 * M),
      }),
    );
    expect([over.projectedPct, over.risk, over.willExceedBy]).toEqual([92, 'high', 0]);
    expect(over.throttle.reasons).toEqual([
      'risk high: projected 92% of the monthly limit',
      'projected 92% of the monthly limit (> 90%)',
    ]);
  });

  it.each([
    [2 * M, false],
    [2 * M + 1, true],
  ])('flags a spike when today (%i) > 2× the average', (todayTokens, spike) => {
    const f = forecast(
      input({
        now: new Date('2025-06-20T08:00:00Z'),
        monthToDateTokens: 30 * M,
        dailyTokens: days('2025-06-20', Array(7).fill(1 * M), todayTokens),
      }),
    );
    expect(f.throttle.recommended).toBe(spike);
    if (spike) expect(f.throttle.reasons).toEqual(["today's 2000001 tokens exceed 2x the daily average of 1000000"]);
  });

  it('does not call a first day of use a spike (no average)', () => {
    const f = forecast(input({ now: new Date('2025-06-20T08:00:00Z'), dailyTokens: days('2025-06-20', [], 5 * M) }));
    expect(f.throttle.recommended).toBe(false);
  });

  it('handles empty input and a non-positive limit', () => {
    const f = forecast(input({ now: new Date('2025-06-20T08:00:00Z'), limitTokens: 0 }));
    expect(f).toMatchObject({
      monthToDateTokens: 0,
      todayTokens: 0,
      dailyAverageTokens: 0,
      projectedTokens: 0,
      limitTokens: 300 * M,
      usagePct: 0,
      projectedPct: 0,
      risk: 'low',
      trend: 'flat',
      throttle: { recommended: false, reasons: [] },
      fiveHour: {
        start: null,
        end: null,
        tokens: 0,
        costUsd: 0,
        burnTokensPerMin: null,
        burnUsdPerHour: null,
        projectedTokens: 0,
        projectedCostUsd: 0,
        pct: null,
        resetsAt: null,
        provenance: 'estimated',
      },
      sevenDay: { tokens: 0, burnTokensPerMin: 0, pct: null, resetsAt: null, provenance: 'estimated' },
    });
    expect(() => forecast(input({ now: new Date('nope') }))).toThrow(/now is not a valid date/);
  });
});

describe('forecast: windows', () => {
  const now = new Date('2024-02-15T12:00:00Z');
  const recentRows = [
    row('2024-02-08T11:00:00Z', 100_000, 50), // older than 7 days: outside the rolling window
    row('2024-02-09T00:00:00Z', 4000, 1),
    row('2024-02-15T10:10:00Z', 1000, 1),
    row('2024-02-15T11:10:00Z', 2000, 2),
  ];

  it('estimates the 5-hour block (ccusage) and the rolling 7 days', () => {
    const f = forecast(input({ now, recentRows }));
    // block 10:00-15:00: 3000 tokens over 60 min = 50/min, $3/h; 180 min left → 12000, $12
    expect(f.fiveHour).toEqual({
      start: '2024-02-15T10:00:00.000Z',
      end: '2024-02-15T15:00:00.000Z',
      tokens: 3000,
      costUsd: 3,
      burnTokensPerMin: 50,
      burnUsdPerHour: 3,
      projectedTokens: 12000,
      projectedCostUsd: 12,
      pct: null,
      resetsAt: '2024-02-15T15:00:00.000Z',
      provenance: 'estimated',
      undatedRecords: 0,
    });
    // rolling 02-08T12:00 → now: 7000 tokens, $4 over 10080 min
    expect(f.sevenDay).toEqual({
      start: '2024-02-08T12:00:00.000Z',
      end: '2024-02-15T12:00:00.000Z',
      tokens: 7000,
      costUsd: 4,
      burnTokensPerMin: 0.69,
      burnUsdPerHour: 0.0238,
      projectedTokens: 7000,
      projectedCostUsd: 4,
      pct: null,
      resetsAt: null,
      provenance: 'estimated',
      undatedRecords: 0,
    });
  });

  it('lets a fresh official reading override pct and resetsAt', () => {
    const official = signal({
      ts: '2024-02-15T11:50:00Z',
      fiveHourPct: 61,
      fiveHourResetsAt: '2024-02-15T15:30:00Z',
      sevenDayPct: 34.5,
      sevenDayResetsAt: '2024-02-18T12:00:00Z',
    });
    const f = forecast(input({ now, recentRows, official }));
    expect(f.fiveHour).toMatchObject({
      start: '2024-02-15T10:00:00.000Z',
      tokens: 3000,
      pct: 61,
      resetsAt: '2024-02-15T15:30:00.000Z',
      provenance: 'official',
    });
    // official week 02-11T12:00 → 02-18T12:00: 3000 tokens, $3 over 5760 min; 4320 min left
    expect(f.sevenDay).toEqual({
      start: '2024-02-11T12:00:00.000Z',
      end: '2024-02-18T12:00:00.000Z',
      tokens: 3000,
      costUsd: 3,
      burnTokensPerMin: 0.52,
      burnUsdPerHour: 0.0313,
      projectedTokens: 5250,
      projectedCostUsd: 5.25,
      pct: 34.5,
      resetsAt: '2024-02-18T12:00:00.000Z',
      provenance: 'official',
      undatedRecords: 0,
    });
    expect(f.throttle.recommended).toBe(false);
  });

  it.each([
    // 15 min old is still fresh
    ['2024-02-15T11:45:00Z', 20, '2024-02-15T15:00:00Z', 20, 'official'],
    // 60 min old: calibrated by tokens since the window start (10:00): 1000 then, 3000 now → ×3
    ['2024-02-15T11:00:00Z', 20, '2024-02-15T15:00:00Z', 60, 'estimated'],
    ['2024-02-15T11:00:00Z', 40, '2024-02-15T15:00:00Z', 100, 'estimated'], // capped
    // window already reset: ignored
    ['2024-02-15T11:55:00Z', 99, '2024-02-15T11:30:00Z', null, 'estimated'],
  ] as const)('official 5-hour reading at %s (%d%%, resets %s) → %s %s', (ts, pct, resets, want, prov) => {
    const official = signal({ ts, fiveHourPct: pct, fiveHourResetsAt: resets });
    const f = forecast(input({ now, recentRows, official }));
    expect(f.fiveHour.pct).toBe(want);
    expect(f.fiveHour.provenance).toBe(prov);
  });

  it('throttles when a window is at 90% or more', () => {
    const official = signal({ fiveHourPct: 92, fiveHourResetsAt: '2024-02-15T15:00:00Z' });
    const f = forecast(input({ now, recentRows, official }));
    expect(f.throttle).toEqual({ recommended: true, reasons: ['5-hour window at 92% (official)'] });
  });
});

describe('forecast: no rate from records without a time', () => {
  const now = new Date('2024-02-15T12:10:00Z');

  it('counts undated ADW records in the 5-hour window without a burn rate or projection', () => {
    const recentRows = ['12:00:00.100', '12:00:00.300', '12:00:00.900'].map((t) => ({
      ...row(`2024-02-15T${t}Z`, 50_000_000, 900),
      undated: true,
    }));
    const f = forecast(input({ now, recentRows, monthToDateTokens: 150 * M }));
    expect(f.fiveHour.tokens).toBe(150 * M);
    expect(f.fiveHour.undatedRecords).toBe(3);
    expect(f.fiveHour.burnTokensPerMin).toBeNull();
    expect(f.fiveHour.projectedTokens).toBe(150 * M);
    expect(f.sevenDay.undatedRecords).toBe(3);
    expect(f.sevenDay.burnTokensPerMin).toBeNull();
  });

  it('throttles when a window projects more than the month has left', () => {
    // 240M tokens over the last two hours: 2M/min, 170 min to go in the block → 340M more, 60M left;
    // the month alone (80%, medium, no daily average) would not throttle
    const recentRows = [row('2024-02-15T10:10:00Z', 120 * M, 10), row('2024-02-15T12:10:00Z', 120 * M, 10)];
    const f = forecast(input({ now, recentRows, monthToDateTokens: 240 * M, dailyTokens: [] }));
    expect(f.risk).toBe('medium');
    expect(f.fiveHour.projectedTokens).toBe(580 * M);
    expect(f.throttle.recommended).toBe(true);
    expect(f.throttle.reasons).toEqual([
      expect.stringMatching(/^5-hour window projects 340000000 more tokens, beyond the 60000000 left/),
    ]);
  });
});
