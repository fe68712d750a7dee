/**
 * The savings replay on a real store: its sums equal a count made here call by call with compact()
 * itself, the period filters, the carry-over up to a compact boundary, and a pattern's tool tokens
 * switching to `measured (replay)`. Figures hold whatever compactors are registered.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compact } from '../../src/core/compact/index.js';
import { operationForTool } from '../../src/core/learning/operation.js';
import { inputTokensCostUsd } from '../../src/core/usage/pricing.js';
import { roundUsd } from '../../src/core/learning/savings.js';
import { cacheReadCostUsd, REPLAY_KEY } from '../../src/core/learning/savings-replay.js';
import type { ToolCallFragment, UsageRecord } from '../../src/core/types.js';
import { replayPeriod } from '../../src/daemon/handlers/savings.js';
import { Hub } from '../../src/daemon/hub.js';
import { Learner } from '../../src/daemon/learn/learner.js';
import { toSummary } from '../../src/daemon/handlers/pattern-view.js';
import { runReplay } from '../../src/daemon/learn/replay-run.js';
import type { Logger } from '../../src/daemon/logger.js';
import { Store } from '../../src/daemon/store/store.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
const SONNET = 'claude-sonnet-4-5-20250929';
const OPUS = 'claude-opus-4-5-20251101';
const T0 = Date.parse('2026-11-03T09:00:00Z');
const DAY = 86_400_000;
const CWD = '/home/ana/shop';
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

let store: Store;
beforeEach(() => {
  store = Store.open(join(dirs.make('ol-replay-'), 'outloop.db'));
});
afterEach(() => {
  store.close();
  dirs.removeAll();
});

interface Call {
  key: string;
  session: string;
  atMs: number;
  command: string;
  output: string;
  exitCode: number;
  model: string | null;
  tool?: string;
}

const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');

const TEST_OUT =
  lines(400, (i) => `✓ test/cart-${i}.test.ts > adds item ${i} to the cart (${i % 7} ms)`) + '\n 400 passed';
const FAIL_OUT = lines(300, (i) => `src/file-${i}.ts(${i},4): error TS2322: Type 'string' is not assignable.`);
const GIT_OUT = ' M src/cart.ts\n?? notes.md';

const CALLS: Call[] = [
  { key: 't1', session: 's1', atMs: 0, command: 'npx vitest run', output: TEST_OUT, exitCode: 0, model: SONNET },
  { key: 't2', session: 's1', atMs: 60_000, command: 'git status --short', output: GIT_OUT, exitCode: 0, model: null },
  {
    key: 't3',
    session: 's1',
    atMs: 100_000,
    command: 'npx tsc --noEmit',
    output: FAIL_OUT,
    exitCode: 2,
    model: SONNET,
  },
  {
    key: 't4',
    session: 's2',
    atMs: 2 * DAY,
    command: 'npx vitest run',
    output: TEST_OUT + '\nagain',
    exitCode: 0,
    model: OPUS,
  },
  // not Bash: its output is never kept, so never replayed
  {
    key: 'r1',
    session: 's1',
    atMs: 70_000,
    command: '',
    output: 'x'.repeat(9000),
    exitCode: 0,
    model: SONNET,
    tool: 'Read',
  },
];

function fragment(c: Call): ToolCallFragment {
  const tool = c.tool ?? 'Bash';
  return {
    callKey: c.key,
    toolUseId: c.key,
    source: 'transcript',
    sessionId: c.session,
    toolName: tool,
    command: tool === 'Bash' ? c.command : null,
    cwd: CWD,
    exitCode: c.exitCode,
    isError: c.exitCode !== 0,
    startedAt: new Date(T0 + c.atMs).toISOString(),
    endedAt: new Date(T0 + c.atMs + 1000).toISOString(),
    output: { text: c.output, rawBytes: Buffer.byteLength(c.output), truncated: false },
    ...(c.model === null ? {} : { model: c.model }),
  };
}

function usage(session: string, atMs: number, model: string, tokens: number): void {
  const rec: UsageRecord = {
    dedupKey: `msg_${session}_${atMs}`,
    messageId: `msg_${session}_${atMs}`,
    requestId: null,
    sessionId: session,
    agentId: null,
    project: 'shop',
    model,
    ts: new Date(T0 + atMs).toISOString(),
    isSidechain: false,
    speed: null,
    costUsd: 0,
    inputTokens: tokens,
    outputTokens: 10,
    cacheCreationTokens: 0,
    cacheCreation5mTokens: 0,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 0,
  };
  store.tx(() => store.usage.upsert(rec, '/t.jsonl', true));
}

/** s1: requests before, between and after its calls, and a compact boundary at +150 s; s2: one request after. */
function fixture(): void {
  store.tx(() => {
    for (const c of CALLS) store.toolCalls.merge(fragment(c));
  });
  for (const at of [-10_000, 30_000, 90_000, 120_000, 200_000, 260_000]) usage('s1', at, SONNET, 1000);
  usage('s2', 2 * DAY - 5000, OPUS, 2000);
  store.tx(() => store.outputs.addCompaction('s1', T0 + 150_000));
}

