import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, AlreadyRunningError, prepareSocket, socketAnswers } from '../../src/daemon/lifecycle.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { removeShortSockets, shortSocketPath } from '../helpers/short-socket.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  removeShortSockets();
  dirs.removeAll();
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('acquireLock', () => {
  it('writes our pid to daemon.pid and removes it on release, leaving nothing else', () => {
    const dir = dirs.make();
    const release = acquireLock(dir);
    expect(readFileSync(join(dir, 'daemon.pid'), 'utf8')).toBe(`${process.pid}\n`);
    expect(statSync(join(dir, 'daemon.pid')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['daemon.pid']);
    release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses while the recorded pid runs', async () => {
    const dir = dirs.make();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'daemon.pid'), `${other.pid}\n`);
      expect(() => acquireLock(dir)).toThrow(AlreadyRunningError);
      expect(() => acquireLock(dir)).toThrow(`already running (pid ${other.pid})`);
      expect(readFileSync(join(dir, 'daemon.pid'), 'utf8')).toBe(`${other.pid}\n`);
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
  });

  it.each([
    ['a dead pid', () => `${deadPid()}\n`],
    ['garbage', () => 'not a pid'],
    ['an empty file', () => ''],
  ])('replaces a pid file holding %s', (_name, content) => {
    const dir = dirs.make();
    writeFileSync(join(dir, 'daemon.pid'), content());
    const release = acquireLock(dir);
    expect(readFileSync(join(dir, 'daemon.pid'), 'utf8')).toBe(`${process.pid}\n`);
    release();
  });

  it('several starters at once over a crashed daemon pid file: exactly one takes the lock', async () => {
    const lib = pathToFileURL(join(REPO_ROOT, 'dist', 'daemon', 'lifecycle.js')).href;
    // Each starter says it is ready, then waits (without spinning) for a line on stdin and takes the
    // lock; the one that gets it holds it until stdin ends (its pid alive while the others judge).
    const starter = `
      const { acquireLock } = await import(${JSON.stringify(lib)});
      const dir = process.argv[1];
      process.stdin.once('data', () => {
        let release = null;
        try { release = acquireLock(dir); process.stdout.write('held'); }
        catch (e) { process.stdout.write(e.name); }
        process.stdin.once('end', () => release?.()).resume();
      });
      process.stderr.write('ready\\n');
    `;
    const STARTERS = 6;
    for (let round = 0; round < 6; round++) {
      const dir = dirs.make('ol-lock-');
      writeFileSync(join(dir, 'daemon.pid'), `${deadPid()}\n`);
      const kids = Array.from({ length: STARTERS }, () => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', starter, dir], {
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        const kid = { child, out: '', ready: false, closed: false, exit: Promise.resolve() };
        child.stdout.setEncoding('utf8').on('data', (d: string) => (kid.out += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          if (d.includes('ready')) kid.ready = true;
        });
        kid.exit = new Promise<void>((resolve) => child.once('close', () => resolve())).then(() => {
          kid.closed = true;
        });
        return kid;
      });
      while (!kids.every((k) => k.ready)) await new Promise((r) => setTimeout(r, 10));
      for (const k of kids) k.child.stdin.write('go\n');
      // the holders stay alive (their pids running) until every starter has answered
      while (kids.some((k) => k.out === '' && !k.closed)) await new Promise((r) => setTimeout(r, 10));
      for (const k of kids) k.child.stdin.end();
      await Promise.all(kids.map((k) => k.exit));
      const results = kids.map((k) => k.out);
      expect(
        results.filter((r) => r === 'held'),
        `round ${round}: ${results.join(', ')}`,
      ).toHaveLength(1);
      expect(results.filter((r) => r === 'AlreadyRunningError')).toHaveLength(STARTERS - 1);
      // nothing left behind: the holder released, no breaker or temporary file remains
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('release leaves a lock that is no longer ours', () => {
    const dir = dirs.make();
    const release = acquireLock(dir);
    writeFileSync(join(dir, 'daemon.pid'), '1\n');
    release();
    expect(readFileSync(join(dir, 'daemon.pid'), 'utf8')).toBe('1\n');
  });
});

describe('prepareSocket', () => {
  it('creates the parent directory with mode 0700', async () => {
    const parent = join(dirs.make(), 'run');
    await prepareSocket(join(parent, 'd.sock'));
    expect(statSync(parent).mode & 0o777).toBe(0o700);
  });

  it('removes a stale socket of ours that nobody answers on', async () => {
    const path = shortSocketPath();
    // a process killed while listening leaves its socket file behind, as a crashed daemon does
    const code = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
    spawnSync(process.execPath, ['-e', code]);
    expect(existsSync(path)).toBe(true);
    await prepareSocket(path);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a plain file at the path and leaves it: it is not our socket', async () => {
    const path = shortSocketPath();
    writeFileSync(path, 'stale');
    await expect(prepareSocket(path)).rejects.toThrow(/not our socket/);
    expect(readFileSync(path, 'utf8')).toBe('stale');
  });

  it('refuses when something answers on the socket', async () => {
    const path = shortSocketPath();
    const server = createServer();
    servers.push(server);
    await new Promise<void>((r) => server.listen(path, r));
    expect(await socketAnswers(path)).toBe(true);
    await expect(prepareSocket(path)).rejects.toBeInstanceOf(AlreadyRunningError);
    expect(existsSync(path)).toBe(true);
  });

  it('leaves a directory at the path alone and fails', async () => {
    const path = shortSocketPath();
    mkdirSync(path);
    await expect(prepareSocket(path)).rejects.toThrow();
    expect(statSync(path).isDirectory()).toBe(true);
    rmSync(path, { recursive: true });
  });
});
