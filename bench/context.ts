/**
 * Context-efficiency bench: a temp store holding one session of 5,000 tool calls (a realistic
 * mix of Read, Grep, Glob, Edit, Bash and others over a 2,000-file repo), then
 * `ContextProfiler.efficiencyFor` timed 200 times each way (after 10 warm-ups; see benchContext).
 * Target: p99 under 20 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { describeToolInput } from '../src/core/records/tool-call-input.js';
import type { ToolCallFragment } from '../src/core/types.js';
import { ContextProfiler } from '../src/daemon/learn/context-profiler.js';
import type { ContextEfficiencyResult } from '../src/rpc/protocol.js';
import { Store } from '../src/daemon/store/store.js';
import { percentile } from './stats.js';
import { rng } from './corpus.js';

export interface ContextBench {
  contextEfficiencyP50Ms: number;
  contextEfficiencyP99Ms: number;
  [figure: string]: number;
}

const CALLS = 5000;
/** calls written between two queries of the kept-state runs */
const NEW_CALLS = 5;
const RUNS = 200;
const WARMUP = 10;
const CWD = '/home/dev/src/shop';
const SESSION = 'bench-session-0001';

function repoFiles(): string[] {
  const dirs = [
    'app/server',
    'app/server/api',
    'app/server/services',
    'app/client/src',
    'app/client/src/components',
    'tests',
    'tests/api',
    'docs',
    'scripts',
    'app/client/src/hooks',
  ];
  const exts: Record<string, string> = {
    'app/client/src': 'tsx',
    'app/client/src/components': 'tsx',
    'app/client/src/hooks': 'ts',
    docs: 'md',
    scripts: 'sh',
  };
  const out: string[] = [];
  for (const d of dirs)
    for (let i = 0; i < 200; i++) out.push(`${d}/${d.startsWith('tests') ? 'test_' : ''}mod_${i}.${exts[d] ?? 'py'}`);
  return out;
}

/** Writes the bench session's calls `count` at a time, each batch after the last (time and index). */
export function sessionWriter(store: Store): (count: number) => void {
  const rand = rng(42);
  let next = 0;
  return (count) => {
    writeCalls(store, rand, next, count);
    next += count;
  };
}

function writeCalls(store: Store, rand: () => number, from: number, count: number): void {
  const files = repoFiles();
  // the area the session works on: most reads, every edit and most test runs fall in it
  const area = files.filter((_, i) => i % 50 === 7);
  const anyFile = (): string => files[Math.floor(rand() * files.length)] ?? 'README.md';
  const pick = (): string => (rand() < 0.6 ? (area[Math.floor(rand() * area.length)] ?? 'README.md') : anyFile());
  const inArea = (): string => area[Math.floor(rand() * area.length)] ?? 'README.md';
  const abs = (p: string): string => (rand() < 0.5 ? `${CWD}/${p}` : p);
  store.tx(() => {
    for (let i = from; i < from + count; i++) {
      const r = rand();
      let tool: string;
      let input: Record<string, unknown>;
      let bytes = 200 + Math.floor(rand() * 3000);
      let loaded: string[] | undefined;
      let isError = false;
      if (r < 0.25) {
        tool = 'Read';
        const f = pick();
        input = { file_path: abs(f) };
        bytes = 500 + Math.floor(rand() * 12_000);
        if (rand() < 0.03) isError = true;
        else loaded = [abs(f)];
      } else if (r < 0.35) {
        tool = 'Grep';
        input = { pattern: `symbol_${i % 97}`, path: CWD, ...(rand() < 0.3 ? { output_mode: 'content' } : {}) };
        loaded = Array.from({ length: 3 + Math.floor(rand() * 15) }, () => `${CWD}/${anyFile()}`);
      } else if (r < 0.4) {
        tool = 'Glob';
        input = { pattern: 'app/server/**/*.py' };
        loaded = Array.from({ length: 10 + Math.floor(rand() * 40) }, () => `${CWD}/${anyFile()}`);
      } else if (r < 0.55) {
        tool = rand() < 0.8 ? 'Edit' : 'Write';
        const f = inArea();
        input = {
          file_path: abs(f),
          old_string: 'def old():\n    pass\n'.repeat(3),
          new_string: 'def new():\n    return 1\n'.repeat(3),
        };
        bytes = 150;
      } else if (r < 0.9) {
        tool = 'Bash';
        const cmds = [
          `uv run pytest ${pick()} -q`,
          'git status --short',
          `cd app/client && npx vitest run ${pick()}`,
          'npm run lint',
          `ruff check ${pick()} ${pick()}`,
          'git diff --stat',
          `python -m mypy app/server`,
        ];
        input = { command: cmds[Math.floor(rand() * cmds.length)] ?? 'ls', description: 'run it' };
      } else {
        tool = rand() < 0.5 ? 'TodoWrite' : 'Task';
        input =
          tool === 'Task'
            ? {
                description: 'look around',
                prompt: `Find every caller of apply_coupon in ${pick()} and ${pick()} and report back.`,
                subagent_type: 'Explore',
              }
            : { todos: [{ content: `fix ${pick()}`, status: 'pending' }] };
      }
      const id = `toolu_bench_${i}`;
      const ts = new Date(Date.UTC(2026, 2, 1, 9) + i * 1500).toISOString();
      const d = describeToolInput(tool, input);
      const f: ToolCallFragment = {
        callKey: id,
        toolUseId: id,
        source: 'transcript',
        sessionId: SESSION,
        cwd: CWD,
        toolName: tool,
        command: d.command,
        inputJson: d.inputJson,
        inputBytes: d.inputBytes,
        startedAt: ts,
        endedAt: ts,
        isError,
        exitCode: isError ? 1 : 0,
        responseBytes: bytes,
      };
      if (d.filePaths.length > 0) f.filePaths = d.filePaths;
      if (loaded) f.loadedPaths = loaded;
      store.toolCalls.merge(f);
    }
  });
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** ms of a fixed busy loop: ~8 ms on an idle modern core; shows how loaded the machine was. */
function calibrate(): number {
  const t0 = performance.now();
  let x = 0;
  for (let i = 0; i < 1e7; i++) x += i;
  return x < 0 ? -1 : performance.now() - t0;
}

/** Times `run` RUNS times (after WARMUP runs); `before` runs ahead of each, untimed. */
async function timeRuns(run: () => void, before: () => void = () => undefined): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) {
    before();
    run();
  }
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    before();
    const t0 = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (i % 50 === 49) await new Promise((r) => setImmediate(r));
  }
  return times.sort((a, b) => a - b);
}

