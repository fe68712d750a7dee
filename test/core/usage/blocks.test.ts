import { describe, expect, it } from 'vitest';
import {
  activeBlock,
  blockTokenLimitStatus,
  filterRecentBlocks,
  maxCompletedBlockTokens,
  sessionBlocks,
} from '../../../src/core/usage/blocks.js';
import type { UsageRow } from '../../../src/core/usage/usage-report.js';

function e(ts: string, input = 1000, output = 500, costUsd = 0.25, model = 'claude-sonnet-4-5'): UsageRow {
  return {
    ts,
    sessionId: 's',
    project: 'p',
    model,
    inputTokens: input,
    outputTokens: output,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    costUsd,
  };
}
const at = (iso: string): Date => new Date(iso);

describe('sessionBlocks', () => {
  it('is empty for no rows', () => {
    expect(sessionBlocks([], at('2024-01-01T00:00:00Z'))).toEqual([]);
  });

  it('builds one active block with burn rate and projection (ccusage arithmetic)', () => {
    const rows = [e('2024-01-01T10:00:00Z'), e('2024-01-01T11:00:00Z'), e('2024-01-01T12:00:00Z')];
    const blocks = sessionBlocks(rows, at('2024-01-01T12:30:00Z'));
    expect(blocks).toEqual([
      {
        id: '2024-01-01T10:00:00.000Z',
        startTime: '2024-01-01T10:00:00.000Z',
        endTime: '2024-01-01T15:00:00.000Z',
        actualEndTime: '2024-01-01T12:00:00.000Z',
        isActive: true,
        isGap: false,
        entries: 3,
        undatedEntries: 0,
        tokenCounts: { inputTokens: 3000, outputTokens: 1500, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
        totalTokens: 4500,
        costUSD: 0.75,
        models: ['claude-sonnet-4-5'],
        // 4500 tokens / 120 min; $0.75 / 120 min × 60
        burnRate: { tokensPerMinute: 37.5, tokensPerMinuteForIndicator: 37.5, costPerHour: 0.375 },
        // 150 min left: 4500 + 37.5 × 150; 0.75 + 0.375/60 × 150 = 1.6875 → 1.69
        projection: { totalTokens: 10125, totalCost: 1.69, remainingMinutes: 150 },
      },
    ]);
  });

  it('floors the start to the UTC hour and keeps unrounded minutes for the projection', () => {
    const rows = [e('2024-01-01T10:37:12Z', 600, 0, 0), e('2024-01-01T10:47:12Z', 600, 0, 0)];
    const [b] = sessionBlocks(rows, at('2024-01-01T14:59:30Z'));
    expect(b?.startTime).toBe('2024-01-01T10:00:00.000Z');
    // 1200 tokens / 10 min = 120/min; 0.5 min left → 1200 + 60 = 1260; remainingMinutes rounds 0.5 → 1
    expect(b?.burnRate?.tokensPerMinute).toBe(120);
    expect(b?.projection).toEqual({ totalTokens: 1260, totalCost: 0, remainingMinutes: 1 });
  });

  it('emits a gap block when entries are more than 5 h apart', () => {
    const rows = [e('2024-01-01T10:00:00Z'), e('2024-01-01T12:00:00Z'), e('2024-01-01T20:00:00Z')];
    const blocks = sessionBlocks(rows, at('2024-01-02T12:00:00Z'));
    expect(blocks.map((b) => [b.id, b.startTime, b.endTime, b.isGap, b.entries, b.isActive])).toEqual([
      ['2024-01-01T10:00:00.000Z', '2024-01-01T10:00:00.000Z', '2024-01-01T15:00:00.000Z', false, 2, false],
      ['gap-2024-01-01T17:00:00.000Z', '2024-01-01T17:00:00.000Z', '2024-01-01T20:00:00.000Z', true, 0, false],
      ['2024-01-01T20:00:00.000Z', '2024-01-01T20:00:00.000Z', '2024-01-02T01:00:00.000Z', false, 1, false],
    ]);
    const gap = blocks[1];
    expect(gap?.actualEndTime).toBeNull();
    expect(gap?.burnRate).toBeNull();
    expect(gap?.totalTokens).toBe(0);
    expect(blocks[2]?.burnRate).toBeNull(); // a single entry has no rate
    expect(blocks[0]?.projection).toBeNull(); // inactive
  });

  it.each([
    // closes when more than 5 h after the block start, without a gap
    [
      ['10:30:00', '13:00:00', '15:10:00'],
      ['10:00 2', '15:00 1'],
    ],
    // exactly 5 h after the start stays in the block (strictly greater closes)
    [['10:00:00', '14:00:00', '15:00:00'], ['10:00 3']],
    // exactly 5 h after the last entry: no gap either
    [['10:00:00', '15:00:00'], ['10:00 2']],
    // 5 h + 1 s after the last entry: closes with a gap from last + 5 h
    [
      ['09:59:00', '14:59:01'],
      ['09:00 1', 'gap 14:59 0', '14:00 1'],
    ],
  ])('splits %j into %j', (times, want) => {
    const rows = times.map((t) => e(`2024-06-01T${t}Z`));
    const got = sessionBlocks(rows, at('2024-06-03T00:00:00Z')).map(
      (b) => `${b.isGap ? 'gap ' : ''}${b.startTime.slice(11, 16)} ${b.entries}`,
    );
    expect(got).toEqual(want);
  });

  it('spans month and year boundaries', () => {
    const blocks = sessionBlocks(
      [e('2024-01-31T22:15:00Z'), e('2024-02-01T02:00:00Z'), e('2024-12-31T23:30:00Z'), e('2025-01-01T01:00:00Z')],
      at('2025-01-01T01:30:00Z'),
    );
    expect(blocks.map((b) => [b.startTime, b.endTime, b.entries, b.isActive])).toEqual([
      ['2024-01-31T22:00:00.000Z', '2024-02-01T03:00:00.000Z', 2, false],
      ['2024-02-01T07:00:00.000Z', '2024-12-31T23:30:00.000Z', 0, false],
      ['2024-12-31T23:00:00.000Z', '2025-01-01T04:00:00.000Z', 2, true],
    ]);
  });

  it.each([
    ['2024-01-01T14:59:59Z', true],
    ['2024-01-01T15:00:00Z', false], // now < endTime fails
  ])('isActive at %s is %s', (now, active) => {
    const [b] = sessionBlocks([e('2024-01-01T10:00:00Z')], at(now));
    expect(b?.isActive).toBe(active);
  });

  it('is inactive when the last entry is 5 h old even inside a longer block', () => {
    const [b] = sessionBlocks([e('2024-01-01T10:00:00Z')], at('2024-01-01T15:00:00Z'), { sessionHours: 8 });
    expect(b?.endTime).toBe('2024-01-01T18:00:00.000Z');
    expect(b?.isActive).toBe(true);
    const [c] = sessionBlocks([e('2024-01-01T10:00:00Z')], at('2024-01-01T18:00:00Z'), { sessionHours: 8 });
    expect(c?.isActive).toBe(false);
  });

  it('sorts unsorted input, skips bad timestamps and leaves <synthetic> out of models', () => {
    const blocks = sessionBlocks(
      [
        e('2024-01-01T12:00:00Z', 1, 1, 0, 'claude-opus-4-6'),
        e('garbage'),
        e('2024-01-01T10:00:00Z', 1, 1, 0, '<synthetic>'),
        e('2024-01-01T11:00:00Z', 1, 1, 0, 'claude-haiku-4-5'),
      ],
      at('2024-01-02T00:00:00Z'),
    );
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.entries).toBe(3);
    expect(blocks[0]?.models).toEqual(['claude-haiku-4-5', 'claude-opus-4-6']);
    expect(blocks[0]?.actualEndTime).toBe('2024-01-01T12:00:00.000Z');
  });

  it('respects sessionHours', () => {
    const blocks = sessionBlocks([e('2024-01-01T10:00:00Z'), e('2024-01-01T11:30:00Z')], at('2024-01-02T00:00:00Z'), {
      sessionHours: 1,
    });
    expect(
      blocks.map((b) => `${b.isGap ? 'gap-' : ''}${b.startTime.slice(11, 16)}-${b.endTime.slice(11, 16)}`),
    ).toEqual(['10:00-11:00', 'gap-11:00-11:30', '11:00-12:00']);
  });
});

