import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectDaemon } from '../../src/rpc/client.js';
import { UntrustedSocketError } from '../../src/rpc/socket-trust.js';
import { AlreadyRunningError, prepareSocket } from '../../src/daemon/lifecycle.js';
import { quickCall } from '../../src/rpc/quick-call.js';
import { killStarted, runCli, spawnForeground, type DaemonTarget } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dir.js';

const NOBODY = 65534;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** Cross-user cases need root to run a server as uid 65534 (setpriv); without it they show as skipped. */
const asRootOnly = it.skipIf(!isRoot);

const dirs = tempDirs();
const fakes: ChildProcess[] = [];
const targets: DaemonTarget[] = [];
const shared: string[] = [];

afterEach(async () => {
  for (const f of fakes.splice(0)) f.kill('SIGKILL');
  await killStarted(targets.splice(0).map((t) => t.stateDir));
  for (const d of shared.splice(0)) rmSync(d, { recursive: true, force: true });
  dirs.removeAll();
});

/** A directory anyone may write, as a shared /tmp-like place (short path for sun_path). */
function worldWritableDir(): string {
  const dir = mkdtempSync('/tmp/ol-ww-');
  chmodSync(dir, 0o777);
  shared.push(dir);
  return dir;
}

/**
 * An impostor server run as uid 65534: it answers every line with a fake status and appends what it
 * received to `<dir>/leak` so the test can see whether a request text reached it.
 */
async function startImpostor(socketPath: string, leakPath: string): Promise<void> {
  const code = `
    const net = require('node:net'); const fs = require('node:fs');
    net.createServer((c) => c.on('data', (d) => {
      fs.appendFileSync(${JSON.stringify(leakPath)}, d);
      for (const line of String(d).split('\\n').filter(Boolean)) {
        let id = null; try { id = JSON.parse(line).id; } catch {}
        c.write(JSON.stringify({ jsonrpc: '2.0', id, result: { pid: 1, decision: 'llm', socket: 'fake' } }) + '\\n');
      }
    })).listen(${JSON.stringify(socketPath)}, () => process.stdout.write('up\\n'));`;
  const child = spawn(
    'setpriv',
    ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, '-e', code],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  fakes.push(child);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`impostor exited ${c}: ${err}`)));
  });
  expect(lstatSync(socketPath).uid).toBe(NOBODY);
}

function newTarget(socket: string): DaemonTarget {
  const t: DaemonTarget = { stateDir: dirs.make('ol-trust-'), socket };
  targets.push(t);
  return t;
}

describe('a socket another user controls', () => {
  asRootOnly(
    'in a world-writable directory: route, start, status and the status line refuse it, exit 3, nothing leaks',
    async () => {
      const dir = worldWritableDir();
      const socket = join(dir, 's.sock');
      const leak = join(dir, 'leak');
      await startImpostor(socket, leak);
      const t = newTarget(socket);

      const route = await runCli(['route', 'deploy the secret thing', '--json'], t);
      expect(route.code).toBe(3);
      expect(route.stderr).toMatch(/refusing the socket .*writable by others/);
      const start = await runCli(['start'], t);
      expect(start.code).toBe(3);
      expect(start.stdout).not.toMatch(/already running/);
      const status = await runCli(['status'], t);
      expect(status.code).toBe(3);
      await expect(quickCall(socket, 'daemon/status', {}, 2000)).rejects.toThrow(/refusing the socket/);
      await expect(connectDaemon(socket)).rejects.toBeInstanceOf(UntrustedSocketError);
      expect(existsSync(leak)).toBe(false);
    },
  );

  asRootOnly('in a directory of ours that others cannot write: refused for its owner, nothing leaks', async () => {
    const dir = worldWritableDir();
    const socket = join(dir, 's.sock');
    const leak = join(dir, 'leak');
    await startImpostor(socket, leak);
    chmodSync(dir, 0o755);
    await expect(connectDaemon(socket)).rejects.toThrow(/owned by uid 65534, not by you/);
    const preflight = await runCli(['preflight', 'ship it', '--json'], newTarget(socket));
    expect(preflight.code).toBe(3);
    expect(JSON.parse(preflight.stdout)).toMatchObject({ error: { code: 3 } });
    expect(existsSync(leak)).toBe(false);
  });

  asRootOnly('a directory above the socket owned by another user is refused', async () => {
    const dir = worldWritableDir();
    chownSync(dir, NOBODY, NOBODY);
    chmodSync(dir, 0o755);
    const inner = join(dir, 'run');
    mkdirSync(inner, { mode: 0o700 });
    await expect(prepareSocket(join(inner, 'd.sock'))).rejects.toThrow(/owned by uid 65534/);
  });
});