/**
 * Every query runs on a new profiler (nothing reused in memory):
 * - contextEfficiencyP50Ms/P99Ms: the session's state kept in the store by the query before, and
 *   NEW_CALLS calls written since (what `context/efficiency` costs on a session in use: it folds
 *   the new calls only). The session grows from 5,000 calls by NEW_CALLS per query.
 * - contextEfficiencyFull*: no state kept (dropped before each query): all 5,000 calls folded,
 *   and the state kept afterwards (a session's first query, or after an early call changed).
 * - contextEfficiencyCached*: one long-lived profiler, the store unchanged between calls (what a
 *   repeated `context/efficiency` costs in the daemon).
 * The answers with and without the kept state are compared at the end: they must be equal.
 */
export async function benchContext(): Promise<ContextBench> {
  const dir = mkdtempSync(join(tmpdir(), 'ol-bench-ctx-'));
  const store = Store.open(join(dir, 'outloop.db'));
  try {
    const write = sessionWriter(store);
    write(CALLS);
    const ref = { sessionId: SESSION };
    const fresh = (): ContextEfficiencyResult | null => new ContextProfiler(store).efficiencyFor(ref);
    const first = fresh();
    if (first?.calls !== CALLS) throw new Error(`expected ${CALLS} calls, got ${first?.calls ?? 0}`);
    const calib = [calibrate(), calibrate(), calibrate()].sort((a, b) => a - b)[1] ?? NaN;
    const full = await timeRuns(fresh, () => store.contextProfiles.dropCheckpoint(SESSION));
    const kept = await timeRuns(fresh, () => write(NEW_CALLS));
    const withState = fresh();
    store.contextProfiles.dropCheckpoint(SESSION);
    if (!isDeepStrictEqual(withState, fresh()))
      throw new Error('the kept state gave another answer than folding every call');
    const shared = new ContextProfiler(store);
    const cached = await timeRuns(() => shared.efficiencyFor(ref));
    return {
      contextEfficiencyP50Ms: round2(percentile(kept, 50)),
      contextEfficiencyP99Ms: round2(percentile(kept, 99)),
      contextEfficiencyFullP50Ms: round2(percentile(full, 50)),
      contextEfficiencyFullP99Ms: round2(percentile(full, 99)),
      contextEfficiencyCachedP50Ms: round2(percentile(cached, 50)),
      contextEfficiencyCachedP99Ms: round2(percentile(cached, 99)),
      sessionCalls: CALLS,
      sessionCallsAtEnd: withState?.calls ?? 0,
      newCallsPerQuery: NEW_CALLS,
      filesLoaded: first.filesLoaded,
      filesUsed: first.filesUsed,
      calibrationLoopMs: round2(calib),
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
