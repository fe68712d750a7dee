/**
 * The Learner on a real store: calls merged the way ingestion merges them, then folded into
 * patterns. Counts must be honest (each call once, each session once per pattern), re-learning and
 * re-ingesting must change nothing, and measured costs must share a turn among its calls.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { operationForTool } from '../../src/core/learning/operation.js';
import { llmUseCost } from '../../src/core/learning/pattern-economics.js';
import { sequenceSignature } from '../../src/core/learning/sequences.js';
import type { ToolCallFragment, UsageRecord } from '../../src/core/types.js';
import { Hub } from '../../src/daemon/hub.js';
import { Learner } from '../../src/daemon/learn/learner.js';
import type { Logger } from '../../src/daemon/logger.js';
import type { PatternRow } from '../../src/daemon/store/patterns-repo.js';
import { Store } from '../../src/daemon/store/store.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
const MODEL = 'claude-sonnet-4-5-20250929';
const T0 = Date.parse('2026-11-01T09:00:00Z');
const TEST = 'npx vitest run';
const TYPES = 'npx tsc --noEmit';
const LINT = 'npx eslint src';

let store: Store;
let hub: Hub;
let learner: Learner;
let busy = false;
const warnings: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => void warnings.push(m),
  error: (m: string) => void warnings.push(m),
};
let seq = 0;

beforeEach(() => {
  store = Store.open(join(dirs.make('ol-learn-'), 'outloop.db'));
  hub = new Hub();
  busy = false;
  warnings.length = 0;
  learner = new Learner(store, hub, logger, () => busy);
});

afterEach(() => {
  vi.useRealTimers();
  learner.close();
  hub.close();
  store.close();
  dirs.removeAll();
});

interface CallSpec {
  session: string;
  atMs: number;
  command?: string;
  tool?: string;
  exitCode?: number;
  responseBytes?: number;
  key?: string;
}

function fragment(c: CallSpec): ToolCallFragment {
  const key = c.key ?? `toolu_${++seq}`;
  const bash = (c.tool ?? 'Bash') === 'Bash';
  return {
    callKey: key,
    toolUseId: key,
    source: 'transcript',
    sessionId: c.session,
    toolName: c.tool ?? 'Bash',
    command: bash ? (c.command ?? TEST) : null,
    cwd: '/home/ana/shop',
    inputBytes: 0,
    responseBytes: c.responseBytes ?? 0,
    exitCode: bash ? (c.exitCode ?? 0) : null,
    isError: (c.exitCode ?? 0) !== 0,
    durationMs: 1000,
    startedAt: new Date(T0 + c.atMs).toISOString(),
    endedAt: new Date(T0 + c.atMs + 1000).toISOString(),
    model: MODEL,
  };
}

function merge(calls: CallSpec[]): ToolCallFragment[] {
  const frags = calls.map(fragment);
  store.tx(() => {
    for (const f of frags) store.toolCalls.merge(f);
  });
  return frags;
}

function usage(session: string, atMs: number, outputTokens: number, costUsd: number): void {
  const rec: UsageRecord = {
    dedupKey: `msg_${session}_${atMs}`,
    messageId: `msg_${session}_${atMs}`,
    requestId: null,
    sessionId: session,
    agentId: null,
    project: 'shop',
    model: MODEL,
    ts: new Date(T0 + atMs).toISOString(),
    isSidechain: false,
    speed: null,
    costUsd,
    inputTokens: 0,
    outputTokens,
    cacheCreationTokens: 0,
    cacheCreation5mTokens: 0,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 0,
  };
  store.tx(() => store.usage.upsert(rec, '/t.jsonl', true));
}

const signatureOf = (command: string): string => operationForTool('Bash', command, '/home/ana/shop')?.signature ?? '';
const pattern = (signature: string): PatternRow | null => store.patterns.bySignature(signature);
const byKind = (kind: string): PatternRow[] => store.patterns.all().filter((p) => p.kind === kind);

function learnAll(sessions: string[]): void {
  learner.learnPending();
  learner.schedule(sessions);
  learner.learnSessions();
}

describe('Learner: command patterns', () => {
  it('counts each call once and each session once; learning again or re-merging changes nothing', () => {
    const calls: CallSpec[] = [];
    for (let s = 0; s < 4; s++)
      for (let i = 0; i < 3; i++) calls.push({ session: `s${s}`, atMs: s * 3_600_000 + i * 60_000 });
    const frags = merge(calls);
    expect(learner.learnPending()).toBe(12);
    const p = pattern(signatureOf(TEST));
    expect(p).toMatchObject({ kind: 'command', occurrences: 4, uses: 12, successes: 12, failures: 0 });

    expect(learner.learnPending()).toBe(0);
    store.tx(() => {
      for (const f of frags) store.toolCalls.merge(f);
    });
    expect(learner.learnPending()).toBe(0);
    expect(pattern(signatureOf(TEST))).toMatchObject({ occurrences: 4, uses: 12 });
  });

  it('queues only the Bash calls, learns each once, and folds it into the pattern of its operation', () => {
    merge([
      { session: 'a', atMs: 0, command: TEST },
      { session: 'a', atMs: 10_000, command: LINT },
      { session: 'a', atMs: 20_000, tool: 'Read' },
    ]);
    expect(store.toolCalls.queuedForLearning()).toBe(2);
    expect(learner.learnPending()).toBe(2);
    expect(store.toolCalls.queuedForLearning()).toBe(0);
    expect(pattern(signatureOf(TEST))).toMatchObject({ uses: 1, occurrences: 1 });
    expect(pattern(signatureOf(LINT))).toMatchObject({ uses: 1, occurrences: 1 });
    expect(learner.learnPending()).toBe(0);
  });

  it('shares a measured turn among the calls it issued (the next record ends a turn, ten minutes at most)', () => {
    usage('m', 0, 300, 0.3);
    usage('m', 100_000, 600, 0.6);
    merge([
      { session: 'm', atMs: 10_000 },
      { session: 'm', atMs: 20_000 },
      { session: 'm', atMs: 30_000 },
      { session: 'm', atMs: 110_000 },
      { session: 'm', atMs: 120_000 },
      // issued 11 minutes after the last record: no turn measures it
      { session: 'm', atMs: 100_000 + 660_000, command: LINT },
    ]);
    learner.learnPending();
    const p = pattern(signatureOf(TEST));
    expect(p).toMatchObject({ uses: 5, measured_uses: 5 });
    // turn 1: 300 tokens and $0.30 over 3 calls; turn 2: 600 tokens and $0.60 over 2 calls
    expect(p?.sum_llm_tokens).toBe(3 * 100 + 2 * 300);
    expect(p?.sum_llm_cost).toBeCloseTo(0.9, 10);
    expect(pattern(signatureOf(LINT))).toMatchObject({ uses: 1, measured_uses: 0 });
  });

  it('finds the same turns whatever order the calls are learned in', () => {
    usage('o', 0, 400, 0.4);
    usage('o', 100_000, 200, 0.2);
    // merged out of time order: ids do not follow time
    merge([
      { session: 'o', atMs: 110_000 },
      { session: 'o', atMs: 10_000 },
      { session: 'o', atMs: 120_000 },
      { session: 'o', atMs: 20_000 },
    ]);
    learner.learnPending();
    const p = pattern(signatureOf(TEST));
    expect(p).toMatchObject({ uses: 4, measured_uses: 4 });
    expect(p?.sum_llm_tokens).toBe(2 * 200 + 2 * 100);
    expect(p?.sum_llm_cost).toBeCloseTo(0.6, 10);
  });
});

describe('Learner: sequences', () => {
  const seqSig = (): string => sequenceSignature([signatureOf(TEST), signatureOf(TYPES)]);
  const session = (id: string, hour: number): CallSpec[] => [
    { session: id, atMs: hour * 3_600_000, command: TEST },
    { session: id, atMs: hour * 3_600_000 + 60_000, command: TYPES },
  ];

  it('becomes a pattern in its third session with every sighting as a use, then grows one session at a time', () => {
    merge([...session('q1', 0), ...session('q2', 1)]);
    learnAll(['q1', 'q2']);
    expect(pattern(seqSig())).toBeNull();

    merge(session('q3', 2));
    learnAll(['q3']);
    expect(pattern(seqSig())).toMatchObject({ kind: 'sequence', occurrences: 3, uses: 3 });

    merge(session('q4', 3));
    learnAll(['q4']);
    expect(pattern(seqSig())).toMatchObject({ occurrences: 4, uses: 4 });
  });

  it('learning the same sessions again, or a session that grew, adds no use', () => {
    merge([...session('r1', 0), ...session('r2', 1), ...session('r3', 2)]);
    learnAll(['r1', 'r2', 'r3']);
    learnAll(['r1', 'r2', 'r3']);
    merge([{ session: 'r2', atMs: 1 * 3_600_000 + 120_000, command: TEST }]);
    learnAll(['r2']);
    expect(pattern(seqSig())).toMatchObject({ occurrences: 3, uses: 3 });
  });

  it('a learner started later (a daemon restart) knows the sequence is a pattern: one use per new session, none again', () => {
    merge([...session('k1', 0), ...session('k2', 1), ...session('k3', 2)]);
    learnAll(['k1', 'k2', 'k3']);
    learner.close();
    learner = new Learner(store, hub, logger, () => busy);
    merge(session('k4', 3));
    learnAll(['k4', 'k1']);
    learnAll(['k4']);
    expect(pattern(seqSig())).toMatchObject({ occurrences: 4, uses: 4 });
  });

  it('a pass that fails does not leave its new sequence pattern remembered', () => {
    // sessions are learned from the queue their calls' writes fill: t3 arrives after t1 and t2 are learned
    merge([...session('t1', 0), ...session('t2', 1)]);
    learnAll(['t1', 't2']);
    merge(session('t3', 2));
    const tx = store.tx.bind(store);
    // every transaction of the pass that would promote the sequence fails at commit time
    const spy = vi.spyOn(store, 'tx').mockImplementation((fn) =>
      tx(() => {
        fn();
        throw new Error('disk full');
      }),
    );
    learnAll(['t3']);
    spy.mockRestore();
    expect(pattern(seqSig())).toBeNull();
    // learned again: promoted with every sighting, as if the failed pass never happened
    learnAll(['t3']);
    expect(pattern(seqSig())).toMatchObject({ occurrences: 3, uses: 3 });
  });

  it("prices each session's use from that session, whichever session promoted the sequence", () => {
    const sized = (id: string, hour: number, bytes: number): CallSpec[] => [
      { session: id, atMs: hour * 3_600_000, command: TEST, responseBytes: bytes },
      { session: id, atMs: hour * 3_600_000 + 60_000, command: TYPES, responseBytes: bytes },
    ];
    merge([...sized('c1', 0, 1_000), ...sized('c2', 1, 20_000), ...sized('c3', 2, 90_000)]);
    // the largest session is learned first, the smallest promotes the sequence
    learnAll(['c3']);
    learnAll(['c2']);
    learnAll(['c1']);
    const one = (bytes: number): { tokens: number; cost: number } => {
      const u = llmUseCost({ model: MODEL, inputBytes: 0, responseBytes: bytes, turn: null });
      return { tokens: 2 * u.tokens, cost: 2 * u.costUsd };
    };
    const each = [one(1_000), one(20_000), one(90_000)];
    const p = pattern(seqSig());
    expect(p).toMatchObject({ occurrences: 3, uses: 3 });
    expect(p?.sum_llm_tokens).toBe(each.reduce((n, e) => n + e.tokens, 0));
    expect(p?.sum_llm_cost).toBeCloseTo(
      each.reduce((n, e) => n + e.cost, 0),
      10,
    );
  });

  it('sessions learned in one pass count the same as sessions learned one by one', () => {
    merge([...session('p1', 0), ...session('p2', 1), ...session('p3', 2), ...session('p4', 3)]);
    learnAll(['p1', 'p2', 'p3', 'p4']);
    expect(pattern(seqSig())).toMatchObject({ occurrences: 4, uses: 4 });
  });
});

describe('Learner: fix loops', () => {
  it('a failing command, an edit, the same command passing: one use; learning again adds none', () => {
    merge([
      { session: 'f', atMs: 0, command: TEST, exitCode: 1 },
      { session: 'f', atMs: 30_000, tool: 'Edit' },
      { session: 'f', atMs: 60_000, command: TEST, exitCode: 0 },
    ]);
    learnAll(['f']);
    learnAll(['f']);
    const loops = byKind('fix_loop');
    expect(loops).toHaveLength(1);
    expect(loops[0]).toMatchObject({ occurrences: 1, uses: 1, successes: 1 });
  });
});

describe('Learner: fix loop cost', () => {
  it('counts every call inside the loop, reads and searches included, and none outside it', () => {
    const calls: CallSpec[] = [
      { session: 'c', atMs: 0, tool: 'Read', responseBytes: 9_000 },
      { session: 'c', atMs: 10_000, command: TEST, exitCode: 1, responseBytes: 2_000 },
      { session: 'c', atMs: 20_000, tool: 'Read', responseBytes: 4_000 },
      { session: 'c', atMs: 30_000, tool: 'Grep', responseBytes: 1_000 },
      { session: 'c', atMs: 40_000, tool: 'Edit', responseBytes: 100 },
      { session: 'c', atMs: 50_000, command: TEST, exitCode: 0, responseBytes: 300 },
      { session: 'c', atMs: 60_000, tool: 'Read', responseBytes: 7_000 },
    ];
    merge(calls);
    learnAll(['c']);
    const inside = calls
      .slice(1, 6)
      .map((c) => llmUseCost({ model: MODEL, inputBytes: 0, responseBytes: c.responseBytes ?? 0, turn: null }));
    const loop = byKind('fix_loop')[0];
    expect(loop).toMatchObject({ uses: 1 });
    expect(loop?.sum_llm_tokens).toBe(inside.reduce((n, u) => n + u.tokens, 0));
    expect(loop?.sum_llm_cost).toBeCloseTo(
      inside.reduce((n, u) => n + u.costUsd, 0),
      10,
    );
  });
});

describe('Learner: scheduling and failures', () => {
  it('session patterns wait while ingestion is busy, then are learned', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    merge([
      { session: 'b1', atMs: 0, command: TEST, exitCode: 1 },
      { session: 'b1', atMs: 30_000, tool: 'Edit' },
      { session: 'b1', atMs: 60_000, command: TEST },
    ]);
    busy = true;
    learner.schedule(['b1']);
    vi.advanceTimersByTime(10_000);
    expect(pattern(signatureOf(TEST))).toMatchObject({ uses: 2 });
    expect(byKind('fix_loop')).toHaveLength(0);
    busy = false;
    vi.advanceTimersByTime(2_000);
    expect(byKind('fix_loop')).toHaveLength(1);
  });

  it('a session that fails is left out alone: the others in its pass are kept', () => {
    const calls: CallSpec[] = [];
    for (const id of ['x1', 'x2', 'x3']) {
      calls.push(
        { session: id, atMs: 0, command: TEST, exitCode: 1 },
        { session: id, atMs: 30_000, tool: 'Edit' },
        { session: id, atMs: 60_000, command: TEST },
      );
    }
    merge(calls);
    const real = store.patterns.sightAll.bind(store.patterns);
    vi.spyOn(store.patterns, 'sightAll').mockImplementation((sigs, key, ts) => {
      if (key === 'x2') throw new Error('disk trouble');
      return real(sigs, key, ts);
    });
    learnAll(['x1', 'x2', 'x3']);
    const loops = byKind('fix_loop');
    expect(loops).toHaveLength(1);
    expect(loops[0]).toMatchObject({ occurrences: 2, uses: 2 });
    expect(warnings.some((w) => w.includes('x2') && w.includes('disk trouble'))).toBe(true);
  });
});
