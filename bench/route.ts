/**
 * Route and pre-flight figures against the real built daemon (dist) on a temp state dir seeded
 * through the real Store: 1,000 approved patterns each with an enabled tool (/bin/true), 100,000
 * workflow runs of five types, a week of hourly usage.
 * - `route` with dryRun: p50/p99 of 3,000 sequential requests (half match a trigger phrase, half
 *   share a few words with many), then requests/s with 32 clients pipelining for ~5 s;
 * - `preflight`: p99 of 2,000 sequential requests (with a workflow type, ~100-word inputs);
 * - `outloop statusline` wall time (payload on stdin, daemon up) against bare `node -e 0`, interleaved,
 *   medians of 30 runs each after warm-up.
 * Run alone with `npx tsx bench/route.ts` (after `npm run build`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { confidence } from '../src/core/learning/confidence.js';
import { Store } from '../src/daemon/store/store.js';
import { pinExecutable } from '../src/daemon/route/tool-pin.js';
import { openSocket, waitForSocket } from './socket.js';
import { median, percentile } from './stats.js';
import { rng } from './corpus.js';

const CLI = fileURLToPath(new URL('../dist/cli/outloop.cjs', import.meta.url));
const PATTERNS = 1000;
const WORKFLOWS = 100_000;
const ROUTE_WARMUP = 500;
const ROUTE_SEQUENTIAL = 3000;
const PREFLIGHT_SEQUENTIAL = 2000;
const CLIENTS = 32;
const WINDOW = 16;
const THROUGHPUT_MS = 5000;
const STATUSLINE_RUNS = 30;
const STATUSLINE_WARMUP = 5;

const VOCAB = (
  'run test tests suite unit integration lint format build deploy check type types migrate database schema seed ' +
  'backend frontend api server client cart checkout payment coupon user login session cache queue worker docs ' +
  'release tag changelog bump version package install update upgrade audit security scan coverage report bench ' +
  'profile docker image container compose cluster staging production preview branch merge rebase commit push'
).split(' ');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (msg: string): void => void process.stderr.write(`bench route: ${msg}\n`);

function phrase(rand: () => number, n: number): string {
  return Array.from({ length: n }, () => VOCAB[Math.floor(rand() * VOCAB.length)] ?? 'run').join(' ');
}

/** Seeds the state dir; returns the trigger phrases (for matching queries). */
export function seed(dbPath: string): string[] {
  const rand = rng(42);
  const store = Store.open(dbPath);
  const triggers: string[] = [];
  try {
    const ts = new Date(Date.now() - 86_400_000).toISOString();
    store.tx(() => {
      for (let i = 0; i < PATTERNS; i++) {
        const signature = `test:bench${i}:all`;
        const { row } = store.patterns.ensure(signature, 'command', ts, 'claude-sonnet-4-5');
        const stats = {
          occurrences: 8,
          uses: 12,
          durN: 12,
          durMean: 2000,
          durM2: 12 * 40_000,
          successes: 12,
          failures: 0,
        };
        const examples = [`bench${i} ${phrase(rand, 3)}`, phrase(rand, 4)];
        store.patterns.applyUses(row, {
          stats,
          llmTokens: 12 * 30_000,
          llmCost: 12 * 0.09,
          measuredUses: 12,
          toolTokensEst: 12 * 230,
          examples,
          firstTs: ts,
          lastTs: ts,
          model: 'claude-sonnet-4-5',
          confidence: confidence(stats),
        });
        store.patterns.transition(row.id, 'detected', 'approved', { action: 'approve', actor: 'bench', note: null });
        const trigger = `${phrase(rand, 3)} bench${i}`;
        triggers.push(trigger);
        store.tools.register({
          name: `tool-${i}`,
          signature,
          argv: ['/bin/true'],
          resolvedPath: '/bin/true',
          triggers: [trigger, phrase(rand, 2)],
          timeoutMs: 600_000,
          outputCapBytes: 1024 * 1024,
          cwdPolicy: 'inherit',
          cwd: null,
          pin: pinExecutable('/bin/true'),
        });
      }
      const types = ['adw_plan_build', 'adw_sdlc', 'adw_patch', 'adw_plan_build_test', 'adw_review'];
      const t0 = Date.now() - 365 * 86_400_000;
      for (let i = 0; i < WORKFLOWS; i++) {
        const tokens = 200_000 + Math.floor(rand() * 3_000_000);
        store.workflows.upsert({
          adwId: `b${i.toString(16).padStart(7, '0')}`,
          issueNumber: i,
          issueClass: '/feature',
          workflowType: types[i % types.length] ?? null,
          phases: ['plan', 'build'],
          models: ['claude-sonnet-4-5'],
          tokens: {
            inputTokens: tokens,
            outputTokens: 0,
            cacheCreationTokens: 0,
            cacheCreation5mTokens: 0,
            cacheCreation1hTokens: 0,
            cacheReadTokens: 0,
          },
          costUsd: (tokens * 3) / 1e6,
          costBasis: 'reported',
          durationMs: 600_000,
          status: i % 20 === 0 ? 'error' : 'success',
          nlInput: null,
          wordCount: 20 + Math.floor(rand() * 480),
          startedAt: new Date(t0 + i * 300_000).toISOString(),
          endedAt: null,
          stateDir: `/tmp/b${i}`,
        });
      }
      const hour = 3_600_000;
      const now = Math.floor(Date.now() / hour) * hour;
      for (let h = 24 * 8; h >= 0; h--) {
        if (h % 24 > 16) continue; // nights off
        const ms = now - h * hour + 60_000;
        const tokens = 50_000 + Math.floor(rand() * 500_000);
        store.usage.upsert(
          {
            dedupKey: `msg_bench_${h}`,
            messageId: `msg_bench_${h}`,
            requestId: null,
            sessionId: 'bench',
            agentId: null,
            project: 'bench',
            model: 'claude-sonnet-4-5',
            ts: new Date(ms).toISOString(),
            isSidechain: false,
            speed: null,
            costUsd: (tokens * 3) / 1e6,
            inputTokens: tokens,
            outputTokens: 0,
            cacheCreationTokens: 0,
            cacheCreation5mTokens: 0,
            cacheCreation1hTokens: 0,
            cacheReadTokens: 0,
          },
          'bench',
          true,
        );
      }
    });
  } finally {
    store.close();
  }
  return triggers;
}