describe('block helpers', () => {
  const rows = [
    e('2024-01-01T00:00:00Z', 100, 0),
    e('2024-01-01T10:00:00Z', 300, 0),
    e('2024-01-05T10:00:00Z', 50, 0),
    e('2024-01-05T11:00:00Z', 50, 0),
  ];
  const now = at('2024-01-05T11:30:00Z');
  const blocks = sessionBlocks(rows, now);

  it('finds the active block and the completed maximum', () => {
    expect(activeBlock(blocks)?.startTime).toBe('2024-01-05T10:00:00.000Z');
    expect(activeBlock([])).toBeNull();
    expect(maxCompletedBlockTokens(blocks)).toBe(300);
    expect(maxCompletedBlockTokens([])).toBe(0);
  });

  it('keeps recent or active blocks', () => {
    expect(filterRecentBlocks(blocks, now, 3).map((b) => b.id)).toEqual(['2024-01-05T10:00:00.000Z']);
    expect(filterRecentBlocks(blocks, now, 5)).toHaveLength(blocks.length);
  });

  it.each([
    [400, 'exceeds'],
    [500, 'warning'], // 450 > 0.8 × 500
    [1000, 'ok'],
  ] as const)('limit %i → %s', (limit, status) => {
    const active = activeBlock(blocks);
    if (active === null) throw new Error('no active block');
    // 100 tokens over 60 min → 100/60 per min × 210 min left = 350 → 450 projected
    expect(blockTokenLimitStatus(active, limit)).toEqual({
      limit,
      projectedUsage: 450,
      percentUsed: Math.round((450 / limit) * 10000) / 100,
      status,
    });
  });
});

