import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { processRunning } from '../../src/sys/process.js';
import { LATEST_VERSION } from '../../src/daemon/store/migrations.js';
import { daemonPid, REPO_ROOT, runCli, spawnForeground, type CliResult, type DaemonTarget } from '../helpers/cli.js';
import { socketAnswers } from '../helpers/raw-socket.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, stateDirs } = e2eDaemons({ stopGracefully: false });

function newTarget(overrides: Partial<DaemonTarget> = {}): DaemonTarget {
  const stateDir = dirs.make('ol-e2e-');
  stateDirs.push(stateDir);
  return { stateDir, socket: shortSocketPath(), ...overrides };
}

/** Parses stdout as exactly one JSON document. */
function json(r: CliResult): Record<string, unknown> {
  try {
    return JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

async function waitUntilAnswers(socket: string): Promise<void> {
  await vi.waitFor(async () => expect(await socketAnswers(socket)).toBe(true), { timeout: 15_000, interval: 25 });
}

/** Waits until the process has exited and its socket (if any) no longer accepts. */
async function waitUntilGone(pid: number, socket?: string): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(processRunning(pid)).toBe(false);
      if (socket !== undefined) expect(await socketAnswers(socket)).toBe(false);
    },
    { timeout: 15_000, interval: 25 },
  );
}

describe('outloop start / status / stop', () => {
  it('starts in the background and answers status --json with the documented shape', async () => {
    const t = newTarget();
    const start = await runCli(['start'], t);
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(/outloop daemon started \(pid \d+/);
    expect(existsSync(join(t.stateDir, 'daemon.log'))).toBe(true);

    const status = await runCli(['status', '--json'], t);
    expect(status.code).toBe(0);
    expect(status.stderr).toBe('');
    const s = json(status);
    expect(s).toMatchObject({
      running: true,
      pid: expect.any(Number),
      version: expect.any(String),
      socket: t.socket,
      stateDir: t.stateDir,
      uptimeS: expect.any(Number),
      counts: { hookEvents: 0, toolCalls: 0, usageRecords: 0, workflowRuns: 0, patterns: 0, quarantined: 0 },
    });
    expect(Object.keys(s['counts'] as object).sort()).toEqual(
      ['hookEvents', 'patterns', 'quarantined', 'toolCalls', 'usageRecords', 'workflowRuns'].sort(),
    );
    expect(s['pid']).toBe(daemonPid(t.stateDir));

    const text = await runCli(['status'], t);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`running (pid ${String(s['pid'])}`);
  });

  it('a second start says it is already running, exit 0, same daemon', async () => {
    const t = newTarget();
    const first = await runCli(['start', '--json'], t);
    expect(first.code).toBe(0);
    const a = json(first);
    expect(a).toMatchObject({ started: true, alreadyRunning: false, pid: expect.any(Number), socket: t.socket });

    const second = await runCli(['start'], t);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already running');
    expect(second.stdout).toContain(`pid ${String(a['pid'])}`);

    const third = await runCli(['start', '--json'], t);
    expect(third.code).toBe(0);
    expect(json(third)).toMatchObject({ started: false, alreadyRunning: true, pid: a['pid'] });
  });

  it('concurrent starts leave exactly one daemon, and every start exits 0', async () => {
    const t = newTarget();
    const results = await Promise.all([1, 2, 3].map(() => runCli(['start', '--json'], t)));
    for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const pids = new Set(results.map((r) => json(r)['pid']));
    expect(pids.size).toBe(1);
    expect(results.filter((r) => json(r)['started'] === true)).toHaveLength(1);
  });

  it('a foreground daemon while one runs exits 4 and the first keeps serving', async () => {
    const t = newTarget();
    expect((await runCli(['start'], t)).code).toBe(0);
    const pid = daemonPid(t.stateDir);

    const second = await runCli(['daemon'], t);
    expect(second.code).toBe(4);
    expect(second.stderr).toContain('already running');
    expect(second.stdout).toBe('');

    const status = await runCli(['status', '--json'], t);
    expect(status.code).toBe(0);
    expect(json(status)['pid']).toBe(pid);
  });

  it('a daemon for another state dir on the same socket exits 4', async () => {
    const t = newTarget();
    expect((await runCli(['start'], t)).code).toBe(0);
    const other = newTarget({ socket: t.socket });
    const r = await runCli(['daemon'], other);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('already running');
    expect((await runCli(['status'], t)).code).toBe(0);
  });

  it('stop shuts it down cleanly; status then says not running, exit 3, and starts nothing', async () => {
    const t = newTarget();
    expect((await runCli(['start'], t)).code).toBe(0);
    const pid = daemonPid(t.stateDir);
    expect(pid).not.toBeNull();

    const stop = await runCli(['stop', '--json'], t);
    expect(stop.code).toBe(0);
    expect(json(stop)).toEqual({ stopped: true, pid });
    // stop returns only once the process is gone
    expect(processRunning(pid!)).toBe(false);
    expect(existsSync(t.socket!)).toBe(false);
    expect(existsSync(join(t.stateDir, 'daemon.pid'))).toBe(false);
    expect(readFileSync(join(t.stateDir, 'daemon.log'), 'utf8')).toContain('shutting down: daemon/shutdown request');

    const status = await runCli(['status', '--json'], t);
    expect(status.code).toBe(3);
    expect(json(status)).toMatchObject({ running: false, socket: t.socket, stateDir: t.stateDir });
    const text = await runCli(['status'], t);
    expect(text.code).toBe(3);
    expect(text.stdout).toContain('not running');
    expect(await socketAnswers(t.socket!)).toBe(false);
    expect(existsSync(join(t.stateDir, 'daemon.pid'))).toBe(false);

    const again = await runCli(['stop'], t);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('not running');
  });

  it('stop then start at once works (the state dir is free when stop returns)', async () => {
    const t = newTarget();
    for (let i = 0; i < 3; i++) {
      expect((await runCli(['start'], t)).stdout).toContain('started');
      expect((await runCli(['stop'], t)).code).toBe(0);
    }
  });

  it('status with no state dir at all creates nothing', async () => {
    const t = newTarget();
    const stateDir = join(t.stateDir, 'never-made');
    const r = await runCli(['status', '--json'], { ...t, stateDir });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 3, stderr: '' });
    expect(json(r)['running']).toBe(false);
    expect(existsSync(stateDir)).toBe(false);
  });
});

