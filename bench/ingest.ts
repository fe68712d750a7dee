/**
 * Ingest bench: the real built daemon (dist) on temp dirs.
 * - cold ingest of a generated corpus (500 MB by default, OUTLOOP_BENCH_CORPUS_MB to change):
 *   MB/s, source records/s, the daemon's CPU seconds and peak RSS (VmHWM);
 * - live appends to a watched transcript: append -> `events/changed` latency, p50/p99;
 * - `usage/report` daily on 1M usage records inserted through UsageRepo.upsert.
 * Temp dirs live under os.tmpdir() and are removed afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../src/daemon/store/store.js';
import type { UsageRecord } from '../src/core/types.js';
import { generateCorpus } from './corpus.js';
import { openSocket } from './socket.js';
import { percentile } from './stats.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const LIVE_SAMPLES = 200;
const REPORT_RECORDS = 1_000_000;

const log = (msg: string): void => void process.stderr.write(`bench ingest: ${msg}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;

interface Daemon {
  child: ChildProcess;
  pid: number;
  env: NodeJS.ProcessEnv;
  socket: string;
}

function daemonEnv(stateDir: string, socket: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith('OUTLOOP_') || k.startsWith('XDG_') || k === 'CLAUDE_CONFIG_DIR') delete env[k];
  return {
    ...env,
    HOME: stateDir,
    OUTLOOP_HOME: stateDir,
    OUTLOOP_SOCKET: socket,
    CLAUDE_CONFIG_DIR: join(stateDir, 'no-claude-config'),
  };
}

async function startDaemon(stateDir: string, label: string): Promise<Daemon> {
  const socket = join(stateDir, `${label}.sock`);
  const env = daemonEnv(stateDir, socket);
  const child = spawn(process.execPath, [CLI, 'daemon'], { env, stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the daemon exited during start (code ${child.exitCode})`);
    try {
      (await openSocket(socket)).destroy();
      return { child, pid: child.pid ?? 0, env, socket };
    } catch {
      await sleep(25);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`the daemon did not answer on ${socket}`);
}

async function stopDaemon(d: Daemon): Promise<void> {
  if (d.child.exitCode !== null) return;
  const exited = new Promise((r) => d.child.once('exit', r));
  d.child.kill('SIGTERM');
  const t = setTimeout(() => d.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(t);
}

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** utime + stime of a process, seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Number(m[1]) / 1024 : NaN;
}

/** Line-delimited JSON-RPC on one socket, with notifications delivered to a callback. */
class Rpc {
  private buf = '';
  private nextId = 1;
  private readonly waiting = new Map<number, (v: unknown) => void>();
  onNotify: (method: string, params: unknown) => void = () => {};
  private constructor(private readonly s: Socket) {
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => {
      this.buf += chunk;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const msg = JSON.parse(this.buf.slice(0, nl)) as {
          id?: number;
          method?: string;
          params?: unknown;
          result?: unknown;
          error?: unknown;
        };
        this.buf = this.buf.slice(nl + 1);
        if (msg.method) this.onNotify(msg.method, msg.params);
        else if (typeof msg.id === 'number') {
          this.waiting.get(msg.id)?.(msg.error ? Promise.reject(new Error(JSON.stringify(msg.error))) : msg.result);
          this.waiting.delete(msg.id);
        }
      }
    });
  }
  static async open(path: string): Promise<Rpc> {
    return new Rpc(await openSocket(path));
  }
  call(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.s.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }
  close(): void {
    this.s.destroy();
  }
}

function freeMb(dir: string): number {
  const s = statfsSync(dir);
  return (s.bavail * s.bsize) / 1e6;
}

