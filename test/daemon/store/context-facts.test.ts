import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contextFactsOf, toContextCall, type ContextCallRow } from '../../../src/core/context/context-call.js';
import { contextEfficiency, type ContextCall } from '../../../src/core/context/efficiency.js';
import { describeToolInput } from '../../../src/core/records/tool-call-input.js';
import type { ToolCallFragment } from '../../../src/core/types.js';
import { ContextProfiler } from '../../../src/daemon/learn/context-profiler.js';
import { LATEST_VERSION, migrate, MIGRATIONS } from '../../../src/daemon/store/migrations.js';
import { Store } from '../../../src/daemon/store/store.js';
import type { HookSide } from '../../../src/daemon/store/tool-calls-repo.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
const stores: Store[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  dirs.removeAll();
});

function openStore(path = join(dirs.make('ol-facts-'), 'outloop.db')): Store {
  const store = Store.open(path);
  stores.push(store);
  return store;
}

const W = '/home/ana/src/shop';
const SESSION = 'sess-facts';

interface Call {
  tool: string;
  input: Record<string, unknown>;
  cwd?: string;
  bytes?: number;
  loaded?: string[];
  isError?: boolean;
  /** the response never came */
  pending?: boolean;
}

/** A session: Grep, reads (relative, absolute, failed, unanswered), edits, mentions from two cwds. */
const CALLS: Call[] = [
  { tool: 'Bash', input: { command: 'pytest tests/test_cart.py' } },
  {
    tool: 'Grep',
    input: { pattern: 'apply_coupon', path: W },
    bytes: 403,
    loaded: ['app/cart.py', 'app/coupons.py', 'tests/test_cart.py', 'docs/coupons.md'].map((p) => `${W}/${p}`),
  },
  { tool: 'Read', input: { file_path: `${W}/app/cart.py` }, bytes: 4000 },
  { tool: 'Read', input: { file_path: './app/coupons.py' }, bytes: 2000 },
  { tool: 'Read', input: { file_path: 'app/missing.py' }, bytes: 52, isError: true },
  { tool: 'Read', input: { file_path: 'app/later.py' }, pending: true },
  { tool: 'Read', input: { file_path: 'docs/shot.png' }, bytes: 8000 },
  { tool: 'Glob', input: { pattern: 'app/**/*.py' }, bytes: 30, loaded: ['app/cart.py', 'app/api/routes.py'] },
  { tool: 'Edit', input: { file_path: `${W}/app/coupons.py`, old_string: 'qty > 0', new_string: 'qty >= 1' } },
  { tool: 'Write', input: { file_path: 'tests/test_coupons.py', content: 'def test_x(): pass\n' } },
  { tool: 'Bash', input: { command: `cd ${W} && uv run pytest tests/test_cart.py::test_total -q` } },
  { tool: 'Bash', input: { command: 'cat ../api/routes.py' }, cwd: `${W}/app/server` },
  { tool: 'Task', input: { prompt: 'Check the totals in cart.py', description: 'check' } },
];

/**
 * By hand: Grep 403 B over 4 files → 101, 101, 101, 100; Glob 30 B → 15, 15. cart 101 + 4000 + 15
 * = 4116 B → 1029 tok in 3 loads; coupons 101 + 2000 → 526; test_cart 101 → 26; docs 100 → 25;
 * shot.png 8000 → 2000 (media); routes 15 → 4. The failed and the unanswered reads load nothing.
 * Used: coupons (edited), tests/test_coupons.py (written, never loaded), test_cart (node id,
 * after the Grep; the first Bash came before it), routes (`../api/routes.py` from app/server)
 * and cart (`cart.py` in a prompt).
 */
