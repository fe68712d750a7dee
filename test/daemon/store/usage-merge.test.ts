import { describe, expect, it } from 'vitest';
import type { UsageRecord } from '../../../src/core/types.js';
import { mergeUsageCopies } from '../../../src/daemon/store/usage-merge.js';

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
