/**
 * Learning survives kills: the real daemon watches a corpus of split sessions with fix loops and
 * repeated sequences (plus a generated corpus for volume), is killed with SIGKILL at random points
 * and restarted until everything is in; every learned table then equals that of one clean pass,
 * row for row.
 */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { generateCorpus, rng } from '../../bench/corpus.js';
import { runCli, spawnForeground, type DaemonTarget, type ForegroundDaemon } from '../helpers/cli.js';
import { diffDumps, dumpLearnedTables } from '../helpers/learned-tables.js';
import { writeLearnCorpus } from '../helpers/learn-corpus.js';
import { socketAnswers } from '../helpers/raw-socket.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, stateDirs } = e2eDaemons({ stopGracefully: false });

function newTarget(): DaemonTarget {
  const stateDir = dirs.make('ol-lcrash-');
  stateDirs.push(stateDir);
  return { stateDir, socket: shortSocketPath() };
}

async function waitAnswers(t: DaemonTarget, d: ForegroundDaemon): Promise<void> {
  await vi.waitFor(
    async () => {
      if (d.child.exitCode !== null) throw new Error(`the daemon exited (${d.child.exitCode}): ${d.stderr()}`);
      expect(await socketAnswers(t.socket!)).toBe(true);
    },
    { timeout: 60_000, interval: 20 },
  );
}

function withDb<T>(stateDir: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(join(stateDir, 'outloop.db'), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Tool calls and pattern occurrences stored so far. */
function progress(stateDir: string): [number, number] {
  const path = join(stateDir, 'outloop.db');
  if (!existsSync(path)) return [0, 0];
  return withDb(stateDir, (db) => [
    db.prepare('SELECT count(*) FROM tool_calls').pluck().get() as number,
    db.prepare('SELECT count(*) FROM pattern_occurrences').pluck().get() as number,
  ]);
}

/** `outloop ingest` twice (the second finds nothing new and learns what is left), then a clean stop. */
async function finish(t: DaemonTarget, d: ForegroundDaemon, corpus: string): Promise<number> {
  const t0 = Date.now();
  for (let i = 0; i < 2; i++) {
    const r = await runCli(['ingest', corpus, '--json'], t, { timeoutMs: 300_000 });
    expect(r.code).toBe(0);
  }
  const ingestMs = Date.now() - t0;
  // context profiles are refreshed a few seconds after their patterns settle: wait until none is older
  // than its pattern and the profiles stay the same over more than that delay
  let last = '';
  await vi.waitFor(
    () => {
      const [stale, now] = withDb(t.stateDir, (db) => [
        db
          .prepare(
            `SELECT count(*) FROM context_profiles c JOIN operation_patterns p ON p.id = c.pattern_id WHERE c.updated_at < p.updated_at`,
          )
          .pluck()
          .get() as number,
        JSON.stringify(db.prepare('SELECT pattern_id, updated_at FROM context_profiles ORDER BY pattern_id').all()),
      ]);
      const stable = now === last;
      last = now;
      expect(stale).toBe(0);
      expect(now).not.toBe('[]');
      expect(stable).toBe(true);
    },
    { timeout: 120_000, interval: 6_000 },
  );
  const stop = await runCli(['stop'], t, { timeoutMs: 30_000 });
  expect(stop.code).toBe(0);
  await d.exited;
  // nothing waits to be learned
  expect(withDb(t.stateDir, (db) => db.prepare('SELECT count(*) FROM learn_sessions').pluck().get())).toBe(0);
  return ingestMs;
}

describe('learning and crashes', () => {
  it(
    'SIGKILL at random points while learning, restarts: the learned tables of one clean pass',
    { timeout: 600_000 },
    async () => {
      const corpus = dirs.make('ol-lcrash-corpus-');
      writeLearnCorpus(join(corpus, 'loops'), 40);
      generateCorpus(join(corpus, 'bench'), 3_000_000, { seed: 7, sessionBytes: 30_000 });

      const clean = newTarget();
      const d0 = spawnForeground(clean);
      await waitAnswers(clean, d0);
      // how long one clean ingest takes: kills are spread over about that long after each start
      const cleanMs = await finish(clean, d0, corpus);
      const reference = withDb(clean.stateDir, (db) => dumpLearnedTables(db));
      const full = reference['pattern_occurrences']?.length ?? 0;
      expect(full).toBeGreaterThan(500);
      const fullCalls = progress(clean.stateDir)[0];
      expect(reference['operation_patterns']?.filter((r) => r.startsWith('["fix:')).length).toBeGreaterThan(2);

      const t = newTarget();
      const random = rng(20_261_207);
      let killedMidway = 0;
      for (let cycle = 0; killedMidway < 8 && cycle < 60; cycle++) {
        const d = spawnForeground(t, ['--watch', corpus]);
        await waitAnswers(t, d);
        await new Promise((r) => setTimeout(r, Math.floor(random() * Math.max(100, cleanMs))));
        d.child.kill('SIGKILL');
        await d.exited;
        // killed while calls were still coming in or being learned
        const [calls, occ] = progress(t.stateDir);
        if (calls < fullCalls || occ < full) killedMidway++;
      }
      expect(killedMidway).toBeGreaterThanOrEqual(8);

      const last = spawnForeground(t, ['--watch', corpus]);
      await waitAnswers(t, last);
      await finish(t, last, corpus);
      const got = withDb(t.stateDir, (db) => dumpLearnedTables(db));
      const { compared, differences } = diffDumps(reference, got);
      const sizes = Object.entries(reference).map(([k, v]) => `${k} ${v.length}`);
      process.stderr.write(
        `learned rows compared: ${compared} (${sizes.join(', ')}), different: ${differences.length}\n`,
      );
      expect(differences.slice(0, 20)).toEqual([]);
    },
  );
});
