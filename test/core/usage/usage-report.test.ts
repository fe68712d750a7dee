import { describe, expect, it } from 'vitest';
import {
  DailyAccumulator,
  dailyReport,
  monthlyReport,
  sessionReport,
  type UsageRow,
} from '../../../src/core/usage/usage-report.js';

const SONNET = 'claude-sonnet-4-5';
const OPUS = 'claude-opus-4-6';
const HAIKU = 'claude-haiku-4-5';

function row(
  ts: string,
  model: string,
  [i, o, cc, cr]: [number, number, number, number],
  costUsd: number,
  sessionId: string | null = null,
  project: string | null = null,
): UsageRow {
  return {
    ts,
    sessionId,
    project,
    model,
    inputTokens: i,
    outputTokens: o,
    cacheCreationTokens: cc,
    cacheReadTokens: cr,
    costUsd,
  };
}

// Costs are binary-exact (0.5, 0.25, 0.125) so sums compare with toBe/toEqual.
const ROWS: UsageRow[] = [
  row('2024-01-31T23:59:59Z', SONNET, [100, 200, 10, 1000], 0.5, 's1', 'p1'),
  row('2024-02-01T00:00:00Z', SONNET, [1, 2, 3, 4], 0.25, 's1', 'p1'),
  row('2024-02-01T12:00:00Z', OPUS, [10, 20, 30, 40], 1, 's2', 'p1'),
  row('2024-02-01T13:00:00Z', '<synthetic>', [0, 0, 0, 0], 0, 's2', 'p1'),
  row('2024-02-29T10:00:00Z', OPUS, [5, 5, 5, 5], 0.125, 's3', 'p2'),
  row('2024-12-31T23:00:00Z', HAIKU, [1, 1, 1, 1], 0.5),
  row('2025-01-01T00:30:00Z', HAIKU, [2, 2, 2, 2], 0.25),
];

const ZERO_TOTALS = {
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationTokens: 0,
  cacheReadTokens: 0,
  totalTokens: 0,
  totalCost: 0,
};

describe('dailyReport', () => {
  it('groups by UTC day across Jan 31 → Feb 1, leap Feb 29 and Dec → Jan', () => {
    const r = dailyReport(ROWS);
    expect(r.daily.map((d) => [d.date, d.totalTokens, d.totalCost])).toEqual([
      ['2024-01-31', 1310, 0.5],
      ['2024-02-01', 110, 1.25],
      ['2024-02-29', 20, 0.125],
      ['2024-12-31', 4, 0.5],
      ['2025-01-01', 8, 0.25],
    ]);
    expect(r.daily[1]).toEqual({
      date: '2024-02-01',
      inputTokens: 11,
      outputTokens: 22,
      cacheCreationTokens: 33,
      cacheReadTokens: 44,
      totalTokens: 110,
      totalCost: 1.25,
      modelsUsed: [OPUS, SONNET],
      modelBreakdowns: [
        { modelName: OPUS, inputTokens: 10, outputTokens: 20, cacheCreationTokens: 30, cacheReadTokens: 40, cost: 1 },
        { modelName: SONNET, inputTokens: 1, outputTokens: 2, cacheCreationTokens: 3, cacheReadTokens: 4, cost: 0.25 },
      ],
    });
    expect(r.totals).toEqual({
      inputTokens: 119,
      outputTokens: 230,
      cacheCreationTokens: 51,
      cacheReadTokens: 1052,
      totalTokens: 1452,
      totalCost: 2.625,
    });
  });

  it('keeps ccusage field order', () => {
    const d = dailyReport(ROWS).daily[0];
    expect(Object.keys(d ?? {})).toEqual([
      'date',
      'inputTokens',
      'outputTokens',
      'cacheCreationTokens',
      'cacheReadTokens',
      'totalTokens',
      'totalCost',
      'modelsUsed',
      'modelBreakdowns',
    ]);
  });

  it.each([
    [{ since: '20240201', until: '2024-02-29' }, ['2024-02-01', '2024-02-29']],
    [{ since: '2024-12-31' }, ['2024-12-31', '2025-01-01']],
    [{ until: '20240131' }, ['2024-01-31']],
    [{ since: '2024-02-01', until: '2024-02-01' }, ['2024-02-01']],
    [{ since: '2024-03-01', until: '2024-03-31' }, []],
    [{ order: 'desc' as const, since: '2024-12-01' }, ['2025-01-01', '2024-12-31']],
  ])('filters %j', (opts, dates) => {
    const r = dailyReport(ROWS, opts);
    expect(r.daily.map((d) => d.date)).toEqual(dates);
    expect(r.totals.totalTokens).toBe(r.daily.reduce((s, d) => s + d.totalTokens, 0));
  });

  it('groups by day in a time zone', () => {
    const r = dailyReport(ROWS, { timeZone: 'America/New_York' });
    expect(r.daily.map((d) => [d.date, d.totalTokens, d.totalCost])).toEqual([
      ['2024-01-31', 1320, 0.75],
      ['2024-02-01', 100, 1],
      ['2024-02-29', 20, 0.125],
      ['2024-12-31', 12, 0.75],
    ]);
    expect(r.daily[1]?.modelsUsed).toEqual([OPUS]);
  });

  it('adds pre-aggregated rows (one per day and model)', () => {
    const r = dailyReport([
      row('2024-03-01T00:00:00Z', SONNET, [1_000_000, 2_000_000, 3_000_000, 40_000_000], 12.5),
      row('2024-03-01T00:00:00Z', SONNET, [1, 1, 1, 1], 0.5),
      row('2024-03-01T00:00:00Z', OPUS, [0, 10, 0, 0], 20),
    ]);
    expect(r.daily).toHaveLength(1);
    expect(r.daily[0]?.totalTokens).toBe(46_000_014);
    expect(r.daily[0]?.modelBreakdowns.map((b) => [b.modelName, b.cost])).toEqual([
      [OPUS, 20],
      [SONNET, 13],
    ]);
  });

  it('returns empty for no rows and rejects bad ranges', () => {
    expect(dailyReport([])).toEqual({ daily: [], totals: ZERO_TOTALS });
    expect(() => dailyReport([], { since: '2024-02-30' })).toThrow(/since must be/);
    expect(() => dailyReport(ROWS, { until: 'soon' })).toThrow(/until must be/);
  });

  it('leaves <synthetic> out of modelsUsed and breakdowns but keeps its tokens', () => {
    const r = dailyReport([row('2024-05-05T05:05:05Z', '<synthetic>', [0, 7, 0, 0], 0)]);
    expect(r.daily[0]?.modelsUsed).toEqual([]);
    expect(r.daily[0]?.modelBreakdowns).toEqual([]);
    expect(r.daily[0]?.outputTokens).toBe(7);
  });
});

