/**
 * `outloop demo --headless`: the demo's promise (approve the test pattern, then routed runs show measured
 * savings) and its cleanup (its daemon and temp dir end with it, whatever signal ends it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDaemon, type DaemonClient } from '../../src/rpc/client.js';
import { METHODS } from '../../src/rpc/protocol.js';
import { processRunning } from '../../src/sys/process.js';
import { MAIN_PATH, cliEnv } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  dirs.removeAll();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | null> | T | null, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

interface Running {
  child: ChildProcess;
  socket: string;
  stateDir: string;
  root: string;
  stderr(): string;
  exited: Promise<number | null>;
}

async function startHeadless(): Promise<Running> {
  const home = dirs.make('ol-demo-home-');
  const child = spawn(process.execPath, [MAIN_PATH, 'demo', '--headless'], {
    env: cliEnv({ stateDir: home }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const socket = await until('the demo socket line', () => /OUTLOOP_SOCKET=(\S+)/.exec(stderr)?.[1] ?? null);
  const stateDir = await until('the demo state line', () => /state (\S+)/.exec(stderr)?.[1] ?? null);
  return { child, socket, stateDir, root: join(stateDir, '..'), stderr: () => stderr, exited };
}

function daemonPidOf(stateDir: string): number {
  return Number.parseInt(readFileSync(join(stateDir, 'daemon.pid'), 'utf8').trim(), 10);
}

describe('outloop demo --headless', () => {
  it('shows measured savings once the test pattern is approved', async () => {
    const demo = await startHeadless();
    const pid = daemonPidOf(demo.stateDir);
    let client: DaemonClient | null = null;
    try {
      client = await connectDaemon(demo.socket);
      const c = client;
      const pattern = await until('the test pattern', async () => {
        const list = await c.request(METHODS.patternsList, {});
        return list.find((p) => p.signature === 'test:pytest:backend') ?? null;
      });
      const before = await c.request(METHODS.savingsSummary, {});
      expect(before.tokensSavedAllTime).toBe(0);
      await c.request(METHODS.patternsApprove, { id: pattern.id });
      const after = await until('measured savings', async () => {
        const s = await c.request(METHODS.savingsSummary, {});
        return s.tokensSavedAllTime > 0 && s.allTimeUsd > 0 ? s : null;
      });
      expect(after.byType.map((t) => t.type)).toContain('pattern_offload');
    } finally {
      client?.close();
      demo.child.kill('SIGINT');
      await demo.exited;
    }
    expect(processRunning(pid)).toBe(false);
    expect(existsSync(demo.root)).toBe(false);
  });

  it.each(['SIGHUP', 'SIGTERM'] as const)('ends its daemon and temp dir on %s', async (signal) => {
    const demo = await startHeadless();
    const pid = daemonPidOf(demo.stateDir);
    expect(processRunning(pid)).toBe(true);
    demo.child.kill(signal);
    await demo.exited;
    await until('the daemon to exit', () => (processRunning(pid) ? null : true), 15_000);
    expect(existsSync(demo.root)).toBe(false);
  });

  it('ends its daemon and temp dir when the demo itself is killed', async () => {
    const demo = await startHeadless();
    const pid = daemonPidOf(demo.stateDir);
    demo.child.kill('SIGKILL');
    await demo.exited;
    await until('the daemon to exit', () => (processRunning(pid) ? null : true), 15_000);
    await until('the temp dir to go', () => (existsSync(demo.root) ? null : true), 5_000);
  });
});
