import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunLog, listRuns, newRunId, runLogPath } from '../../../src/cli/run/log-store.js';
import { DEFAULT_RETENTION, pruneDue, pruneRuns, readRetention } from '../../../src/cli/run/retention.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const DAY = 86_400_000;

function keptLog(stateDir: string, startMs: number, bytes: number, ageDays: number, now: number): string {
  const id = newRunId(startMs);
  mkdirSync(join(stateDir, 'runs'), { recursive: true });
  writeFileSync(join(stateDir, 'runs', `${id}.log`), Buffer.alloc(bytes, 0x61));
  const t = (now - ageDays * DAY) / 1000;
  utimesSync(join(stateDir, 'runs', `${id}.log`), t, t);
  return id;
}

describe('kept run logs', () => {
  it('ids sort by start time and never name a path outside the runs dir', () => {
    expect(newRunId(1000) < newRunId(2000)).toBe(true);
    expect(newRunId()).toMatch(/^r-[0-9a-f]{20}$/);
    expect(runLogPath('/s', '../../etc/passwd')).toBeNull();
    expect(runLogPath('/s', 'r-0123456789abcdef')).toBe('/s/runs/r-0123456789abcdef.log');
  });

  it('are created 0600 in a 0700 dir whatever the umask', () => {
    const stateDir = dirs.make();
    const old = process.umask(0o000);
    try {
      createRunLog(stateDir, 'r-0123456789abcdef');
    } finally {
      process.umask(old);
    }
    expect(statSync(join(stateDir, 'runs')).mode & 0o777).toBe(0o700);
    expect(statSync(join(stateDir, 'runs', 'r-0123456789abcdef.log')).mode & 0o777).toBe(0o600);
  });

  it('are pruned by age, then oldest first down to the size cap, never the run just made', () => {
    const stateDir = dirs.make();
    const now = Date.now();
    const old = keptLog(stateDir, now - 20 * DAY, 10, 20, now);
    const a = keptLog(stateDir, now - 3 * DAY, 600_000, 3, now);
    const b = keptLog(stateDir, now - 2 * DAY, 600_000, 2, now);
    const c = keptLog(stateDir, now - DAY, 600_000, 1, now);
    const huge = keptLog(stateDir, now, 3_000_000, 0, now);
    writeFileSync(join(stateDir, 'runs', 'notes.txt'), 'not a log');
    const deleted = pruneRuns(stateDir, huge, { maxAgeDays: 14, maxTotalMB: 1 }, now);
    expect(deleted).toEqual([old, a, b, c]);
    expect(listRuns(stateDir).map((r) => r.id)).toEqual([huge]);
    expect(readdirSync(join(stateDir, 'runs'))).toContain('notes.txt');
  });

  it('limits come from config.json runs, defaults for anything missing or invalid', () => {
    const stateDir = dirs.make();
    expect(readRetention(stateDir)).toEqual(DEFAULT_RETENTION);
    writeFileSync(join(stateDir, 'config.json'), JSON.stringify({ runs: { maxAgeDays: 2, maxTotalMB: 'lots' } }));
    expect(readRetention(stateDir)).toEqual({ maxAgeDays: 2, maxTotalMB: DEFAULT_RETENTION.maxTotalMB });
    writeFileSync(join(stateDir, 'config.json'), '{not json');
    expect(readRetention(stateDir)).toEqual(DEFAULT_RETENTION);
  });
});

describe('pruneDue', () => {
  it('prunes at most once a minute, unless the run alone wrote a large part of the allowed total', () => {
    const stateDir = dirs.make();
    createRunLog(stateDir, 'r-0123456789abcdef');
    const limits = { maxAgeDays: 14, maxTotalMB: 10 };
    const now = Date.now();
    expect(pruneDue(stateDir, 100, limits, now)).toBe(true);
    expect(pruneDue(stateDir, 100, limits, now + 30_000)).toBe(false);
    expect(pruneDue(stateDir, 2 * 1024 * 1024, limits, now + 30_000)).toBe(true);
    expect(pruneDue(stateDir, 100, limits, now + 100_000)).toBe(true);
    // the stamp is not a log
    expect(listRuns(stateDir).map((r) => r.id)).toEqual(['r-0123456789abcdef']);
  });
});
