/**
 * Discovery bench: 10,000 patterns learned through the real ToolCallsRepo and Learner into a temp store
 * (1,000 of them over the discovery thresholds, the rest below), then the real built daemon on it, and
 * the wall time of `outloop analyze --json` as a user runs it (node start included). The first run
 * promotes and writes 1,000 Markdown suggestions; the repeat run finds everything already filed.
 * No gh on PATH: the Markdown path is measured, never the network.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hub } from '../src/daemon/hub.js';
import { LAST_RUN_KEY } from '../src/daemon/discovery/discovery.js';
import { Learner } from '../src/daemon/learn/learner.js';
import { NULL_LOGGER } from '../src/daemon/logger.js';
import { Store } from '../src/daemon/store/store.js';
import type { AnalyzeResult } from '../src/rpc/protocol.js';
import { waitForSocket } from './socket.js';

export interface AnalyzeBench {
  analyze10kMs: number;
  analyze10kRepeatMs: number;
  [figure: string]: number;
}

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const PATTERNS = 10_000;
const CANDIDATE_EVERY = 10;
const DAY = 86_400_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (msg: string): void => void process.stderr.write(`bench analyze: ${msg}\n`);

/**
 * 10,000 distinct commands (`toolN --run`, signatures `other:toolN:all`) as completed Bash calls merged
 * into tool_calls, then learned by the real Learner. Every 10th runs in 12 sessions with 100 kB outputs
 * (about $0.9/month: a candidate; unknown commands need 10 sessions), the others in 2 sessions.
 */
export function populate(dbPath: string): { candidates: number; calls: number } {
  const store = Store.open(dbPath);
  const hub = new Hub();
  const learner = new Learner(store, hub, NULL_LOGGER);
  let calls = 0;
  try {
    const t0 = Date.now() - 20 * DAY;
    store.tx(() => {
      for (let i = 0; i < PATTERNS; i++) {
        const sessions = i % CANDIDATE_EVERY === 0 ? 12 : 2;
        for (let s = 0; s < sessions; s++) {
          const key = `toolu_${i}_${s}`;
          const started = t0 + ((i * 17 + s * 3600) % (19 * DAY));
          store.toolCalls.merge({
            callKey: key,
            toolUseId: key,
            source: 'transcript',
            sessionId: `session-${(i * 13 + s) % 5000}`,
            toolName: 'Bash',
            command: `tool${i} --run ${s % 3}`,
            cwd: '/home/dev/shop',
            inputBytes: 60,
            responseBytes: 100_000,
            exitCode: 0,
            isError: false,
            durationMs: 3000,
            startedAt: new Date(started).toISOString(),
            endedAt: new Date(started + 3000).toISOString(),
            model: 'claude-sonnet-4-5-20250929',
          });
          calls++;
        }
      }
      // the weekly run is not due: only the measured runs analyze
      store.meta.set(LAST_RUN_KEY, new Date().toISOString());
    });
    learner.learnPending();
    if (store.patterns.count() !== PATTERNS)
      throw new Error(`learned ${store.patterns.count()} patterns, expected ${PATTERNS}`);
  } finally {
    learner.close();
    hub.close();
    store.close();
  }
  return { candidates: PATTERNS / CANDIDATE_EVERY, calls };
}

/** CPU time (user + system) the process has used so far, in ms; null off Linux. Load-independent. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // utime and stime are fields 14 and 15 of stat (12 and 13 after the name); clock ticks are 10 ms
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** The durations the daemon logged for its analyze runs (wall time inside the daemon), oldest first. */
function daemonRunMs(stateDir: string): number[] {
  const log = readFileSync(join(stateDir, 'daemon.log'), 'utf8');
  return [...log.matchAll(/analyze \(manual\): .*; (\d+) ms/g)].map((m) => Number(m[1]));
}

/** Runs the CLI to completion; returns its wall time and stdout. */
function timeCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`outloop ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      else resolve({ ms, stdout });
    });
  });
}

export async function benchAnalyze(): Promise<AnalyzeBench> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const stateDir = mkdtempSync(join(tmpdir(), 'ol-bench-analyze-'));
  const socket = join(stateDir, 'd.sock');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: stateDir,
    OUTLOOP_HOME: stateDir,
    OUTLOOP_SOCKET: socket,
    PATH: dirname(process.execPath),
  };
  for (const key of ['XDG_RUNTIME_DIR', 'XDG_STATE_HOME', 'OUTLOOP_GH']) delete env[key];
  env['CLAUDE_CONFIG_DIR'] = join(stateDir, 'claude');
  let child: ChildProcess | null = null;
  try {
    const t0 = Date.now();
    const { candidates, calls } = populate(join(stateDir, 'outloop.db'));
    log(`${calls} tool calls learned into ${PATTERNS} patterns in ${Date.now() - t0} ms`);
    const daemon = spawn(process.execPath, [CLI, 'daemon'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child = daemon;
    await waitForSocket(socket, daemon, 20_000);
    await timeCli(['status', '--json'], env); // warm the page cache for node and the CLI

    const cpu0 = cpuMs(daemon.pid);
    const first = await timeCli(['analyze', '--json'], env);
    const cpu1 = cpuMs(daemon.pid);
    const r1 = JSON.parse(first.stdout) as AnalyzeResult;
    if (
      r1.patternsScanned !== PATTERNS ||
      r1.candidates.length !== candidates ||
      r1.candidates.some((c) => c.filed !== 'markdown')
    ) {
      throw new Error(`unexpected first analysis: ${r1.patternsScanned} scanned, ${r1.candidates.length} candidates`);
    }
    log(`first run (${candidates} promoted + Markdown written): ${first.ms.toFixed(0)} ms`);
    const repeat = await timeCli(['analyze', '--json'], env);
    const cpu2 = cpuMs(daemon.pid);
    const r2 = JSON.parse(repeat.stdout) as AnalyzeResult;
    if (r2.candidates.some((c) => c.filed !== 'already' || c.promoted))
      throw new Error('the repeat analysis changed something');
    log(`repeat run (nothing new): ${repeat.ms.toFixed(0)} ms`);
    const noop = await timeCli(['--version'], env);
    const [inDaemon = NaN, inDaemonRepeat = NaN] = daemonRunMs(stateDir);
    return {
      analyze10kMs: Math.round(first.ms),
      analyze10kRepeatMs: Math.round(repeat.ms),
      analyzeCandidates: candidates,
      /** the run inside the daemon (no CLI start, no JSON transfer) */
      analyze10kDaemonMs: inDaemon,
      analyze10kRepeatDaemonMs: inDaemonRepeat,
      ...(cpu0 !== null && cpu1 !== null && cpu2 !== null
        ? { analyze10kDaemonCpuMs: cpu1 - cpu0, analyze10kRepeatDaemonCpuMs: cpu2 - cpu1 }
        : {}),
      cliStartMs: Math.round(noop.ms),
    };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((r) => child?.once('exit', () => r()));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(socket, { force: true });
    rmSync(stateDir, { recursive: true, force: true });
  }
}