const round = (x: number, d = 3): number => Number(x.toFixed(d));

/** Sequential round trips on one connection; `check` validates each answer. */
async function sequential(
  path: string,
  lines: string[],
  check: (result: Record<string, unknown>) => void,
): Promise<number[]> {
  const s = await openSocket(path);
  let buffer = '';
  let waiting: ((line: string) => void) | null = null;
  s.setEncoding('utf8');
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
  for (const req of lines) {
    const t0 = process.hrtime.bigint();
    const line = await new Promise<string>((resolve) => {
      waiting = resolve;
      s.write(req);
    });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const msg = JSON.parse(line) as { result?: Record<string, unknown>; error?: unknown };
    if (!msg.result) throw new Error(`unexpected answer: ${line.slice(0, 300)}`);
    check(msg.result);
  }
  s.destroy();
  return times;
}

/** CLIENTS connections each keeping WINDOW requests in flight for durationMs; answers per second. */
async function throughput(path: string, lines: string[], durationMs: number): Promise<number> {
  const sockets = await Promise.all(Array.from({ length: CLIENTS }, () => openSocket(path)));
  let answered = 0;
  let running = true;
  let k = 0;
  const done = sockets.map(
    (s) =>
      new Promise<void>((resolve) => {
        let outstanding = 0;
        const send = (n: number): void => {
          let out = '';
          for (let i = 0; i < n; i++) out += lines[k++ % lines.length];
          outstanding += n;
          s.write(out);
        };
        s.on('data', (chunk: Buffer) => {
          let n = 0;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
          outstanding -= n;
          answered += n;
          if (running) send(n);
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

function timeOnce(args: string[], env: NodeJS.ProcessEnv, input: string, expectOut: boolean): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { input, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 || r.stderr.length > 0)
    throw new Error(`node ${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
  if (expectOut && !String(r.stdout).startsWith('today ')) throw new Error(`statusline fell back: ${String(r.stdout)}`);
  return ms;
}

function statusline(env: NodeJS.ProcessEnv): {
  statuslineWallMs: number;
  nodeBareMs: number;
  statuslineVsBare: number;
} {
  const s = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify({
    session_id: 'bench',
    cost: { total_cost_usd: 1.25 },
    rate_limits: {
      five_hour: { used_percentage: 42, resets_at: s + 3600 },
      seven_day: { used_percentage: 12, resets_at: s + 86_400 },
    },
  });
  const sl: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < STATUSLINE_WARMUP + STATUSLINE_RUNS; i++) {
    // interleaved, alternating who goes first, so load drift hits both alike
    let a: number;
    let b: number;
    if (i % 2) {
      a = timeOnce([CLI, 'statusline'], env, payload, true);
      b = timeOnce(['-e', '0'], env, payload, false);
    } else {
      b = timeOnce(['-e', '0'], env, payload, false);
      a = timeOnce([CLI, 'statusline'], env, payload, true);
    }
    if (i >= STATUSLINE_WARMUP) {
      sl.push(a);
      bare.push(b);
    }
  }
  const statuslineWallMs = round(median(sl), 2);
  const nodeBareMs = round(median(bare), 2);
  return { statuslineWallMs, nodeBareMs, statuslineVsBare: round(statuslineWallMs / nodeBareMs) };
}

export async function benchRoute(): Promise<Record<string, number>> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const stateDir = mkdtempSync(join(tmpdir(), 'ol-bench-route-'));
  const socket = join(stateDir, 'd.sock');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: stateDir, OUTLOOP_HOME: stateDir, OUTLOOP_SOCKET: socket };
  for (const k of ['XDG_RUNTIME_DIR', 'XDG_STATE_HOME', 'NODE_OPTIONS', 'OUTLOOP_QUOTA_LIMIT', 'ANTHROPIC_QUOTA_LIMIT'])
    delete env[k];
  env['CLAUDE_CONFIG_DIR'] = join(stateDir, 'claude');
  env['OUTLOOP_STATUSLINE_TIMEOUT_MS'] = '5000';
  let child: ChildProcess | null = null;
  try {
    const s0 = performance.now();
    const triggers = seed(join(stateDir, 'outloop.db'));
    log(
      `seeded ${PATTERNS} routable patterns and ${WORKFLOWS} workflow runs in ${Math.round(performance.now() - s0)} ms`,
    );
    const c = spawn(process.execPath, [CLI, 'daemon'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child = c;
    await waitForSocket(socket, c, 30_000);

    const rand = rng(7);
    let id = 0;
    const routeLine = (i: number): string => {
      const input = i % 2 === 0 ? `please ${triggers[Math.floor(rand() * triggers.length)] ?? 'run'}` : phrase(rand, 6);
      return `${JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'route', params: { input, dryRun: true } })}\n`;
    };
    const routes = Array.from({ length: ROUTE_WARMUP + ROUTE_SEQUENTIAL }, (_, i) => routeLine(i));
    let toolDecisions = 0;
    const checkRoute = (r: Record<string, unknown>): void => {
      if (r['decision'] === 'tool') toolDecisions++;
      else if (r['decision'] !== 'llm') throw new Error(`bad route answer ${JSON.stringify(r).slice(0, 200)}`);
    };
    await sequential(socket, routes.slice(0, ROUTE_WARMUP), checkRoute);
    toolDecisions = 0;
    const routeTimes = (await sequential(socket, routes.slice(ROUTE_WARMUP), checkRoute)).sort((a, b) => a - b);
    if (toolDecisions < ROUTE_SEQUENTIAL / 4)
      throw new Error(`only ${toolDecisions} of ${ROUTE_SEQUENTIAL} requests matched a tool`);
    log(
      `route dry-run p50 ${percentile(routeTimes, 50).toFixed(3)} ms, p99 ${percentile(routeTimes, 99).toFixed(3)} ms (${toolDecisions} tool)`,
    );
    await throughput(socket, routes, 1000);
    const rps = await throughput(socket, routes, THROUGHPUT_MS);
    log(`route dry-run ${Math.round(rps)} requests/s with ${CLIENTS} clients`);

    const types = ['adw_plan_build', 'adw_sdlc', 'adw_patch', 'adw_plan_build_test', 'adw_review'];
    const preflights = Array.from({ length: PREFLIGHT_SEQUENTIAL + 200 }, (_, i) => {
      const words = 60 + Math.floor(rand() * 120);
      const input = `Fix the ${phrase(rand, words - 2)}.`;
      return `${JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'preflight', params: { input, workflowType: types[i % types.length] } })}\n`;
    });
    const checkPreflight = (r: Record<string, unknown>): void => {
      if (typeof r['decision'] !== 'string') throw new Error(`bad preflight answer ${JSON.stringify(r).slice(0, 200)}`);
    };
    await sequential(socket, preflights.slice(0, 200), checkPreflight);
    const pfTimes = (await sequential(socket, preflights.slice(200), checkPreflight)).sort((a, b) => a - b);
    log(`preflight p50 ${percentile(pfTimes, 50).toFixed(3)} ms, p99 ${percentile(pfTimes, 99).toFixed(3)} ms`);

    const sl = statusline(env);
    log(`statusline ${sl.statuslineWallMs} ms vs bare node ${sl.nodeBareMs} ms`);
    return {
      routablePatterns: PATTERNS,
      routeDryP50Ms: round(percentile(routeTimes, 50)),
      routeDryP99Ms: round(percentile(routeTimes, 99)),
      routeDryRps32: Math.round(rps),
      workflowRuns: WORKFLOWS,
      preflightP50Ms: round(percentile(pfTimes, 50)),
      preflightP99Ms: round(percentile(pfTimes, 99)),
      ...sl,
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchRoute().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`bench route: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
