/**
 * RPC bench: the real built daemon (dist) on a temp state dir and socket. Measures `daemon/status`
 * round trips one at a time (p50/p99), then requests/s with 32 clients pipelining for ~5 s.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSocket, waitForSocket } from './socket.js';
import { percentile } from './stats.js';

export interface RpcBench {
  statusP50Ms: number;
  statusP99Ms: number;
  statusRps32: number;
  [figure: string]: number;
}

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const WARMUP = 1000;
const SEQUENTIAL = 5000;
const CLIENTS = 32;
const WINDOW = 16;
const THROUGHPUT_MS = 5000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (msg: string): void => void process.stderr.write(`bench rpc: ${msg}\n`);

function request(id: number): string {
  return `{"jsonrpc":"2.0","id":${id},"method":"daemon/status"}\n`;
}

/** Sequential round trips on one connection; returns each latency in ms. */
async function sequential(path: string, n: number): Promise<number[]> {
  const s = await openSocket(path);
  s.setEncoding('utf8');
  let buffer = '';
  let waiting: ((line: string) => void) | null = null;
  s.on('data', (chunk: string) => {
    buffer += chunk;
    const nl = buffer.indexOf('\n');
    if (nl !== -1 && waiting) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const w = waiting;
      waiting = null;
      w(line);
    }
  });
  const times: number[] = [];
  for (let id = 1; id <= n; id++) {
    const t0 = process.hrtime.bigint();
    const line = await new Promise<string>((resolve) => {
      waiting = resolve;
      s.write(request(id));
    });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const r = JSON.parse(line) as { id: number; result?: { running: boolean } };
    if (r.id !== id || r.result?.running !== true) throw new Error(`unexpected answer: ${line.slice(0, 200)}`);
  }
  s.destroy();
  return times;
}

/** CLIENTS connections, each keeping WINDOW requests in flight, for durationMs. */
async function throughput(path: string, durationMs: number): Promise<number> {
  const sockets = await Promise.all(Array.from({ length: CLIENTS }, () => openSocket(path)));
  let answered = 0;
  let running = true;
  const done = sockets.map(
    (s) =>
      new Promise<void>((resolve) => {
        let outstanding = 0;
        let nextId = 1;
        const send = (k: number): void => {
          let out = '';
          for (let i = 0; i < k; i++) out += request(nextId++);
          outstanding += k;
          s.write(out);
        };
        s.on('data', (chunk: Buffer) => {
          let lines = 0;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          outstanding -= lines;
          answered += lines;
          if (running) send(lines);
          else if (outstanding === 0) resolve();
        });
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        send(WINDOW);
      }),
  );
  const start = process.hrtime.bigint();
  const startCount = answered;
  await sleep(durationMs);
  const elapsedS = Number(process.hrtime.bigint() - start) / 1e9;
  const count = answered - startCount;
  running = false;
  await Promise.race([Promise.all(done), sleep(5000)]);
  for (const s of sockets) s.destroy();
  return count / elapsedS;
}

export async function benchRpc(): Promise<RpcBench> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const stateDir = mkdtempSync(join(tmpdir(), 'ol-bench-rpc-'));
  const socket = join(stateDir, 'd.sock');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: stateDir, OUTLOOP_HOME: stateDir, OUTLOOP_SOCKET: socket };
  delete env['XDG_RUNTIME_DIR'];
  delete env['XDG_STATE_HOME'];
  env['CLAUDE_CONFIG_DIR'] = join(stateDir, 'claude');
  const child = spawn(process.execPath, [CLI, 'daemon'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    await waitForSocket(socket, child, 20_000);
    log(`daemon ${child.pid} up; ${WARMUP} warm-up + ${SEQUENTIAL} sequential requests`);
    await sequential(socket, WARMUP);
    const times = (await sequential(socket, SEQUENTIAL)).sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    const p99 = percentile(times, 99);
    log(
      `sequential p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms; ${CLIENTS} clients for ${THROUGHPUT_MS / 1000} s`,
    );
    await throughput(socket, 1000);
    const rps = await throughput(socket, THROUGHPUT_MS);
    log(`${Math.round(rps)} requests/s`);
    return {
      statusP50Ms: Number(p50.toFixed(3)),
      statusP99Ms: Number(p99.toFixed(3)),
      statusRps32: Math.round(rps),
    };
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(socket, { force: true });
    rmSync(stateDir, { recursive: true, force: true });
  }
}