const EXPECTED = {
  calls: CALLS.length,
  filesLoaded: 6,
  filesUsed: 5,
  filesLoadedAndUsed: 4,
  efficiencyPct: 66.7,
  tokensLoaded: 3610,
  tokensUsed: 1585,
  tokensWasted: 2025,
  loaded: [
    { path: 'app/cart.py', tokens: 1029, loads: 3 },
    { path: 'app/coupons.py', tokens: 526, loads: 2 },
    { path: 'tests/test_cart.py', tokens: 26, loads: 1 },
    { path: 'docs/coupons.md', tokens: 25, loads: 1 },
    { path: 'docs/shot.png', tokens: 2000, loads: 1, media: true },
    { path: 'app/api/routes.py', tokens: 4, loads: 1 },
  ],
  used: ['app/coupons.py', 'tests/test_coupons.py', 'tests/test_cart.py', 'app/api/routes.py', 'app/cart.py'],
  topWasted: [
    { path: 'docs/shot.png', tokens: 2000 },
    { path: 'docs/coupons.md', tokens: 25 },
  ],
};

type Order = 'hook pre, post' | 'hook post, pre' | 'transcript use, result' | 'transcript result, use' | 'one batch';
const ORDERS: Order[] = [
  'hook pre, post',
  'hook post, pre',
  'transcript use, result',
  'transcript result, use',
  'one batch',
];

/** The two fragments of each call (the start with the input, the end with the outcome). */
function fragments(c: Call, i: number, source: 'hook' | 'transcript'): [ToolCallFragment, ToolCallFragment | null] {
  const id = `toolu_facts_${i}`;
  const t = new Date(Date.UTC(2026, 2, 2, 9, 0, i)).toISOString();
  const d = describeToolInput(c.tool, c.input);
  const base = { callKey: id, toolUseId: id, source, sessionId: SESSION, cwd: c.cwd ?? W };
  const start: ToolCallFragment = {
    ...base,
    toolName: c.tool,
    command: d.command,
    inputJson: d.inputJson,
    inputBytes: d.inputBytes,
    startedAt: t,
    ...(d.filePaths.length > 0 ? { filePaths: d.filePaths } : {}),
  };
  if (c.pending) return [start, null];
  const end: ToolCallFragment = {
    ...base,
    // a hook's PostToolUse carries the tool and its input again; a transcript's tool_result does not
    ...(source === 'hook' ? { toolName: c.tool, command: d.command, inputJson: d.inputJson } : {}),
    endedAt: t,
    isError: c.isError ?? false,
    exitCode: c.isError ? 1 : 0,
    responseBytes: c.bytes ?? 20,
    ...(c.loaded ? { loadedPaths: c.loaded } : {}),
  };
  return [start, end];
}

function write(store: Store, order: Order): void {
  const source = order.startsWith('hook') ? 'hook' : 'transcript';
  const merge = (f: ToolCallFragment, side: HookSide): void => {
    store.toolCalls.merge(f, null, source === 'hook' ? side : undefined);
  };
  CALLS.forEach((c, i) => {
    const [start, end] = fragments(c, i, source);
    if (order === 'one batch') {
      const b = store.toolCalls.batch();
      b.add(start);
      if (end) b.add(end);
      store.tx(() => b.flush());
    } else if (order.endsWith('pre, post') || order.endsWith('use, result')) {
      merge(start, 'pre');
      if (end) merge(end, 'post');
    } else {
      if (end) merge(end, 'post');
      merge(start, 'pre');
    }
  });
}

/** The columns the facts are computed from, read as context efficiency read them before it kept facts. */
function oldColumns(store: Store): ContextCallRow[] {
  return store.db
    .prepare(
      `SELECT tool_name, command, cwd,
         CASE WHEN file_paths IS NOT NULL AND tool_name IN ('Edit', 'Write', 'MultiEdit', 'NotebookEdit', 'Read')
           THEN NULL ELSE input_json END AS input_json,
         response_bytes, is_error, file_paths, loaded_paths, ended_at
       FROM tool_calls WHERE session_id = ? ORDER BY coalesce(ts_ms, 0), id`,
    )
    .all(SESSION) as ContextCallRow[];
}

function fromOldColumns(store: Store): ReturnType<typeof contextEfficiency> & { calls: number } {
  const rows = oldColumns(store);
  const calls = rows.map(toContextCall).filter((c): c is ContextCall => c !== null);
  return { calls: rows.length, ...contextEfficiency(calls) };
}

