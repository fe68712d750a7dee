import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { StatusResult } from '../../src/rpc/protocol.js';
import { CLI_PATH, cliEnv, spawnForeground, type DaemonTarget, type ForegroundDaemon } from '../helpers/cli.js';
import { RawConnection, socketAnswers } from '../helpers/raw-socket.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const TRANSCRIPT = join(
  import.meta.dirname,
  '..',
  'fixtures',
  'transcripts',
  '-home-ana-src-shop-api',
  '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c.jsonl',
);

const { dirs, targets, connections: conns } = e2eDaemons({ stopGracefully: false });

function newTarget(env: Record<string, string> = {}): DaemonTarget {
  const stateDir = dirs.make('ol-lim-');
  mkdirSync(join(stateDir, 'claude-config', 'projects'), { recursive: true });
  const t: DaemonTarget = { stateDir, socket: shortSocketPath(), env };
  targets.push(t);
  return t;
}

async function up(t: DaemonTarget, daemon?: ForegroundDaemon): Promise<ForegroundDaemon | undefined> {
  await vi.waitFor(async () => expect(await socketAnswers(t.socket!)).toBe(true), { timeout: 20_000, interval: 50 });
  return daemon;
}

async function open(t: DaemonTarget): Promise<RawConnection> {
  const c = await RawConnection.open(t.socket!);
  conns.push(c);
  return c;
}

async function status(c: RawConnection): Promise<StatusResult> {
  const r = (await c.call('{"jsonrpc":"2.0","id":"s","method":"daemon/status"}')) as { result: StatusResult };
  return r.result;
}

/** Copies the fixture transcript into a project dir below the watched root (made now when `fresh`). */
function writeTranscript(t: DaemonTarget, project: string): void {
  const dir = join(t.stateDir, 'claude-config', 'projects', project);
  mkdirSync(dir, { recursive: true });
  copyFileSync(TRANSCRIPT, join(dir, 'b1f0c2e5-8a44-4b8e-9a7c-1d2e3f4a5b6c.jsonl'));
}

