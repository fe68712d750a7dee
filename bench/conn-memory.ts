/**
 * Memory of the daemon under many clients holding unfinished request lines: 400 connections each
 * sending half a line (~512 KiB, no newline). Resident set size (VmRSS) idle, while they hold,
 * and after they close; once with the default bound on unfinished bytes and once with it lifted, to
 * show what the bound keeps.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { openSocket, waitForSocket } from './socket.js';

const CLI = fileURLToPath(new URL('../dist/cli/outloop.cjs', import.meta.url));
const CONNECTIONS = 400;
const HALF_LINE_BYTES = 512 * 1024;

export interface ConnMemoryBench {
  [key: string]: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : -1;
}

/** Writes all of `data` or stops when the daemon closes the connection. */
function writeAll(s: Socket, data: string): Promise<void> {
  return new Promise((resolve) => {
    s.once('close', () => resolve());
    s.write(data, () => resolve());
  });
}

async function measure(label: string, env: Record<string, string>): Promise<ConnMemoryBench> {
  const stateDir = mkdtempSync(join(tmpdir(), 'ol-bench-conn-'));
  const socket = join(stateDir, 'd.sock');
  const child = spawn(process.execPath, [CLI, 'daemon'], {
    env: {
      ...process.env,
      ...env,
      HOME: stateDir,
      OUTLOOP_HOME: stateDir,
      OUTLOOP_SOCKET: socket,
      CLAUDE_CONFIG_DIR: join(stateDir, 'claude'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const sockets: Socket[] = [];
  try {
    await waitForSocket(socket, child, 20_000);
    const pid = child.pid ?? 0;
    await sleep(1000);
    const idle = rssMb(pid);
    const half = `{"jsonrpc":"2.0","id":1,"method":"route","params":{"input":"${'x'.repeat(HALF_LINE_BYTES)}`;
    let closedByDaemon = 0;
    for (let i = 0; i < CONNECTIONS; i++) {
      const s = await openSocket(socket);
      s.on('error', () => undefined);
      s.once('close', () => closedByDaemon++);
      sockets.push(s);
    }
    await Promise.all(sockets.map((s) => writeAll(s, half)));
    await sleep(1500);
    const holding = rssMb(pid);
    const held = closedByDaemon;
    for (const s of sockets) s.destroy();
    await sleep(3000);
    const after = rssMb(pid);
    return {
      [`${label}RssIdleMb`]: idle,
      [`${label}RssHoldingMb`]: holding,
      [`${label}RssAfterCloseMb`]: after,
      [`${label}ConnectionsClosedByDaemon`]: held,
    };
  } finally {
    for (const s of sockets) s.destroy();
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  }
}

export async function benchConnMemory(): Promise<ConnMemoryBench> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const bounded = await measure('bounded', {});
  const unbounded = await measure('unbounded', { OUTLOOP_MAX_BUFFERED_BYTES: String(4 * 1024 * 1024 * 1024) });
  return { connections: CONNECTIONS, halfLineKiB: HALF_LINE_BYTES / 1024, ...bounded, ...unbounded };
}