const all = { sinceMs: Number.MIN_SAFE_INTEGER, untilMs: Number.MAX_SAFE_INTEGER, since: null, until: null };

describe('savings replay', () => {
  it('sums equal a call-by-call count with compact(), per family and per pattern; non-Bash calls are not replayed', async () => {
    fixture();
    const r = await runReplay(store, all, 2);
    const bash = CALLS.filter((c) => c.tool === undefined);
    let raw = 0;
    let compactTokens = 0;
    let usd = 0;
    const bySignature = new Map<string, number>();
    for (const c of bash) {
      const x = compact(c.command, c.output, c.exitCode);
      raw += x.rawTokens;
      compactTokens += x.compactTokens;
      // t2 has no model of its own: the session's (sonnet) read its output
      usd += inputTokensCostUsd(c.model ?? SONNET, x.rawTokens - x.compactTokens);
      const sig = operationForTool('Bash', c.command, CWD)?.signature ?? '';
      bySignature.set(sig, (bySignature.get(sig) ?? 0) + 1);
    }
    expect(r.basis).toBe('measured (replay)');
    expect(r.totals).toMatchObject({
      calls: bash.length,
      rawTokens: raw,
      compactTokens,
      savedTokens: raw - compactTokens,
      savedUsd: roundUsd(usd),
      unpricedCalls: 0,
    });
    expect(r.totals.savedTokens).toBeGreaterThan(0);
    expect(r.totals.compactTokens).toBeLessThan(r.totals.rawTokens);
    expect(r.byFamily.reduce((n, g) => n + g.calls, 0)).toBe(bash.length);
    expect(r.byFamily.reduce((n, g) => n + g.rawTokens, 0)).toBe(raw);
    expect(r.byFamily.reduce((n, g) => n + g.compactTokens, 0)).toBe(compactTokens);
    expect(new Map(r.byPattern.map((g) => [g.key, g.calls]))).toEqual(bySignature);
    expect(r.periodTokens).toBe(6 * 1010 + 2010);
    expect(r.savedShareOfPeriodPct).toBe(Math.round(((raw - compactTokens) / (6 * 1010 + 2010)) * 1000) / 10);
  });

  it('a second run reads the cached replays and answers the same', async () => {
    fixture();
    const first = await runReplay(store, all);
    expect(Number(store.db.prepare('SELECT count(*) FROM output_replays').pluck().get())).toBe(4);
    const second = await runReplay(store, all, 3);
    expect(second).toEqual(first);
    // handing the event loop back after every output (a turn of -1 ms) changes nothing either
    store.db.exec('DELETE FROM output_replays');
    expect(await runReplay(store, all, 400, -1)).toEqual(first);
  });

  it('carry-over: each later request of the session up to its compact boundary re-reads the saved tokens', async () => {
    fixture();
    const r = await runReplay(store, all);
    const saved = (c: Call): number => {
      const x = compact(c.command, c.output, c.exitCode);
      return x.rawTokens - x.compactTokens;
    };
    const [t1, t2, t3, t4] = CALLS as [Call, Call, Call, Call];
    // t1 at 0: requests at 30, 90, 120 s before the boundary at 150 s: the first reads it, 2 re-read it
    // t2 at 60: 90 and 120 → 1 re-read; t3 at 100: 120 → 0 re-reads; t4 (s2): no later request known
    const tokens = saved(t1) * 2 + saved(t2) * 1 + saved(t3) * 0;
    expect(r.totals.carryOverTokens).toBe(tokens);
    expect(r.totals.carryOverUsd).toBe(
      roundUsd(cacheReadCostUsd(SONNET, saved(t1) * 2) + cacheReadCostUsd(SONNET, saved(t2))),
    );
    expect(r.totals.carryOverCalls).toBe(3);
    expect(saved(t4)).not.toBe(0);
    expect(r.carryOverLabel).toMatch(/compact boundary/);
  });

  it('the period keeps the calls of its UTC days, both ends included', async () => {
    fixture();
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    const first = await runReplay(store, replayPeriod({ since: day(T0), until: day(T0) }));
    expect(first.totals.calls).toBe(3);
    expect(first.since).toBe(day(T0));
    expect(first.periodTokens).toBe(6 * 1010);
    const later = await runReplay(store, replayPeriod({ since: day(T0 + DAY).replaceAll('-', '') }));
    expect(later.totals.calls).toBe(1);
    expect(later.byFamily.map((g) => g.calls)).toEqual([1]);
    const none = await runReplay(store, replayPeriod({ until: day(T0 - DAY) }));
    expect(none.totals).toMatchObject({ calls: 0, rawTokens: 0, reductionPct: null });
    expect(none.savedShareOfPeriodPct).toBeNull();
    expect(() => replayPeriod({ since: '2026-02-30' })).toThrow(/since must be YYYY-MM-DD/);
    expect(() => replayPeriod({ since: '2026-11-05', until: '2026-11-04' })).toThrow(/before since/);
  });

  it("a pattern's tool tokens become measured (replay) once the replay has seen its signature", async () => {
    fixture();
    const hub = new Hub();
    const learner = new Learner(store, hub, silent, () => false);
    try {
      learner.learnPending();
    } finally {
      learner.close();
      hub.close();
    }
    const sig = operationForTool('Bash', 'npx vitest run', CWD)?.signature ?? '';
    const row = store.patterns.bySignature(sig);
    expect(row).not.toBeNull();
    if (row === null) return;
    const before = toSummary(row, undefined, null, store.replay.forSignature(REPLAY_KEY, sig));
    expect(before.toolTokenBasis).toBe('estimated');
    await runReplay(store, all);
    const after = toSummary(row, undefined, null, store.replay.forSignature(REPLAY_KEY, sig));
    expect(after.toolTokenBasis).toBe('measured (replay)');
    const a = compact('npx vitest run', TEST_OUT, 0).compactTokens;
    const b = compact('npx vitest run', `${TEST_OUT}\nagain`, 0).compactTokens;
    expect(after.avgTokensWithTool).toBe(Math.round((a + b) / 2));
  });

  it('a changed command or output drops the cached replay', async () => {
    fixture();
    await runReplay(store, all);
    const cached = (): number => Number(store.db.prepare('SELECT count(*) FROM output_replays').pluck().get());
    expect(cached()).toBe(4);
    const t1 = CALLS[0] as Call;
    // a longer copy of t1's output from a source of the same rank replaces it (larger whole output)
    store.tx(() =>
      store.toolCalls.merge({
        ...fragment(t1),
        output: { text: `${t1.output}\nmore`, rawBytes: 99_999, truncated: false },
      }),
    );
    expect(cached()).toBe(3);
    store.tx(() => store.toolCalls.merge({ ...fragment(CALLS[1] as Call), exitCode: 1 }));
    expect(cached()).toBe(2);
  });
});