/** Cold ingest of the corpus through `outloop ingest`, then live appends. */
async function coldAndLive(root: string, corpusMb: number, figures: Record<string, number>): Promise<void> {
  const corpus = join(root, 'corpus');
  log(`generating a ${corpusMb} MB corpus in ${corpus}`);
  const g0 = Date.now();
  const stats = generateCorpus(corpus, corpusMb * 1e6, { seed: 1 });
  figures['corpusMB'] = round(stats.bytes / 1e6);
  figures['corpusFiles'] = stats.files;
  figures['corpusRecords'] = stats.records;
  log(
    `corpus: ${round(stats.bytes / 1e6)} MB, ${stats.files} files, ${stats.records} records (${round((Date.now() - g0) / 1000)} s)`,
  );

  const stateDir = join(root, 'state');
  const live = join(stateDir, '.claude', 'projects', '-bench-live');
  mkdirSync(live, { recursive: true });
  const d = await startDaemon(stateDir, 'cold');
  try {
    const cpu0 = cpuSeconds(d.pid);
    const load0 = loadavg()[0] ?? 0;
    const t0 = process.hrtime.bigint();
    const r = await runCli(['ingest', corpus, '--json'], d.env);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.code !== 0) throw new Error(`outloop ingest failed (${r.code}): ${r.stderr}`);
    const counts = JSON.parse(r.stdout) as Record<string, number>;
    const cpu = cpuSeconds(d.pid) - cpu0;
    figures['ingestSeconds'] = round(seconds, 2);
    figures['ingestMBps'] = round(stats.bytes / 1e6 / seconds);
    figures['ingestEventsPerS'] = Math.round(stats.records / seconds);
    figures['ingestRowsPerS'] = Math.round(
      ((counts['hookEvents'] ?? 0) + (counts['toolCalls'] ?? 0) + (counts['usageRecords'] ?? 0)) / seconds,
    );
    figures['ingestDaemonCpuSeconds'] = round(cpu, 2);
    figures['ingestMBpsPerDaemonCpuS'] = round(stats.bytes / 1e6 / cpu);
    figures['peakRssMB'] = round(peakRssMb(d.pid));
    figures['loadAvgAtStart'] = round(load0, 2);
    log(
      `cold ingest: ${figures['ingestMBps']} MB/s, ${figures['ingestEventsPerS']} records/s, daemon CPU ${round(cpu, 1)} s, peak RSS ${figures['peakRssMB']} MB (load ${round(load0, 1)})`,
    );
    log(`rows: ${JSON.stringify(counts)}`);
    figures['settleSeconds'] = round(await settle(d), 1);
    log(`daemon settled ${figures['settleSeconds']} s after the backfill (learning catches up)`);
    await liveLatency(d, live, figures);
  } finally {
    await stopDaemon(d);
  }
  await engineAlone(corpus, join(root, 'engine-state'), stats.records, figures);
}

/**
 * The same corpus through the ingest engine alone, in a child process (no RPC, no learner): what
 * ingestion itself costs, apart from the learning the daemon does on the rows it gets.
 */
async function engineAlone(
  corpus: string,
  stateDir: string,
  records: number,
  figures: Record<string, number>,
): Promise<void> {
  const script = fileURLToPath(new URL('./ingest-engine-run.ts', import.meta.url));
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, corpus, stateDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`the engine run exited with ${code}`)),
    );
  });
  const r = JSON.parse(out) as {
    seconds: number;
    bytes: number;
    cpuSeconds: number;
    maxRssMB: number;
    learnSeconds: number;
    learnedCalls: number;
    learnedSessions: number;
    counts: Record<string, number>;
  };
  figures['engineIngestMBps'] = round(r.bytes / 1e6 / r.seconds);
  figures['engineIngestEventsPerS'] = Math.round(records / r.seconds);
  figures['engineIngestMBpsPerCpuS'] = round(r.bytes / 1e6 / r.cpuSeconds);
  figures['enginePeakRssMB'] = round(r.maxRssMB);
  figures['engineIngestSeconds'] = round(r.seconds, 2);
  // `outloop ingest` answers once learning has caught up: what the daemon's learning (interleaved
  // with parsing) adds to the wall time of ingestion alone
  const daemonSeconds = figures['ingestSeconds'];
  if (daemonSeconds !== undefined) figures['daemonIngestVsEngine'] = round(daemonSeconds / r.seconds, 3);
  figures['learnSeconds'] = round(r.learnSeconds, 2);
  figures['learnVsIngest'] = round(r.learnSeconds / r.seconds, 3);
  // every tool call of the corpus is considered; the Bash ones are folded into patterns
  figures['learnToolCallsPerS'] = Math.round((r.counts.toolCalls ?? 0) / r.learnSeconds);
  figures['learnBashCallsPerS'] = Math.round(r.learnedCalls / r.learnSeconds);
  figures['learnSessionsPerS'] = Math.round(r.learnedSessions / r.learnSeconds);
  log(
    `engine alone: ${figures['engineIngestMBps']} MB/s, ${figures['engineIngestEventsPerS']} records/s, ${figures['engineIngestMBpsPerCpuS']} MB per CPU-second, peak RSS ${figures['enginePeakRssMB']} MB`,
  );
  log(
    `learning what it wrote (${r.learnedCalls} calls, ${r.learnedSessions} sessions): ${round(r.learnSeconds, 2)} s, ${round((r.learnSeconds / r.seconds) * 100)}% of the ingest time`,
  );
}

