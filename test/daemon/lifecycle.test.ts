import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireLock,
  AlreadyRunningError,
  prepareSocket,
  processRunning,
  socketAnswers,
} from '../../src/daemon/lifecycle.js';
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

  it('release leaves a lock that is no longer ours', () => {
    const dir = dirs.make();
    const release = acquireLock(dir);
    writeFileSync(join(dir, 'daemon.pid'), '1\n');
    release();
    expect(readFileSync(join(dir, 'daemon.pid'), 'utf8')).toBe('1\n');
  });
});

describe('processRunning', () => {
  it('is true for us and false for an exited process', () => {
    expect(processRunning(process.pid)).toBe(true);
    expect(processRunning(deadPid())).toBe(false);
  });
});

describe('prepareSocket', () => {
  it('creates the parent directory with mode 0700', async () => {
    const parent = join(dirs.make(), 'run');
    await prepareSocket(join(parent, 'd.sock'));
    expect(statSync(parent).mode & 0o777).toBe(0o700);
  });

  it('removes a plain file at the path', async () => {
    const path = shortSocketPath();
    writeFileSync(path, 'stale');
    await prepareSocket(path);
    expect(existsSync(path)).toBe(false);
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