describe('connection cap', () => {
  it('connections past the cap are closed at once; the ones served still answer status', async () => {
    const t = newTarget({ OUTLOOP_MAX_CONNECTIONS: '5' });
    spawnForeground(t);
    await up(t);
    const served = await Promise.all(Array.from({ length: 5 }, () => open(t)));
    for (const c of served) expect((await status(c)).running).toBe(true);
    const extra = await Promise.all(Array.from({ length: 3 }, () => open(t)));
    await Promise.all(extra.map((c) => c.closed));
    expect((await status(served[0]!)).running).toBe(true);
    served[1]!.destroy();
    served[2]!.destroy();
    await vi.waitFor(async () => {
      const again = await open(t);
      expect((await status(again)).running).toBe(true);
    });
  });

  it('under ulimit -n 256, 400 idle connections: the cap comes from the limit, status answers and a new transcript is ingested', async () => {
    const t = newTarget({ OUTLOOP_LINE_TIMEOUT_MS: '600000' });
    const child = spawn('prlimit', ['--nofile=256:256', process.execPath, CLI_PATH, 'daemon'], {
      env: cliEnv(t),
      stdio: 'ignore',
    });
    try {
      await up(t);
      const log = readFileSync(join(t.stateDir, 'daemon.log'), 'utf8');
      expect(log).toMatch(/connections: at most 160,/);
      const all = await Promise.all(Array.from({ length: 400 }, () => open(t)));
      const first = all[0]!;
      expect((await status(first)).running).toBe(true);
      await vi.waitFor(() => expect(all.filter((c) => c.hasClosed).length).toBeGreaterThanOrEqual(400 - 160), {
        timeout: 10_000,
      });
      writeTranscript(t, '-home-ana-src-limits');
      await vi.waitFor(async () => expect((await status(first)).counts.usageRecords).toBeGreaterThan(0), {
        timeout: 20_000,
        interval: 100,
      });
      expect((await status(first)).warnings.join('\n')).not.toMatch(/EMFILE/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('unfinished lines', () => {
  it('a connection that does not finish a line in time is closed; one that finished its line stays', async () => {
    const t = newTarget({ OUTLOOP_LINE_TIMEOUT_MS: '300' });
    spawnForeground(t);
    await up(t);
    const talker = await open(t);
    expect((await status(talker)).running).toBe(true);
    const silent = await open(t);
    const trickle = await open(t);
    await trickle.write('{"jsonrpc":"2.0",');
    await Promise.all([silent.closed, trickle.closed]);
    expect(talker.hasClosed).toBe(false);
    expect((await status(talker)).running).toBe(true);
    expect(readFileSync(join(t.stateDir, 'daemon.log'), 'utf8')).toMatch(/no complete line within 300 ms; closing it/);
  });

  it('unfinished lines of all connections are bounded: past the total, connections are closed', async () => {
    const t = newTarget({ OUTLOOP_MAX_BUFFERED_BYTES: String(2 * 1024 * 1024) });
    spawnForeground(t);
    await up(t);
    const half = `{"jsonrpc":"2.0","id":1,"method":"route","params":{"input":"${'x'.repeat(512 * 1024)}`;
    const holders = await Promise.all(Array.from({ length: 8 }, () => open(t)));
    await Promise.all(holders.map((c) => c.write(half)));
    await vi.waitFor(() => expect(holders.filter((c) => c.hasClosed).length).toBeGreaterThanOrEqual(4), {
      timeout: 10_000,
    });
    const fresh = await open(t);
    expect((await status(fresh)).running).toBe(true);
    expect(readFileSync(join(t.stateDir, 'daemon.log'), 'utf8')).toMatch(
      /unfinished lines of all connections passed 2097152 bytes/,
    );
  });

  it('one limit: a line over 1 MiB closes that connection with -32600; one just under is answered', async () => {
    const t = newTarget();
    spawnForeground(t);
    await up(t);
    const body = (n: number): string =>
      `{"jsonrpc":"2.0","id":1,"method":"preflight","params":{"input":"${'y'.repeat(n)}"}}`;
    const big = await open(t);
    const r = (await big.call(body(1024 * 1024))) as { error: { code: number } };
    expect(r.error.code).toBe(-32600);
    await big.closed;
    const ok = await open(t);
    const answer = (await ok.call(body(1024 * 1024 - 100), 30_000)) as { result?: unknown };
    expect(answer.result).toBeDefined();
  });
});

describe('out of descriptors', () => {
  const openFds = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;
  /** Sets the soft descriptor limit of a running process (the hard one stays). */
  const setSoftLimit = (pid: number, n: number): void => {
    const r = spawnSync('prlimit', ['--pid', String(pid), `--nofile=${n}:`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  };
  const softLimit = (pid: number): number =>
    Number(/Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1]);

  it.each([
    ['in a project directory that exists', false],
    ['in a project directory made while out of descriptors', true],
  ])(
    'a transcript written %s is ingested once descriptors free up',
    async (_label, freshDir) => {
      const t = newTarget();
      const daemon = spawnForeground(t);
      await up(t);
      const c = await open(t);
      if (!freshDir)
        mkdirSync(join(t.stateDir, 'claude-config', 'projects', '-home-ana-src-emfile'), { recursive: true });
      // settle: the initial scan is over when a status reports no pending files
      await vi.waitFor(async () => expect((await status(c)).ingest.pendingFiles).toBe(0), { timeout: 10_000 });
      const soft = softLimit(daemon.pid);
      // below every descriptor it holds: no new one can be opened (a limit at the count would still
      // let one reuse a hole among the numbers)
      expect(openFds(daemon.pid)).toBeGreaterThan(3);
      setSoftLimit(daemon.pid, 3);
      try {
        writeTranscript(t, '-home-ana-src-emfile');
        // the log cannot be opened now either: the warning is read over the connection already open
        await vi.waitFor(
          async () => expect((await status(c)).warnings.join('\n')).toMatch(/EMFILE|out of file descriptors/),
          { timeout: 15_000, interval: 100 },
        );
        expect((await status(c)).counts.usageRecords).toBe(0);
      } finally {
        setSoftLimit(daemon.pid, soft);
      }
      await vi.waitFor(
        async () => {
          const now = await status(c);
          expect(now.counts.usageRecords, now.warnings.join('\n')).toBeGreaterThan(0);
        },
        { timeout: 60_000, interval: 200 },
      );
    },
    120_000,
  );
});