describe('stale sockets and crashes', () => {
  it('refuses a plain file at the socket path and leaves it: it is not our socket to delete', async () => {
    const t = newTarget();
    writeFileSync(t.socket!, 'left over');
    const r = await runCli(['start'], t);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/socket path is taken by something that is not our socket/);
    expect(readFileSync(t.socket!, 'utf8')).toBe('left over');
    expect((await runCli(['status'], t)).code).toBe(3);
  });

  it('replaces a dead socket left by a killed process', async () => {
    const t = newTarget();
    const holder = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${JSON.stringify(t.socket)})`],
      {
        stdio: 'ignore',
      },
    );
    try {
      await waitUntilAnswers(t.socket!);
    } finally {
      holder.kill('SIGKILL');
    }
    await waitUntilGone(holder.pid!, t.socket!);
    expect(statSync(t.socket!).isSocket()).toBe(true);

    const d = spawnForeground(t);
    await waitUntilAnswers(t.socket!);
    const status = await runCli(['status', '--json'], t);
    expect(json(status)['pid']).toBe(d.pid);
  });

  it('SIGKILL, then start again works and the store is intact', async () => {
    const t = newTarget();
    const first = json(await runCli(['start', '--json'], t));
    const pid = first['pid'] as number;
    process.kill(pid, 'SIGKILL');
    await waitUntilGone(pid, t.socket!);
    // the crash leaves the socket file and the pid file behind
    expect(existsSync(t.socket!)).toBe(true);
    expect(daemonPid(t.stateDir)).toBe(pid);

    const second = await runCli(['start', '--json'], t);
    expect(second.code).toBe(0);
    const s = json(second);
    expect(s).toMatchObject({ started: true, alreadyRunning: false });
    expect(s['pid']).not.toBe(pid);
    expect(json(await runCli(['status', '--json'], t))['pid']).toBe(s['pid']);
    expect((await runCli(['stop'], t)).code).toBe(0);

    const db = new BetterSqlite3(join(t.stateDir, 'outloop.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s: exit 0, socket removed, database closed', async (signal) => {
    const t = newTarget();
    const d = spawnForeground(t);
    await waitUntilAnswers(t.socket!);
    expect(existsSync(join(t.stateDir, 'outloop.db-wal'))).toBe(true);

    d.child.kill(signal);
    expect(await d.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(t.socket!)).toBe(false);
    expect(existsSync(join(t.stateDir, 'daemon.pid'))).toBe(false);
    // closing the last connection checkpoints the WAL and removes it
    expect(existsSync(join(t.stateDir, 'outloop.db-wal'))).toBe(false);
    expect(d.stdout()).toBe('');
    const log = readFileSync(join(t.stateDir, 'daemon.log'), 'utf8');
    expect(log).toContain(`shutting down: signal ${signal}`);
    expect(log).toMatch(/INFO {2}stopped/);
  });
});

describe('refusing to start', () => {
  it('a corrupt database: clear error, exit 1, file untouched, nothing left running', async () => {
    const t = newTarget();
    const dbPath = join(t.stateDir, 'outloop.db');
    const garbage = Buffer.from(Array.from({ length: 16384 }, (_, i) => (i * 131 + 17) & 0xff));
    writeFileSync(dbPath, garbage);

    const start = await runCli(['start'], t);
    expect(start.code).toBe(1);
    expect(start.stderr).toContain(`the database at ${dbPath} is not a usable SQLite database`);
    expect(readFileSync(dbPath).equals(garbage)).toBe(true);
    expect(await socketAnswers(t.socket!)).toBe(false);
    expect(existsSync(join(t.stateDir, 'daemon.pid'))).toBe(false);

    const json1 = await runCli(['start', '--json'], t);
    expect(json1.code).toBe(1);
    expect(json(json1)).toMatchObject({
      error: { code: 1, message: expect.stringContaining('not a usable SQLite database') },
    });

    const fg = await runCli(['daemon'], t);
    expect(fg.code).toBe(1);
    expect(fg.stderr).toContain('not a usable SQLite database');
    expect(readFileSync(dbPath).equals(garbage)).toBe(true);
  });

  it('a socket path too long: clear error naming OUTLOOP_SOCKET, exit 1', async () => {
    const t = newTarget({ socket: join('/tmp', 'x'.repeat(110), 'outloop.sock') });
    for (const command of ['start', 'daemon', 'status', 'stop', 'patterns']) {
      const r = await runCli([command], t);
      expect({ command, code: r.code }).toEqual({ command, code: 1 });
      expect(r.stderr).toContain('OUTLOOP_SOCKET');
      expect(r.stderr).toContain('limit of Unix sockets');
      if (command !== 'daemon') expect(r.stderr.startsWith(`outloop ${command}: `)).toBe(true);
    }
    expect(existsSync(join(t.stateDir, 'daemon.pid'))).toBe(false);
  });
});

describe('socket location and permissions', () => {
  it('uses $XDG_RUNTIME_DIR/outloop/outloop.sock: directory 0700, socket 0600', async () => {
    const runtime = dirs.make('ol-rt-');
    const t = newTarget({ socket: undefined, env: { XDG_RUNTIME_DIR: runtime } });
    expect((await runCli(['start'], t)).code).toBe(0);
    const socket = join(runtime, 'outloop', 'outloop.sock');
    expect(statSync(socket).isSocket()).toBe(true);
    expect(mode(socket)).toBe(0o600);
    expect(mode(join(runtime, 'outloop'))).toBe(0o700);
    expect(json(await runCli(['status', '--json'], t))['socket']).toBe(socket);
  });

  it('falls back to <state dir>/outloop.sock, creating the state dir 0700', async () => {
    const parent = dirs.make('ol-');
    const stateDir = join(parent, 'state');
    stateDirs.push(stateDir);
    const t: DaemonTarget = { stateDir, socket: undefined };
    expect((await runCli(['start'], t)).code).toBe(0);
    const socket = join(stateDir, 'outloop.sock');
    expect(mode(socket)).toBe(0o600);
    expect(mode(stateDir)).toBe(0o700);
    expect(json(await runCli(['status', '--json'], t))['socket']).toBe(socket);
  });

  it('puts the socket in a directory it creates with mode 0700', async () => {
    const parent = dirs.make('ol-');
    const t = newTarget({ socket: join(parent, 'run', 'd.sock') });
    expect((await runCli(['start'], t)).code).toBe(0);
    expect(mode(join(parent, 'run'))).toBe(0o700);
    expect(mode(t.socket!)).toBe(0o600);
  });
});

describe('usage', () => {
  /** Every command registered in src/cli/main.ts, read from its COMMANDS table. */
  const COMMANDS = [
    ...readFileSync(join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'utf8').matchAll(
      /^ {2}'?([a-z][a-z-]*)'?: \(\) => import\(/gm,
    ),
  ].map((m) => m[1]!);

  it('finds the command table', () => {
    expect(COMMANDS).toEqual(expect.arrayContaining(['start', 'stop', 'status', 'daemon', 'help']));
  });

  it.each(COMMANDS)('outloop %s --help exits 0 and prints usage on stdout', async (command) => {
    const t = newTarget();
    const r = await runCli([command, '--help'], t);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^(Usage|outloop)/);
    expect(r.stdout).toContain('Usage:');
    expect(r.stderr).toBe('');
    expect(existsSync(join(t.stateDir, 'daemon.pid'))).toBe(false);
  });

  it.each([{ args: ['--help'] }, { args: ['-h'] }, { args: ['help'] }, { args: [] }])(
    'outloop $args lists the commands',
    async ({ args }) => {
      const r = await runCli(args, newTarget());
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 bad usage, 3 daemon unreachable, 4 already running.');
    },
  );

  it.each([
    { args: ['status', '--bogus'] },
    { args: ['start', '--nope'] },
    { args: ['stop', '-z'] },
    { args: ['daemon', '--wat'] },
    { args: ['status', 'extra-argument'] },
    { args: ['no-such-command'] },
  ])('outloop $args exits 2 with a message on stderr', async ({ args }) => {
    const t = newTarget();
    const r = await runCli(args, t);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toBe('');
    expect(r.stdout).toBe('');
    expect(existsSync(join(t.stateDir, 'daemon.pid'))).toBe(false);
  });

  it('prints the version', async () => {
    const r = await runCli(['--version'], newTarget());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

it('creates the state dir on start when it does not exist', async () => {
  const parent = dirs.make('ol-');
  const stateDir = join(parent, 'deep', 'state');
  stateDirs.push(stateDir);
  mkdirSync(parent, { recursive: true });
  const t: DaemonTarget = { stateDir, socket: shortSocketPath() };
  expect((await runCli(['start'], t)).code).toBe(0);
  expect(existsSync(join(stateDir, 'outloop.db'))).toBe(true);
});
