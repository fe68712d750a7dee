import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/core/offload/offload-file.js';
import { parseRunReport } from '../../../src/core/offload/run-report.js';
import { runEnvelopeLine } from '../../../src/core/records/spool-envelope.js';

const RUN: RunReport = {
  id: 'r-01a24d70a52be92660e7',
  signature: null,
  command: 'node --test t.test.mjs',
  cwd: '/w',
  exitCode: 137,
  signal: 'SIGKILL',
  startedAt: '2026-12-06T10:00:00.000Z',
  endedAt: '2026-12-06T10:00:01.000Z',
  durationMs: 1000,
  family: 'generic',
  tool: 'generic',
  rawBytes: 10,
  rawTokens: 3,
  compactTokens: 30,
  sessionId: null,
};

describe('run reports', () => {
  it('the envelope reads back as the same report', () => {
    const env = JSON.parse(runEnvelopeLine(RUN, '2026-12-06T10:00:01.100Z')) as { v: number; run: unknown };
    expect(env.v).toBe(1);
    expect(parseRunReport(env.run)).toEqual({ ok: true, run: RUN });
  });
  it.each([
    ['id', 'r-XYZ', 'run.id is not r-<hex>'],
    ['signature', '', 'run.signature is not a signature or null'],
    ['command', '  ', 'run.command is empty'],
    ['exitCode', 1.5, 'run.exitCode is not an exit status'],
    ['startedAt', 'yesterday', 'run.startedAt/endedAt is not a time'],
    ['durationMs', -1, 'run.durationMs is not a count'],
    ['compactTokens', '30', 'run.compactTokens is not a count'],
    ['sessionId', 42, 'run.sessionId is not a string or null'],
  ])('refuses a bad %s', (key, value, reason) => {
    expect(parseRunReport({ ...RUN, [key]: value })).toEqual({ ok: false, reason });
  });
});
