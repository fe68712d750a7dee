/**
 * Nothing lost, nothing counted twice: the daemon is killed with SIGKILL at random points while it
 * ingests a corpus (watcher and explicit `outloop ingest` both at work, spool files waiting),
 * restarted each time, and at the end its ingest tables equal those of one clean pass, row for row.
 */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { generateCorpus, rng } from '../../bench/corpus.js';
import { runCli, spawnForeground, type CliResult, type DaemonTarget, type ForegroundDaemon } from '../helpers/cli.js';
import { copyFixture, dumpIngestTables, writeSpool } from '../helpers/ingest.js';
import { socketAnswers } from '../helpers/raw-socket.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, stateDirs } = e2eDaemons({ stopGracefully: false });

function newTarget(): DaemonTarget {
  const stateDir = dirs.make('ol-crash-');
  stateDirs.push(stateDir);
  return { stateDir, socket: shortSocketPath() };
}

const SESSION = '44444444-5555-4666-8777-888888888888';

/** Hook payloads as `outloop hook` would spool them: some with tool_use_id, some 2.0.x without. */
function writeSpoolFiles(stateDir: string): void {
  const spool = join(stateDir, 'spool');
  for (let i = 0; i < 40; i++) {
    const withId = i % 3 !== 0;
    const event = i % 2 === 0 ? 'PreToolUse' : 'PostToolUse';
    const call = Math.floor(i / 2);
    const payload = JSON.stringify({
      session_id: SESSION,
      cwd: '/w',
      hook_event_name: event,
      tool_name: 'Bash',
      tool_input: { command: `make step${call % 4}` },
      ...(withId ? { tool_use_id: `toolu_spool_${call}` } : {}),
      ...(event === 'PostToolUse' ? { tool_response: { stdout: 'ok', stderr: '', interrupted: false } } : {}),
    });
    writeSpool(
      spool,
      `${1_760_000_000_000 + i}-1-${i.toString(16).padStart(4, '0')}`,
      payload,
      new Date(1_760_000_000_000 + i * 1000).toISOString(),
    );
  }
  writeSpool(spool, `${1_760_000_000_000 + 99}-1-bad`, '{"torn": ', new Date(1_760_000_000_000).toISOString());
}

async function waitAnswers(t: DaemonTarget, d: ForegroundDaemon): Promise<void> {
  await vi.waitFor(
    async () => {
      if (d.child.exitCode !== null)
        throw new Error(`the daemon exited (${d.child.exitCode}): ${d.stderr()}\n${tailOfLog(t.stateDir)}`);
      expect(await socketAnswers(t.socket!)).toBe(true);
    },
    { timeout: 60_000, interval: 20 },
  );
}

function tailOfLog(stateDir: string): string {
  try {
    return readFileSync(join(stateDir, 'daemon.log'), 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

async function stopDaemon(t: DaemonTarget, exited: Promise<unknown>): Promise<void> {
  const r = await runCli(['stop'], t, { timeoutMs: 30_000 });
  expect(r.code).toBe(0);
  await exited;
}

function spoolEmpty(stateDir: string): boolean {
  const spool = join(stateDir, 'spool');
  return !existsSync(spool) || readdirSync(spool).filter((f) => !f.startsWith('.')).length === 0;
}

/** Row counts straight from the database file of a stopped (or killed) daemon. */
function progress(stateDir: string): number[] {
  const path = join(stateDir, 'outloop.db');
  if (!existsSync(path)) return [0, 0, 0, 0];
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const n = (sql: string): number => (db.prepare(sql).pluck().get() as number | undefined) ?? 0;
    return [
      n('SELECT count(*) FROM ingest_offsets'),
      n('SELECT count(*) FROM hook_events'),
      n('SELECT count(*) FROM usage_records'),
      n('SELECT count(*) FROM workflow_runs'),
    ];
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it(
    'SIGKILL at random points during ingestion (20+ times), restarts: exactly the rows of one clean pass',
    { timeout: 600_000 },
    async () => {
      const corpus = dirs.make('ol-crash-corpus-');
      generateCorpus(corpus, 10_000_000, { seed: 42, sessionBytes: 40_000 });
      copyFixture('hooks', join(corpus, 'hooks', 'logs', 'fixtures'));
      copyFixture('transcripts', join(corpus, 'claude', 'projects'));
      copyFixture('adw/agents', join(corpus, 'adw', 'agents'));

      // one clean pass
      const clean = newTarget();
      writeSpoolFiles(clean.stateDir);
      const d0 = spawnForeground(clean);
      await waitAnswers(clean, d0);
      const t0 = Date.now();
      const backfill = await runCli(['ingest', corpus, '--json'], clean, { timeoutMs: 300_000 });
      const cleanMs = Date.now() - t0;
      expect(backfill.code).toBe(0);
      await vi.waitFor(() => expect(spoolEmpty(clean.stateDir)).toBe(true), { timeout: 30_000, interval: 50 });
      await stopDaemon(clean, d0.exited);
      const expected = dumpIngestTables(join(clean.stateDir, 'outloop.db'), clean.stateDir);
      const full = progress(clean.stateDir);
      expect(expected['usage_records']!.length).toBeGreaterThan(300);
      expect(expected['tool_calls']!.length).toBeGreaterThan(300);

      // killed again and again while ingesting
      const t = newTarget();
      writeSpoolFiles(t.stateDir);
      const random = rng(20_260_301);
      // mostly short lives (many kills while work remains), some long ones (kills deep inside big batches)
      const delay = (): number =>
        Math.floor(random() < 0.7 ? random() * Math.max(60, cleanMs / 30) : random() * Math.max(200, cleanMs / 8));
      let kills = 0;
      let killedMidway = 0;
      for (let cycle = 0; killedMidway < 20 && cycle < 120; cycle++) {
        const d = spawnForeground(t, ['--watch', corpus]);
        await waitAnswers(t, d);
        // every other cycle an explicit backfill runs too, so kills also land inside `ingest/run`
        let cli: Promise<CliResult> | null = null;
        if (cycle % 2 === 1) cli = runCli(['ingest', corpus, '--json', '--no-autostart'], t, { timeoutMs: 300_000 });
        await new Promise((r) => setTimeout(r, delay()));
        d.child.kill('SIGKILL');
        await d.exited;
        kills++;
        if (cli) await cli; // fails: its daemon died
        const now = progress(t.stateDir);
        if (now.some((v, i) => v < (full[i] ?? 0))) killedMidway++;
        else if (spoolEmpty(t.stateDir)) break; // caught up before 20 kills: more kills would not be "during ingestion"
      }
      expect(kills).toBeGreaterThanOrEqual(20);
      expect(killedMidway).toBeGreaterThanOrEqual(20);

      // restart and let it finish
      const last = spawnForeground(t, ['--watch', corpus]);
      await waitAnswers(t, last);
      const finish = await runCli(['ingest', corpus, '--json'], t, { timeoutMs: 300_000 });
      expect(finish.code).toBe(0);
      await vi.waitFor(() => expect(spoolEmpty(t.stateDir)).toBe(true), { timeout: 30_000, interval: 50 });
      await stopDaemon(t, last.exited);
      const got = dumpIngestTables(join(t.stateDir, 'outloop.db'), t.stateDir);
      for (const table of Object.keys(expected))
        expect({ table, rows: got[table] }).toEqual({ table, rows: expected[table] });
    },
  );
});
