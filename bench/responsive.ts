/**
 * Responsiveness bench: the real built daemon (dist) with a generated corpus ingested, then
 * `daemon/status` and `route` (dryRun) round trips one at a time, first idle and then while another
 * connection runs `usage/report` (daily, session, blocks over all history), `analyze/run` and
 * `savings/replay` (the first one replays every kept output, the later ones read the cache) in a
 * loop (at most HEAVY_ROUNDS rounds or LOADED_MS). Loopback only: a Unix socket in a temp dir, no gh.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import { generateCorpus } from './corpus.js';
import { openSocket, waitForSocket } from './socket.js';
import { percentile } from './stats.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const IDLE_ROUNDS = 500;
const HEAVY_ROUNDS = 200;
const LOADED_MS = 20_000;
const HEAVY: { method: string; params: Record<string, unknown> }[] = [
  { method: 'usage/report', params: { kind: 'daily' } },
  { method: 'usage/report', params: { kind: 'session' } },
  { method: 'usage/report', params: { kind: 'blocks', since: '2026-01-01' } },
  { method: 'analyze/run', params: {} },
  { method: 'savings/replay', params: {} },
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (msg: string): void => void process.stderr.write(`bench responsive: ${msg}\n`);
const round = (n: number): number => Number(n.toFixed(3));

/** One connection answering requests in order: `call` resolves with the answer line. */
function caller(s: Socket): (method: string, params: Record<string, unknown>) => Promise<Record<string, unknown>> {
  s.setEncoding('utf8');
  let buffer = '';
  const waiting: ((line: string) => void)[] = [];
  s.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      waiting.shift()?.(line);
    }
  });
  let id = 0;
  return (method, params) =>
    new Promise((resolve) => {
      waiting.push((line) => resolve(JSON.parse(line) as Record<string, unknown>));
      s.write(`${JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params })}\n`);
    });
}

type Call = ReturnType<typeof caller>;

/** Alternating status and route dry-run round trips until `until()`, or `rounds` of each. */
async function measure(
  call: Call,
  rounds: number,
  until: () => boolean,
): Promise<{ status: number[]; route: number[] }> {
  const status: number[] = [];
  const route: number[] = [];
  for (let i = 0; i < rounds && !until(); i++) {
    let t0 = performance.now();
    const s = await call('daemon/status', {});
    status.push(performance.now() - t0);
    if (!('result' in s)) throw new Error(`daemon/status failed: ${JSON.stringify(s).slice(0, 200)}`);
    t0 = performance.now();
    const r = await call('route', { input: `please run the tests ${i}`, dryRun: true });
    route.push(performance.now() - t0);
    if (!('result' in r)) throw new Error(`route failed: ${JSON.stringify(r).slice(0, 200)}`);
  }
  return { status: status.sort((a, b) => a - b), route: route.sort((a, b) => a - b) };
}

/** The heavy loop: HEAVY in turn until `rounds` requests or `stop()`; returns the slowest answer (ms). */
async function heavyLoop(call: Call, rounds: number, stop: () => boolean): Promise<{ count: number; maxMs: number }> {
  let count = 0;
  let maxMs = 0;
  const slowest = new Map<string, number>();
  while (count < rounds && !stop()) {
    const h = HEAVY[count % HEAVY.length];
    if (h === undefined) break;
    const t0 = performance.now();
    const r = await call(h.method, h.params);
    const ms = performance.now() - t0;
    maxMs = Math.max(maxMs, ms);
    slowest.set(h.method, Math.max(slowest.get(h.method) ?? 0, ms));
    if (!('result' in r)) throw new Error(`${h.method} failed: ${JSON.stringify(r).slice(0, 200)}`);
    count++;
  }
  log(`slowest answers: ${[...slowest].map(([m, ms]) => `${m} ${round(ms)} ms`).join(', ')}`);
  return { count, maxMs };
}

export async function benchResponsive(): Promise<Record<string, number>> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const mb = Number(process.env['OUTLOOP_BENCH_RESPONSIVE_MB'] ?? 30);
  const root = mkdtempSync(join(tmpdir(), 'olb-resp-'));
  const stateDir = join(root, 'state');
  const socket = join(root, 'd.sock');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: root, OUTLOOP_HOME: stateDir, OUTLOOP_SOCKET: socket };
  delete env['XDG_RUNTIME_DIR'];
  delete env['XDG_STATE_HOME'];
  env['CLAUDE_CONFIG_DIR'] = join(root, 'claude');
  env['PATH'] = '/nonexistent';
  const corpus = join(root, 'corpus');
  const stats = generateCorpus(corpus, mb * 1e6, { seed: 1 });
  log(`corpus: ${round(stats.bytes / 1e6)} MB, ${stats.messages} messages, ${stats.toolCalls} tool calls`);
  const child = spawn(process.execPath, [CLI, 'daemon'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const sockets: Socket[] = [];
  try {
    await waitForSocket(socket, child, 20_000);
    const open = async (): Promise<Call> => {
      const s = await openSocket(socket);
      sockets.push(s);
      return caller(s);
    };
    const admin = await open();
    const ingested = await admin('ingest/run', { paths: [corpus] });
    if (!('result' in ingested)) throw new Error(`ingest failed: ${JSON.stringify(ingested).slice(0, 200)}`);
    const probe = await open();
    const idle = await measure(probe, IDLE_ROUNDS, () => false);
    log(`idle: status p99 ${round(percentile(idle.status, 99))} ms, route p99 ${round(percentile(idle.route, 99))} ms`);
    let heavyDone = false;
    const deadline = Date.now() + LOADED_MS;
    const heavy = heavyLoop(await open(), HEAVY_ROUNDS, () => Date.now() > deadline).finally(() => {
      heavyDone = true;
    });
    const loaded = await measure(probe, Number.MAX_SAFE_INTEGER, () => heavyDone || Date.now() > deadline);
    const h = await heavy;
    log(
      `loaded (${h.count} heavy requests, slowest ${round(h.maxMs)} ms): status p50 ${round(percentile(loaded.status, 50))} ` +
        `p99 ${round(percentile(loaded.status, 99))} ms, route p50 ${round(percentile(loaded.route, 50))} p99 ${round(percentile(loaded.route, 99))} ms`,
    );
    return {
      corpusMB: round(stats.bytes / 1e6),
      idleStatusP50Ms: round(percentile(idle.status, 50)),
      idleStatusP99Ms: round(percentile(idle.status, 99)),
      idleRouteP50Ms: round(percentile(idle.route, 50)),
      idleRouteP99Ms: round(percentile(idle.route, 99)),
      heavyRequests: h.count,
      heavySlowestMs: round(h.maxMs),
      loadedSamples: loaded.status.length,
      loadedStatusP50Ms: round(percentile(loaded.status, 50)),
      loadedStatusP99Ms: round(percentile(loaded.status, 99)),
      loadedRouteP50Ms: round(percentile(loaded.route, 50)),
      loadedRouteP99Ms: round(percentile(loaded.route, 99)),
    };
  } finally {
    for (const s of sockets) s.destroy();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(root, { recursive: true, force: true });
  }
}
