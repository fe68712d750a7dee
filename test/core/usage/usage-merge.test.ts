import { describe, expect, it } from 'vitest';
import type { UsageRecord } from '../../../src/core/types.js';
import { mergeUsageCopies, sameUsageRecord } from '../../../src/core/usage/usage-merge.js';

function rec(ts: string, over: Partial<UsageRecord> = {}): UsageRecord {
  return {
    dedupKey: 'msg_1',
    messageId: 'msg_1',
    requestId: null,
    sessionId: 's',
    agentId: null,
    project: null,
    model: 'claude-sonnet-4-5',
    ts,
    isSidechain: false,
    speed: null,
    costUsd: 0,
    inputTokens: 100,
    outputTokens: 10,
    cacheCreationTokens: 0,
    cacheCreation5mTokens: 0,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 0,
    ...over,
  };
}

describe('mergeUsageCopies and records without a time of their own', () => {
  const dated = rec('2026-03-02T10:00:05.000Z');
  const undated = rec('2026-03-02T09:00:00.000Z', { undated: true, inputTokens: 120 });

  it('takes the dated copy’s time over an earlier file time, in either order, and is dated', () => {
    for (const m of [mergeUsageCopies(dated, undated), mergeUsageCopies(undated, dated)]) {
      expect(m.ts).toBe(dated.ts);
      expect(m.undated).toBeUndefined();
      expect(m.inputTokens).toBe(120);
    }
  });

  it('stays undated when both copies are, with the earliest time', () => {
    const later = rec('2026-03-02T09:30:00.000Z', { undated: true });
    expect(mergeUsageCopies(undated, later)).toMatchObject({ ts: undated.ts, undated: true });
    expect(mergeUsageCopies(later, undated)).toMatchObject({ ts: undated.ts, undated: true });
  });
});

describe('mergeUsageCopies of two partial copies', () => {
  const first = rec('2026-03-02T10:00:05.000Z', { outputTokens: 3, cacheReadTokens: 500, requestId: 'req_1' });
  const last = rec('2026-03-02T10:00:07.000Z', { outputTokens: 250, sessionId: 's2', isSidechain: true });

  it('keeps the largest of each token field, the earliest time and the main chain, in either order', () => {
    const m = mergeUsageCopies(first, last);
    expect(m).toMatchObject({
      ts: first.ts,
      inputTokens: 100,
      outputTokens: 250,
      cacheReadTokens: 500,
      requestId: 'req_1',
      sessionId: 's2',
      isSidechain: false,
    });
    expect(m.costUsd).toBeGreaterThan(0);
    expect(sameUsageRecord(m, mergeUsageCopies(last, first))).toBe(true);
  });

  it('sameUsageRecord tells a record that changed from one that did not', () => {
    const m = mergeUsageCopies(first, last);
    expect(sameUsageRecord(m, mergeUsageCopies(m, first))).toBe(true);
    expect(sameUsageRecord(m, { ...m, outputTokens: 251 })).toBe(false);
    expect(sameUsageRecord(m, { ...m, undated: true })).toBe(false);
  });
});