describe('DailyAccumulator', () => {
  it('folds incrementally, skips unparseable timestamps, answers daily and monthly', () => {
    const acc = new DailyAccumulator();
    for (const r of ROWS) acc.add(r);
    acc.add(row('not a date', SONNET, [9, 9, 9, 9], 9));
    expect(acc.skipped).toBe(1);
    expect(acc.result()).toEqual(dailyReport(ROWS));
    expect(acc.monthly()).toEqual(monthlyReport(ROWS));
  });
});

describe('monthlyReport', () => {
  it('groups by month with Dec → Jan', () => {
    const r = monthlyReport(ROWS);
    expect(r.monthly.map((m) => [m.month, m.totalTokens, m.totalCost])).toEqual([
      ['2024-01', 1310, 0.5],
      ['2024-02', 130, 1.375],
      ['2024-12', 4, 0.5],
      ['2025-01', 8, 0.25],
    ]);
    expect(r.monthly[1]).toEqual({
      month: '2024-02',
      inputTokens: 16,
      outputTokens: 27,
      cacheCreationTokens: 38,
      cacheReadTokens: 49,
      totalTokens: 130,
      totalCost: 1.375,
      modelsUsed: [OPUS, SONNET],
      modelBreakdowns: [
        {
          modelName: OPUS,
          inputTokens: 15,
          outputTokens: 25,
          cacheCreationTokens: 35,
          cacheReadTokens: 45,
          cost: 1.125,
        },
        { modelName: SONNET, inputTokens: 1, outputTokens: 2, cacheCreationTokens: 3, cacheReadTokens: 4, cost: 0.25 },
      ],
    });
    expect(r.totals.totalTokens).toBe(1452);
  });

  it('filters by day before grouping', () => {
    const r = monthlyReport(ROWS, { since: '2024-02-02', until: '2024-12-31' });
    expect(r.monthly.map((m) => [m.month, m.totalTokens])).toEqual([
      ['2024-02', 20],
      ['2024-12', 4],
    ]);
  });

  it('is empty for no rows', () => {
    expect(monthlyReport([])).toEqual({ monthly: [], totals: ZERO_TOTALS });
  });
});

describe('sessionReport', () => {
  it('groups by project + session with lastActivity as a day', () => {
    const r = sessionReport(ROWS);
    expect(r.sessions.map((s) => [s.projectPath, s.sessionId, s.lastActivity, s.totalTokens, s.totalCost])).toEqual([
      ['p1', 's1', '2024-02-01', 1320, 0.75],
      ['p1', 's2', '2024-02-01', 100, 1],
      ['p2', 's3', '2024-02-29', 20, 0.125],
      ['Unknown Project', 'unknown', '2025-01-01', 12, 0.75],
    ]);
    expect(Object.keys(r.sessions[0] ?? {})).toEqual([
      'sessionId',
      'inputTokens',
      'outputTokens',
      'cacheCreationTokens',
      'cacheReadTokens',
      'totalTokens',
      'totalCost',
      'lastActivity',
      'modelsUsed',
      'modelBreakdowns',
      'projectPath',
    ]);
    expect(r.sessions[1]?.modelsUsed).toEqual([OPUS]);
    expect(r.totals.totalTokens).toBe(1452);
  });

  it('filters on lastActivity and orders desc', () => {
    const r = sessionReport(ROWS, { since: '2024-02-02', order: 'desc' });
    expect(r.sessions.map((s) => s.sessionId)).toEqual(['unknown', 's3']);
  });

  it('uses the time zone for lastActivity', () => {
    const r = sessionReport(ROWS, { timeZone: 'America/Los_Angeles', until: '2024-01-31' });
    expect(r.sessions.map((s) => [s.sessionId, s.lastActivity])).toEqual([['s1', '2024-01-31']]);
  });

  it('keeps the same session id in two projects apart and is empty for no rows', () => {
    const r = sessionReport([
      row('2024-01-01T00:00:00Z', SONNET, [1, 0, 0, 0], 0, 'same', 'a'),
      row('2024-01-01T00:00:00Z', SONNET, [2, 0, 0, 0], 0, 'same', 'b'),
    ]);
    expect(r.sessions.map((s) => [s.projectPath, s.inputTokens])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(sessionReport([])).toEqual({ sessions: [], totals: ZERO_TOTALS });
  });
});