describe('sessionBlocks: rates only from real times', () => {
  const now = at('2024-01-01T12:10:00Z');
  const undated = (ts: string, input = 5_000_000): UsageRow => ({ ...e(ts, input, 1000, 20), undated: true });

  it('gives no rate or projection to records stamped with their file time within a second', () => {
    const rows = [
      undated('2024-01-01T12:00:00.100Z'),
      undated('2024-01-01T12:00:00.400Z'),
      undated('2024-01-01T12:00:01Z'),
    ];
    const [b] = sessionBlocks(rows, now);
    expect(b?.totalTokens).toBe(3 * 5_001_000);
    expect(b?.undatedEntries).toBe(3);
    expect(b?.burnRate).toBeNull();
    expect(b?.projection).toBeNull();
  });

  it('gives no rate to dated records spanning less than the minimum span', () => {
    const rows = [e('2024-01-01T12:00:00Z'), e('2024-01-01T12:00:01Z'), e('2024-01-01T12:02:00Z')];
    const [b] = sessionBlocks(rows, now);
    expect(b?.burnRate).toBeNull();
    expect(b?.projection).toBeNull();
    expect(b?.totalTokens).toBe(4500);
  });

  it('leaves undated tokens out of the rate of a block that also has dated records', () => {
    const rows = [e('2024-01-01T10:00:00Z'), undated('2024-01-01T10:30:00Z'), e('2024-01-01T12:00:00Z')];
    const [b] = sessionBlocks(rows, now);
    expect(b?.undatedEntries).toBe(1);
    // 3000 dated tokens over 120 minutes; the 5,001,000 undated ones count only in the total
    expect(b?.burnRate?.tokensPerMinute).toBe(25);
    expect(b?.totalTokens).toBe(3000 + 5_001_000);
  });

  it('takes the undated part of a roll-up row out of the rate', () => {
    const bucket: UsageRow = {
      ...e('2024-01-01T10:00:00Z', 10_000, 2000, 1),
      undatedTokens: 9000,
      undatedCostUsd: 0.5,
      undatedRecords: 4,
    };
    const [b] = sessionBlocks([bucket, e('2024-01-01T11:00:00Z', 0, 0, 0)], now);
    expect(b?.undatedEntries).toBe(4);
    expect(b?.burnRate?.tokensPerMinute).toBe(3000 / 60);
    expect(b?.burnRate?.costPerHour).toBe(0.5);
  });
});