type FactsRow = ContextCallRow & { call_key: string; context_facts: string | null };
const factsRows = (store: Store): FactsRow[] =>
  store.db
    .prepare(
      `SELECT call_key, tool_name, command, cwd, input_json, response_bytes, is_error, file_paths, loaded_paths,
         ended_at, context_facts FROM tool_calls ORDER BY call_key`,
    )
    .all() as FactsRow[];

/** What a row stores: the facts its columns give, once it has ended (a call still running keeps NULL). */
const storedFactsOf = (r: FactsRow): string | null => (r.ended_at === null ? null : contextFactsOf(r));

describe('context facts kept with each tool call', () => {
  it.each(ORDERS)('fragments merged as %s: the same answer as from the columns, counted by hand', (order) => {
    const store = openStore();
    write(store, order);
    const e = new ContextProfiler(store).efficiencyFor({ sessionId: SESSION });
    expect(e).toMatchObject(EXPECTED);
    expect(e).toStrictEqual({ sessionId: SESSION, ...fromOldColumns(store) });
    // every stored copy is what the row's columns give now (none stale after the merges)
    for (const r of factsRows(store))
      expect({ key: r.call_key, facts: r.context_facts }).toEqual({ key: r.call_key, facts: storedFactsOf(r) });
  });

  it('stores the same facts whatever the order the fragments came in', () => {
    const byOrder = ORDERS.map((order) => {
      const store = openStore();
      write(store, order);
      new ContextProfiler(store).efficiencyFor({ sessionId: SESSION }); // fills those of calls stored without
      return factsRows(store).map((r) => [r.call_key, r.context_facts]);
    });
    for (const facts of byOrder.slice(1)) expect(facts).toEqual(byOrder[0]);
  });

  it('a call that has not ended is read from its columns; its facts are stored once it ends', () => {
    const store = openStore();
    const [start, end] = fragments(CALLS[2]!, 2, 'hook');
    store.toolCalls.merge(start, null, 'pre');
    const facts = (): string | null =>
      (store.db.prepare('SELECT context_facts FROM tool_calls').pluck().get() as string | null) ?? null;
    expect(facts()).toBeNull();
    expect(new ContextProfiler(store).efficiencyFor({ sessionId: SESSION })).toMatchObject({
      calls: 1,
      filesLoaded: 0,
    });
    expect(facts()).toBeNull();
    store.toolCalls.merge(end!, null, 'post');
    expect(facts()).toBe(`["${W}",2,4000,[],["app/cart.py"]]`);
    expect(new ContextProfiler(store).efficiencyFor({ sessionId: SESSION })).toMatchObject({ filesLoaded: 1 });
  });

  it('facts that do not read back are worked out again from the columns', () => {
    const store = openStore();
    write(store, 'transcript use, result');
    store.db.prepare("UPDATE tool_calls SET context_facts = '[\"x\"' WHERE tool_name = 'Grep'").run();
    store.db.prepare("UPDATE tool_calls SET context_facts = '{}' WHERE tool_name = 'Task'").run();
    expect(new ContextProfiler(store).efficiencyFor({ sessionId: SESSION })).toMatchObject(EXPECTED);
    for (const r of factsRows(store)) if (r.ended_at !== null) expect(r.context_facts).toBe(contextFactsOf(r));
  });

  it('reads a session and a workflow in time order without sorting their rows', () => {
    const store = openStore();
    const plan = (sql: string): string[] =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as { detail: string }[]).map((r) => r.detail);
    for (const key of ['session_id', 'workflow_id']) {
      for (const cols of ['coalesce(context_facts, id)', 'id', '*']) {
        const detail = plan(`SELECT ${cols} FROM tool_calls WHERE ${key} = ? ORDER BY coalesce(ts_ms, 0), id`);
        expect(detail.join('; ')).toMatch(new RegExp(`USING (COVERING )?INDEX tool_calls_${key.split('_')[0]}_order`));
        expect(detail.join('; ')).not.toMatch(/TEMP B-TREE/);
      }
    }
  });
});