/**
 * Waits until the daemon is idle: `daemon/status` answers within 25 ms twenty times in a row
 * (after a big backfill the learner catches up first). Returns the seconds waited.
 */
async function settle(d: Daemon): Promise<number> {
  const rpc = await Rpc.open(d.socket);
  const t0 = Date.now();
  let quiet = 0;
  while (quiet < 20 && Date.now() - t0 < 300_000) {
    const s = process.hrtime.bigint();
    const st = (await rpc.call('daemon/status', {})) as { ingest: { pendingFiles: number } };
    const ms = Number(process.hrtime.bigint() - s) / 1e6;
    quiet = ms < 25 && st.ingest.pendingFiles === 0 ? quiet + 1 : 0;
    await sleep(100);
  }
  rpc.close();
  return (Date.now() - t0) / 1000;
}

/** Appends one assistant message at a time and waits for the `events/changed` that reports it. */
async function liveLatency(d: Daemon, dir: string, figures: Record<string, number>): Promise<void> {
  const file = join(dir, '55555555-6666-4777-8888-999999999999.jsonl');
  writeFileSync(file, '');
  const rpc = await Rpc.open(d.socket);
  let waiter: ((t: bigint) => void) | null = null;
  rpc.onNotify = (method, params) => {
    if (method !== 'events/changed') return;
    const events = (params as { events: { kind: string }[] }).events;
    if (events.some((e) => e.kind === 'usage') && waiter) waiter(process.hrtime.bigint());
  };
  await rpc.call('events/subscribe', {});
  const samples: number[] = [];
  for (let i = 0; i < LIVE_SAMPLES + 10; i++) {
    const line = `${JSON.stringify({
      type: 'assistant',
      sessionId: '55555555-6666-4777-8888-999999999999',
      cwd: '/bench',
      timestamp: new Date().toISOString(),
      requestId: `req_live_${i}`,
      message: {
        id: `msg_live_${i}`,
        model: 'claude-sonnet-4-5',
        role: 'assistant',
        content: [{ type: 'text', text: 'x'.repeat(300) }],
        usage: { input_tokens: 5, output_tokens: 50 },
      },
    })}\n`;
    const got = new Promise<bigint>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no events/changed within 60 s for live append ${i}`)), 60_000);
      waiter = (at) => {
        clearTimeout(t);
        resolve(at);
      };
    });
    const t0 = process.hrtime.bigint();
    appendFileSync(file, line);
    const at = await got;
    waiter = null;
    if (i >= 10) samples.push(Number(at - t0) / 1e6); // the first appends warm up
    await sleep(5 + Math.floor(Math.random() * 20));
  }
  rpc.close();
  samples.sort((a, b) => a - b);
  figures['liveP50Ms'] = round(percentile(samples, 50));
  figures['liveP99Ms'] = round(percentile(samples, 99));
  figures['liveMaxMs'] = round(samples[samples.length - 1] ?? NaN);
  log(
    `live append -> events/changed: p50 ${figures['liveP50Ms']} ms, p99 ${figures['liveP99Ms']} ms (${samples.length} samples)`,
  );
}

/** 1M usage records through UsageRepo.upsert, then `usage/report` daily over RPC and the CLI. */
async function report1M(root: string, figures: Record<string, number>): Promise<void> {
  const stateDir = join(root, 'report-state');
  mkdirSync(stateDir, { recursive: true });
  log(`inserting ${REPORT_RECORDS} usage records`);
  const store = Store.open(join(stateDir, 'outloop.db'));
  const models = ['claude-opus-4-6', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-sonnet-4-6'];
  const start = Date.parse('2026-01-01T00:00:00Z');
  const span = 180 * 86_400_000;
  const i0 = Date.now();
  for (let i = 0; i < REPORT_RECORDS;) {
    store.tx(() => {
      for (let k = 0; k < 20_000 && i < REPORT_RECORDS; k++, i++) {
        const ts = new Date(start + Math.floor((i / REPORT_RECORDS) * span) + (i % 1000)).toISOString();
        const rec: UsageRecord = {
          dedupKey: `msg_bench_${i}`,
          messageId: `msg_bench_${i}`,
          requestId: `req_bench_${i}`,
          sessionId: `session-${i % 5000}`,
          agentId: null,
          project: `-home-dev-p${i % 20}`,
          model: models[i % models.length] ?? 'claude-sonnet-4-5',
          ts,
          isSidechain: i % 9 === 0,
          speed: null,
          costUsd: 0.001 * (i % 50),
          inputTokens: 10 + (i % 100),
          outputTokens: 100 + (i % 1000),
          cacheCreationTokens: i % 5000,
          cacheCreation5mTokens: i % 5000,
          cacheCreation1hTokens: 0,
          cacheReadTokens: 1000 + (i % 90_000),
        };
        store.usage.upsert(rec, '/bench/usage.jsonl', true);
      }
    });
  }
  store.close();
  figures['report1MInsertSeconds'] = round((Date.now() - i0) / 1000, 1);
  log(`inserted in ${figures['report1MInsertSeconds']} s`);
  const d = await startDaemon(stateDir, 'report');
  try {
    const rpc = await Rpc.open(d.socket);
    const times: number[] = [];
    let days = 0;
    for (let i = 0; i < 12; i++) {
      const t0 = process.hrtime.bigint();
      const r = (await rpc.call('usage/report', { kind: 'daily' })) as { daily: unknown[] };
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      days = r.daily.length;
    }
    rpc.close();
    const warm = times.slice(2).sort((a, b) => a - b);
    figures['reportDaily1MMs'] = round(percentile(warm, 50));
    figures['reportDaily1MMaxMs'] = round(warm[warm.length - 1] ?? NaN);
    figures['reportDaily1MFirstMs'] = round(times[0] ?? NaN);
    const cli: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      const r = await runCli(['report', 'daily', '--json'], d.env);
      if (r.code !== 0) throw new Error(`outloop report failed: ${r.stderr}`);
      cli.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    figures['reportDaily1MCliMs'] = round(cli.sort((a, b) => a - b)[1] ?? NaN);
    log(
      `report daily on 1M records (${days} days): RPC ${figures['reportDaily1MMs']} ms (first ${figures['reportDaily1MFirstMs']} ms), CLI ${figures['reportDaily1MCliMs']} ms`,
    );
  } finally {
    await stopDaemon(d);
  }
}

export async function benchIngest(): Promise<Record<string, number>> {
  const wantMb = Number(process.env['OUTLOOP_BENCH_CORPUS_MB'] ?? 500);
  const root = mkdtempSync(join(tmpdir(), 'olb-ingest-'));
  const figures: Record<string, number> = {};
  try {
    // corpus + database (about as large again) + the 1M-record database, with room to spare
    const free = freeMb(root);
    let corpusMb = Number.isFinite(wantMb) && wantMb > 0 ? wantMb : 500;
    if (free < corpusMb * 2.5 + 1500) {
      corpusMb = Math.max(20, Math.floor((free - 1500) / 2.5));
      log(`only ${Math.round(free)} MB free under ${tmpdir()}: corpus shrunk to ${corpusMb} MB`);
    }
    await coldAndLive(root, corpusMb, figures);
    await report1M(root, figures);
    return figures;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