describe('the daemon and its socket directory', () => {
  it('refuses a pre-created 0777 parent, and the daemon does not start there', async () => {
    const dir = worldWritableDir();
    await expect(prepareSocket(join(dir, 'd.sock'))).rejects.toThrow(/writable by others \(mode 0777\)/);
    const t = newTarget(join(dir, 'd.sock'));
    const daemon = spawnForeground(t);
    const exit = await daemon.exited;
    expect(exit.code).toBe(1);
    expect(daemon.stderr()).toMatch(/refusing the socket .*writable by others/);
    expect(existsSync(join(dir, 'd.sock'))).toBe(false);
  });

  asRootOnly('refuses a 0777 parent another user made, even inside a sticky /tmp', async () => {
    const dir = mkdtempSync('/tmp/ol-sticky-');
    shared.push(dir);
    chmodSync(dir, 0o1777);
    const parent = join(dir, 'mine');
    mkdirSync(parent, { mode: 0o777 });
    chmodSync(parent, 0o777);
    chownSync(parent, NOBODY, NOBODY);
    await expect(prepareSocket(join(parent, 'd.sock'))).rejects.toThrow(/owned by uid 65534/);
  });

  it('creates a missing directory 0700 inside a sticky world-writable one and listens there', async () => {
    const dir = mkdtempSync('/tmp/ol-sticky-');
    shared.push(dir);
    chmodSync(dir, 0o1777);
    const socket = join(dir, 'private', 'd.sock');
    await prepareSocket(socket);
    expect(lstatSync(join(dir, 'private')).mode & 0o777).toBe(0o700);
  });

  it('a file or a symlink squatting the socket path: refused by client and daemon, left in place', async () => {
    const dir = dirs.make('ol-sq-');
    const file = join(dir, 'f.sock');
    writeFileSync(file, 'not a socket');
    const link = join(dir, 'l.sock');
    symlinkSync(join(dir, 'elsewhere'), link);
    for (const path of [file, link]) {
      await expect(connectDaemon(path)).rejects.toThrow(/socket path is taken by something that is not our socket/);
      await expect(prepareSocket(path)).rejects.toThrow(/socket path is taken by something that is not our socket/);
      expect(lstatSync(path)).toBeTruthy();
    }
    const r = await runCli(['status'], newTarget(file));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not our socket \(a regular file\)/);
    expect(readFileSync(file, 'utf8')).toBe('not a socket');
  });

  it('a live daemon of ours is still found: a second prepare says already running', async () => {
    const dir = dirs.make('ol-live-');
    const t = newTarget(join(dir, 'd.sock'));
    const daemon = spawnForeground(t);
    await vi.waitFor(() => expect(existsSync(join(dir, 'd.sock'))).toBe(true), { timeout: 15_000 });
    await expect(prepareSocket(join(dir, 'd.sock'))).rejects.toBeInstanceOf(AlreadyRunningError);
    const client = await connectDaemon(join(dir, 'd.sock'));
    client.close();
    daemon.child.kill('SIGTERM');
    await daemon.exited;
  });
});