/** The columns of tool_calls in schema version 1. */
const V1_COLUMNS =
  'id, call_key, tool_use_id, session_id, agent_id, workflow_id, model, tool_name, command, signature, cwd, input_json, input_bytes, response_bytes, est_tokens, exit_code, is_error, interrupted, duration_ms, started_at, ended_at, ts_ms, sources, file_paths, loaded_paths, routed_tool_id, routed_result, tokens_saved, learned, updated_at';

/** A database left by schema version 1 holding the session (its rows as written by the merges). */
function v1Database(): { path: string; rows: unknown[] } {
  const source = openStore();
  write(source, 'hook pre, post');
  source.db.prepare("UPDATE tool_calls SET workflow_id = 'wf-old'").run();
  const rows = source.db.prepare(`SELECT ${V1_COLUMNS} FROM tool_calls ORDER BY id`).raw().all();
  const path = join(dirs.make('ol-v1-'), 'outloop.db');
  const db = new BetterSqlite3(path);
  try {
    migrate(db, MIGRATIONS.slice(0, 1));
    const insert = db.prepare(
      `INSERT INTO tool_calls (${V1_COLUMNS}) VALUES (${V1_COLUMNS.split(',')
        .map(() => '?')
        .join(', ')})`,
    );
    db.transaction(() => {
      for (const r of rows) insert.run(r as unknown[]);
    })();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  } finally {
    db.close();
  }
  return { path, rows };
}

describe('migration 2', () => {
  it('upgrades a version 1 database: every row intact, the facts column empty, the time-order indexes made', () => {
    const { path, rows } = v1Database();
    const store = openStore(path);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(2);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(store.db.prepare(`SELECT ${V1_COLUMNS} FROM tool_calls ORDER BY id`).raw().all()).toEqual(rows);
    expect(store.db.prepare('SELECT count(*) FROM tool_calls WHERE context_facts IS NULL').pluck().get()).toBe(
      rows.length,
    );
    const indexes = store.db.prepare("SELECT name FROM pragma_index_list('tool_calls')").pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(['tool_calls_session_order', 'tool_calls_workflow_order']));
    expect(indexes).not.toContain('tool_calls_workflow');
  });

  it('answers for calls stored before it from their columns, and keeps their facts', () => {
    const { path } = v1Database();
    const store = openStore(path);
    const e = new ContextProfiler(store).efficiencyFor({ sessionId: SESSION });
    expect(e).toMatchObject(EXPECTED);
    expect(e).toStrictEqual({ sessionId: SESSION, ...fromOldColumns(store) });
    const rows = factsRows(store);
    for (const r of rows) expect(r.context_facts).toBe(storedFactsOf(r));
    expect(new ContextProfiler(store).efficiencyFor({ sessionId: SESSION })).toStrictEqual(e);
    // storing the facts worked out is not a change that makes a reused answer stale
    store.db.prepare('UPDATE tool_calls SET context_facts = NULL').run();
    const profiler = new ContextProfiler(store);
    const reads = vi.spyOn(store.contextProfiles, 'factsForWorkflow');
    const w = profiler.efficiencyFor({ workflowId: 'wf-old' });
    const { sessionId: _s, ...figures } = e ?? { sessionId: '' };
    expect(w).toStrictEqual({ workflowId: 'wf-old', ...figures });
    expect(profiler.efficiencyFor({ workflowId: 'wf-old' })).toStrictEqual(w);
    expect(reads).toHaveBeenCalledTimes(1);
    // the late result of an old call merges on top of the facts worked out for it
    const id = 'toolu_facts_5';
    store.toolCalls.merge(
      { callKey: id, toolUseId: id, source: 'hook', sessionId: SESSION, cwd: W, toolName: 'Read', responseBytes: 400 },
      null,
      'post',
    );
    expect(new ContextProfiler(store).efficiencyFor({ sessionId: SESSION })).toMatchObject({
      filesLoaded: 7,
      tokensLoaded: EXPECTED.tokensLoaded + 100,
    });
  });
});
