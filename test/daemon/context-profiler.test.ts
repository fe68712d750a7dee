import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { globMatches } from '../../src/core/globs.js';
import { describeToolInput } from '../../src/core/records/tool-call-input.js';
import type { DaemonDeps } from '../../src/daemon/deps.js';
import { contextEfficiency, contextHandlers } from '../../src/daemon/handlers/context-efficiency.js';
import { ContextProfiler } from '../../src/daemon/learn/context-profiler.js';
import { SessionStates } from '../../src/daemon/learn/session-states.js';
import { Store } from '../../src/daemon/store/store.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
let store: Store;
let profiler: ContextProfiler;
let seq = 0;

beforeEach(() => {
  store = Store.open(join(dirs.make('ol-deps-'), 'outloop.db'));
  profiler = new ContextProfiler(store, { keepStateMinCalls: 0 });
  seq = 0;
});

afterEach(() => {
  store.close();
  dirs.removeAll();
});

interface Where {
  sessionId: string;
  /** null: the call recorded none (stream-json names the cwd only in its init line) */
  cwd: string | null;
  workflowId?: string;
}
interface Outcome {
  bytes?: number;
  loaded?: string[];
  isError?: boolean;
}

/** One call as ingest stores it: the tool_use fragment, then the tool_result fragment. */
function call(w: Where, tool: string, input: Record<string, unknown>, out: Outcome = {}): void {
  seq += 1;
  const id = `toolu_${w.sessionId}_${seq}`;
  const t = new Date(Date.UTC(2026, 2, 2, 9, 0, seq)).toISOString();
  const d = describeToolInput(tool, input);
  const base = { callKey: id, toolUseId: id, source: 'transcript' as const, sessionId: w.sessionId, cwd: w.cwd };
  store.toolCalls.merge(
    {
      ...base,
      toolName: tool,
      command: d.command,
      inputJson: d.inputJson,
      inputBytes: d.inputBytes,
      startedAt: t,
      ...(d.filePaths.length > 0 ? { filePaths: d.filePaths } : {}),
    },
    w.workflowId ?? null,
  );
  store.toolCalls.merge(
    {
      ...base,
      endedAt: t,
      isError: out.isError ?? false,
      exitCode: out.isError ? 1 : 0,
      responseBytes: out.bytes ?? 20,
      ...(out.loaded ? { loadedPaths: out.loaded } : {}),
    },
    w.workflowId ?? null,
  );
}

const W = '/home/ana/src/shop';
const A: Where = { sessionId: 'sess-a', cwd: W };

/** Grep names 6 files, 4 are read (three spellings), a missing file, 1 edit, its test run. */
function sessionA(): void {
  const six = [
    'app/server/cart.py',
    'app/server/coupons.py',
    'app/server/models.py',
    'app/server/api/routes.py',
    'tests/test_cart.py',
    'docs/coupons.md',
  ];
  call(A, 'Grep', { pattern: 'apply_coupon', path: W }, { bytes: 600, loaded: six.map((p) => `${W}/${p}`) });
  call(A, 'Read', { file_path: `${W}/app/server/cart.py` }, { bytes: 4000, loaded: [`${W}/app/server/cart.py`] });
  call(A, 'Read', { file_path: './app/server/coupons.py' }, { bytes: 2000, loaded: ['./app/server/coupons.py'] });
  call(A, 'Read', { file_path: 'app/server/models.py' }, { bytes: 3000 });
  call(A, 'Read', { file_path: `${W}/tests/test_cart.py` }, { bytes: 1600 });
  call(A, 'Read', { file_path: `${W}/app/server/discounts.py` }, { bytes: 52, isError: true });
  call(A, 'Edit', { file_path: `${W}/app/server/coupons.py`, old_string: 'qty > 0', new_string: 'qty >= 1' });
  call(
    A,
    'Bash',
    { command: `cd ${W} && uv run pytest tests/test_cart.py -q`, description: 'Run cart tests' },
    { bytes: 300 },
  );
}

const T = '/repo/trees/a1b2c3d4';
const PLAN: Where = { sessionId: 'wf-plan', cwd: T, workflowId: 'a1b2c3d4' };
const BUILD: Where = { sessionId: 'wf-build', cwd: T, workflowId: 'a1b2c3d4' };

/** ADW run a1b2c3d4: the planner reads the spec and globs; the builder edits, writes a test, runs it. */
function workflow(): void {
  call(PLAN, 'Read', { file_path: `${T}/specs/issue-7.md` }, { bytes: 2000 });
  const four = ['main.py', 'export.py', 'db.py', 'util.py'].map((f) => `${T}/app/server/${f}`);
  call(PLAN, 'Glob', { pattern: 'app/server/**/*.py' }, { bytes: 400, loaded: four });
  call(BUILD, 'Read', { file_path: `${T}/app/server/export.py` }, { bytes: 1200 });
  call(BUILD, 'Edit', { file_path: `${T}/app/server/export.py`, old_string: 'a', new_string: 'b' });
  call(BUILD, 'Write', { file_path: `${T}/tests/test_export.py`, content: 'def test_csv(): pass\n' });
  call(BUILD, 'Bash', { command: 'uv run pytest tests/test_export.py' }, { bytes: 120 });
}

const D: Where = { sessionId: 'sess-d', cwd: W };
function sessionD(): void {
  call(D, 'Read', { file_path: 'app/server/coupons.py' }, { bytes: 2000 });
  call(D, 'Read', { file_path: 'app/client/src/Cart.tsx' }, { bytes: 3200 });
  call(D, 'Read', { file_path: 'README.md' }, { bytes: 400 });
  call(D, 'Edit', { file_path: 'app/server/coupons.py', old_string: 'a', new_string: 'b' });
  call(D, 'Edit', { file_path: 'app/server/services/pricing.py', old_string: 'a', new_string: 'b' });
  call(D, 'Bash', { command: 'pytest tests/test_coupons.py' });
}

function patternId(signature: string): number {
  const now = '2026-03-02T09:00:00.000Z';
  return Number(
    store.db
      .prepare(
        `INSERT INTO operation_patterns (signature, kind, status, first_seen, last_seen, created_at, updated_at)
         VALUES (?, 'workflow', 'detected', ?, ?, ?, ?)`,
      )
      .run(signature, now, now, now, now).lastInsertRowid,
  );
}

describe('ContextProfiler.efficiencyFor', () => {
  it('a realistic session, counted by hand', () => {
    sessionA();
    // Grep 600 B / 6 files = 100 B each. cart 100+4000 B → 1025 tok, coupons 100+2000 → 525,
    // models 100+3000 → 775, routes 100 → 25, test_cart 100+1600 → 425, docs 100 → 25: 2800 tok.
    // The missing file loads nothing. Used: coupons (Edit), test_cart (named by pytest): 2 of 6.
    expect(profiler.efficiencyFor({ sessionId: 'sess-a' })).toEqual({
      sessionId: 'sess-a',
      calls: 8,
      filesLoaded: 6,
      filesUsed: 2,
      filesLoadedAndUsed: 2,
      efficiencyPct: 33.3,
      tokensLoaded: 2800,
      tokensUsed: 950,
      tokensWasted: 1850,
      basis: 'measured',
      loaded: [
        { path: 'app/server/cart.py', tokens: 1025, loads: 2 },
        { path: 'app/server/coupons.py', tokens: 525, loads: 2 },
        { path: 'app/server/models.py', tokens: 775, loads: 2 },
        { path: 'app/server/api/routes.py', tokens: 25, loads: 1 },
        { path: 'tests/test_cart.py', tokens: 425, loads: 2 },
        { path: 'docs/coupons.md', tokens: 25, loads: 1 },
      ],
      used: ['app/server/coupons.py', 'tests/test_cart.py'],
      topWasted: [
        { path: 'app/server/cart.py', tokens: 1025 },
        { path: 'app/server/models.py', tokens: 775 },
        { path: 'app/server/api/routes.py', tokens: 25 },
        { path: 'docs/coupons.md', tokens: 25 },
      ],
    });
  });

  it('a session with no edits: efficiency 0, everything wasted, no division error', () => {
    const S: Where = { sessionId: 'sess-read-only', cwd: W };
    call(S, 'Glob', { pattern: '**/*.md' }, { bytes: 300, loaded: ['README.md', 'docs/a.md', 'docs/b.md'] });
    call(S, 'Read', { file_path: 'docs/a.md' }, { bytes: 800 });
    call(S, 'Read', { file_path: 'docs/shot.png' }, { bytes: 40_000 });
    // README 100 B → 25, a 100+800 → 225, b 25, shot.png 10000 (an image counts its bytes too)
    expect(profiler.efficiencyFor({ sessionId: 'sess-read-only' })).toMatchObject({
      calls: 3,
      filesLoaded: 4,
      filesUsed: 0,
      efficiencyPct: 0,
      tokensLoaded: 10_275,
      tokensUsed: 0,
      tokensWasted: 10_275,
      topWasted: [
        { path: 'docs/shot.png', tokens: 10_000 },
        { path: 'docs/a.md', tokens: 225 },
        { path: 'README.md', tokens: 25 },
        { path: 'docs/b.md', tokens: 25 },
      ],
    });
    const none: Where = { sessionId: 'sess-chat', cwd: W };
    call(none, 'Bash', { command: 'git status' });
    expect(profiler.efficiencyFor({ sessionId: 'sess-chat' })).toMatchObject({
      filesLoaded: 0,
      filesUsed: 0,
      efficiencyPct: 0,
      tokensWasted: 0,
    });
  });

  it('one file under several spellings (drive case, backslashes, ./, NFD), with spaces and non-ASCII', () => {
    const S: Where = { sessionId: 'sess-win', cwd: 'C:\\Users\\Zoë\\My Shop' };
    call(S, 'Read', { file_path: 'C:\\Users\\Zoë\\My Shop\\src\\cart (old).ts' }, { bytes: 400 });
    call(S, 'Read', { file_path: '.\\src\\cart (old).ts' }, { bytes: 400 });
    call(S, 'Read', { file_path: 'c:/Users/Zoe\u0308/My Shop/src/cart (old).ts' }, { bytes: 400 });
    call(S, 'Grep', { pattern: 'total', path: 'src' }, { bytes: 40, loaded: ['src\\cart (old).ts'] });
    call(S, 'Edit', { file_path: 'c:\\users\\zoë\\my shop\\src\\cart (old).ts', old_string: 'a', new_string: 'b' });
    expect(profiler.efficiencyFor({ sessionId: 'sess-win' })).toMatchObject({
      filesLoaded: 1,
      filesUsed: 1,
      efficiencyPct: 100,
      tokensLoaded: 310, // (400 × 3 + 40) / 4
      loaded: [{ path: 'src/cart (old).ts', tokens: 310, loads: 4 }],
    });
  });

  it("a workflow's calls across its agents; each agent's session alone differs", () => {
    workflow();
    // loaded: spec 500, main/db/util 25 each, export 25 + 300 = 325: 900 tok in 5 files.
    // used: export (Edit, loaded), tests/test_export.py (Write, never loaded): 1 of 5 loaded → 20%.
    expect(profiler.efficiencyFor({ workflowId: 'a1b2c3d4' })).toMatchObject({
      workflowId: 'a1b2c3d4',
      calls: 6,
      filesLoaded: 5,
      filesUsed: 2,
      filesLoadedAndUsed: 1,
      efficiencyPct: 20,
      tokensLoaded: 900,
      tokensUsed: 325,
      tokensWasted: 575,
      used: ['app/server/export.py', 'tests/test_export.py'],
    });
    expect(profiler.efficiencyFor({ sessionId: 'wf-build' })).toMatchObject({
      filesLoaded: 1,
      efficiencyPct: 100,
      tokensLoaded: 300,
    });
  });

  it.each([
    ['Windows', 'C:\\Users\\ana\\proj\\trees\\b2c3d4e5', '\\'],
    ['POSIX', '/home/ana/proj/trees/b2c3d4e5', '/'],
  ])('a %s workflow whose calls recorded no cwd shows its paths from its worktree', (_os, root, sep) => {
    const at = (...xs: string[]): string => [root, ...xs].join(sep);
    const plan: Where = { sessionId: 'wf-plan-x', cwd: null, workflowId: 'b2c3d4e5' };
    const build: Where = { sessionId: 'wf-build-x', cwd: null, workflowId: 'b2c3d4e5' };
    call(plan, 'Read', { file_path: at('specs', 'issue-7.md') }, { bytes: 2000 });
    call(
      plan,
      'Glob',
      { pattern: 'app/**/*.py' },
      { bytes: 200, loaded: ['main.py', 'export.py'].map((f) => at('app', f)) },
    );
    call(build, 'Read', { file_path: at('app', 'export.py') }, { bytes: 1200 });
    call(build, 'Edit', { file_path: at('app', 'export.py'), old_string: 'a', new_string: 'b' });
    call(build, 'Write', { file_path: 'tests/test_export.py', content: 'def test_csv(): pass\n' });
    const e = profiler.efficiencyFor({ workflowId: 'b2c3d4e5' });
    expect(e?.loaded.map((f) => f.path)).toEqual(['specs/issue-7.md', 'app/main.py', 'app/export.py']);
    expect(e).toMatchObject({
      filesLoadedAndUsed: 1,
      used: ['app/export.py', 'tests/test_export.py'],
      topWasted: [{ path: 'specs/issue-7.md' }, { path: 'app/main.py' }],
    });
    // a workflow whose paths name no worktree keeps them as they are
    call(
      { sessionId: 'wf-other', cwd: null, workflowId: 'c3d4e5f6' },
      'Read',
      { file_path: at('a.py') },
      { bytes: 40 },
    );
    expect(profiler.efficiencyFor({ workflowId: 'c3d4e5f6' })?.loaded[0]?.path).toMatch(/trees.b2c3d4e5.a\.py$/);
  });

  it('unknown ids give null; the handler wants exactly one id and says not_found', () => {
    sessionA();
    expect(profiler.efficiencyFor({ sessionId: 'nope' })).toBeNull();
    expect(profiler.efficiencyFor({ workflowId: 'deadbeef' })).toBeNull();
    const err = (f: () => unknown): AppError => {
      try {
        f();
      } catch (e) {
        if (e instanceof AppError) return e;
      }
      throw new Error('expected an AppError');
    };
    expect(err(() => contextEfficiency(profiler, {})).code).toBe('invalid_argument');
    expect(err(() => contextEfficiency(profiler, { sessionId: 'sess-a', workflowId: 'x' })).code).toBe(
      'invalid_argument',
    );
    expect(err(() => contextEfficiency(profiler, { sessionId: '  ' })).code).toBe('invalid_argument');
    expect(err(() => contextEfficiency(profiler, { sessionId: 'nope' })).message).toBe(
      'no tool calls recorded for session nope',
    );
    expect(err(() => contextEfficiency(profiler, { workflowId: 'deadbeef' })).code).toBe('not_found');
    expect(contextEfficiency(profiler, { sessionId: 'sess-a' }).efficiencyPct).toBe(33.3);
  });

  it('a reused result never goes stale: a new call or a late result changes the answer', () => {
    sessionA();
    const before = profiler.efficiencyFor({ sessionId: 'sess-a' });
    expect(profiler.efficiencyFor({ sessionId: 'sess-a' })).toEqual(before);
    call(A, 'Edit', { file_path: `${W}/app/server/models.py`, old_string: 'a', new_string: 'b' });
    expect(profiler.efficiencyFor({ sessionId: 'sess-a' })).toMatchObject({
      calls: 9,
      filesUsed: 3,
      tokensUsed: 950 + 775,
    });
    // the tool_result of an earlier call arrives later (an update, not an insert)
    store.toolCalls.merge({
      callKey: 'toolu_sess-a_4',
      toolUseId: 'toolu_sess-a_4',
      source: 'hook',
      responseBytes: 7000,
    });
    expect(profiler.efficiencyFor({ sessionId: 'sess-a' })).toMatchObject({ calls: 9, tokensLoaded: 2800 + 1000 });
  });

  it('a Read whose response never arrived loads nothing', () => {
    const S: Where = { sessionId: 'sess-pending', cwd: W };
    store.toolCalls.merge({
      callKey: 'toolu_pending',
      toolUseId: 'toolu_pending',
      source: 'hook',
      sessionId: S.sessionId,
      cwd: W,
      toolName: 'Read',
      inputJson: '{"file_path":"a.py"}',
      filePaths: ['a.py'],
      startedAt: '2026-03-02T09:00:00.000Z',
    });
    call(S, 'Read', { file_path: 'b.py' }, { bytes: 40 });
    expect(profiler.efficiencyFor({ sessionId: 'sess-pending' })).toMatchObject({
      calls: 2,
      filesLoaded: 1,
      tokensLoaded: 10,
    });
  });
});

describe('ContextProfiler: the state kept per session', () => {
  const ref = { sessionId: 'sess-a' };
  const newProfiler = (): ContextProfiler => new ContextProfiler(store, { keepStateMinCalls: 0 });
  const kept = (): { calls: number; pos_id: number } | undefined =>
    store.db.prepare('SELECT calls, pos_id FROM context_checkpoints WHERE session_id = ?').get('sess-a') as
      { calls: number; pos_id: number } | undefined;
  const idOf = (key: string): number =>
    store.db.prepare('SELECT id FROM tool_calls WHERE call_key = ?').pluck().get(key) as number;
  /** A Read of docs/coupons.md that started at `startedAt` (a hook's pre-tool event), not ended yet. */
  const startRead = (key: string, startedAt: string): void => {
    store.toolCalls.merge({
      callKey: key,
      toolUseId: key,
      source: 'hook',
      sessionId: 'sess-a',
      cwd: W,
      toolName: 'Read',
      inputJson: JSON.stringify({ file_path: `${W}/docs/coupons.md` }),
      filePaths: [`${W}/docs/coupons.md`],
      startedAt,
    });
  };
  /** Its end: 4,000 bytes (1,000 tokens) of the file. */
  const endRead = (key: string, endedAt: string): void => {
    store.toolCalls.merge({ callKey: key, toolUseId: key, source: 'hook', endedAt, responseBytes: 4000 });
  };
  /** what folding every call again gives (no kept state, a new profiler) */
  const folded = (): unknown => {
    store.db.prepare('DELETE FROM context_checkpoints').run();
    return newProfiler().efficiencyFor(ref);
  };

  it('a new profiler folds only the calls after the kept state, and answers as if it folded them all', () => {
    sessionA();
    const first = newProfiler().efficiencyFor(ref);
    expect(kept()).toEqual({ calls: 8, pos_id: idOf('toolu_sess-a_8') });
    expect(newProfiler().efficiencyFor(ref)).toEqual(first);
    call(A, 'Read', { file_path: 'docs/coupons.md' }, { bytes: 800 });
    call(A, 'Bash', { command: 'cat docs/coupons.md' });
    const later = newProfiler().efficiencyFor(ref);
    expect(kept()).toEqual({ calls: 10, pos_id: idOf('toolu_sess-a_10') });
    expect(later).toMatchObject({ calls: 10, filesUsed: 3 });
    expect(later).toEqual(folded());
  });

  it('a change to a call at or before the kept position drops the state, whatever wrote it', () => {
    sessionA();
    newProfiler().efficiencyFor(ref);
    // the tool_result of an early call arrives again, larger
    store.toolCalls.merge({
      callKey: 'toolu_sess-a_3',
      toolUseId: 'toolu_sess-a_3',
      source: 'hook',
      responseBytes: 9000,
    });
    expect(kept()).toBeUndefined();
    const after = newProfiler().efficiencyFor(ref);
    expect(after).toMatchObject({ tokensLoaded: 2800 + 1750 });
    expect(after).toEqual(folded());
    newProfiler().efficiencyFor(ref);
    // a call that happened before the kept position but arrives now (another agent's transcript)
    store.toolCalls.merge({
      callKey: 'toolu_early',
      toolUseId: 'toolu_early',
      source: 'transcript',
      sessionId: 'sess-a',
      cwd: W,
      toolName: 'Edit',
      inputJson: JSON.stringify({ file_path: `${W}/docs/coupons.md`, old_string: 'a', new_string: 'b' }),
      filePaths: [`${W}/docs/coupons.md`],
      startedAt: '2026-03-02T09:00:03.500Z',
      endedAt: '2026-03-02T09:00:03.500Z',
    });
    expect(kept()).toBeUndefined();
    expect(newProfiler().efficiencyFor(ref)).toEqual(folded());
    // a state that does not restore is worked out again (and kept anew)
    newProfiler().efficiencyFor(ref);
    const good = newProfiler().efficiencyFor(ref);
    store.db.prepare("UPDATE context_checkpoints SET state = '[1,'").run();
    expect(newProfiler().efficiencyFor(ref)).toEqual(good);
    expect(kept()?.calls).toBe(9);
  });

  it('a call left running an hour before the newest call does not hold the state back; its end drops the state', () => {
    sessionA();
    startRead('toolu_abandoned', '2026-03-02T09:00:02.500Z');
    newProfiler().efficiencyFor(ref);
    expect(kept()?.calls).toBe(2);
    store.toolCalls.merge({
      callKey: 'toolu_later',
      toolUseId: 'toolu_later',
      source: 'transcript',
      sessionId: 'sess-a',
      cwd: W,
      toolName: 'Bash',
      command: 'git status',
      inputJson: JSON.stringify({ command: 'git status' }),
      startedAt: '2026-03-02T10:30:00.000Z',
      endedAt: '2026-03-02T10:30:01.000Z',
    });
    expect(newProfiler().efficiencyFor(ref)).toMatchObject({ calls: 10 });
    expect(kept()?.calls).toBe(10);
    endRead('toolu_abandoned', '2026-03-02T10:31:00.000Z');
    expect(kept()).toBeUndefined();
    const after = newProfiler().efficiencyFor(ref);
    expect(after).toMatchObject({ calls: 10, tokensLoaded: 2800 + 1000 });
    expect(after).toEqual(folded());
  });

  it('a state kept before any call had a cwd is not gone on from once one has (the session cwd is that one)', () => {
    const N = { sessionId: 'sess-n' };
    const read = (key: string, at: string, path: string, cwd?: string): void => {
      store.toolCalls.merge({
        callKey: key,
        toolUseId: key,
        source: 'transcript',
        sessionId: 'sess-n',
        ...(cwd ? { cwd } : {}),
        toolName: 'Read',
        inputJson: JSON.stringify({ file_path: path }),
        filePaths: [path],
        startedAt: at,
        endedAt: at,
        responseBytes: 400,
      });
    };
    read('n1', '2026-03-02T09:00:01.000Z', 'app/cart.py');
    read('n2', '2026-03-02T09:00:02.000Z', `${W}/app/cart.py`);
    const first = newProfiler().efficiencyFor(N);
    expect(first).toMatchObject({ calls: 2, filesLoaded: 2 });
    read('n3', '2026-03-02T09:00:03.000Z', 'app/models.py', W);
    const later = newProfiler().efficiencyFor(N);
    // resolved against the session cwd now known, `app/cart.py` is the file read the second time
    expect(later).toMatchObject({ calls: 3, filesLoaded: 2 });
    store.db.prepare('DELETE FROM context_checkpoints').run();
    expect(newProfiler().efficiencyFor(N)).toEqual(later);
  });

  it('no state is kept for a session with fewer calls than the threshold', () => {
    sessionA();
    expect(new ContextProfiler(store, { keepStateMinCalls: 9 }).efficiencyFor(ref)).toMatchObject({ calls: 8 });
    expect(kept()).toBeUndefined();
    call(A, 'Bash', { command: 'git status' });
    new ContextProfiler(store, { keepStateMinCalls: 9 }).efficiencyFor(ref);
    expect(kept()?.calls).toBe(9);
  });

  it('a call still running is not in the kept state: when its result comes, the answer counts it', () => {
    sessionA();
    // after the 8th call (09:00:08), before the next one (09:00:09)
    startRead('toolu_running', '2026-03-02T09:00:08.500Z');
    call(A, 'Bash', { command: 'git status' });
    expect(newProfiler().efficiencyFor(ref)).toMatchObject({ calls: 10 });
    expect(kept()).toEqual({ calls: 8, pos_id: idOf('toolu_sess-a_8') });
    endRead('toolu_running', '2026-03-02T09:00:08.900Z');
    const done = newProfiler().efficiencyFor(ref);
    expect(done).toMatchObject({ calls: 10, tokensLoaded: 2800 + 1000 });
    expect(kept()?.calls).toBe(10);
    expect(done).toEqual(folded());
  });
});

describe('SessionStates', () => {
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const keptCalls = (session: string): number | undefined =>
    store.db.prepare('SELECT calls FROM context_checkpoints WHERE session_id = ?').pluck().get(session) as
      number | undefined;

  it('folds the sessions ingestion touched forward once it is idle, so a query has nothing left to fold', () => {
    let busy = true;
    const states = new SessionStates(profiler, quiet, () => busy);
    try {
      sessionA();
      states.schedule(['sess-a', 'no-such-session']);
      expect(states.round()).toBe(0);
      expect(keptCalls('sess-a')).toBeUndefined();
      busy = false;
      expect(states.round()).toBe(1);
      expect(keptCalls('sess-a')).toBe(8);
      call(A, 'Bash', { command: 'git status' });
      states.schedule(['sess-a']);
      expect(states.round()).toBe(1);
      expect(keptCalls('sess-a')).toBe(9);
      expect(states.round()).toBe(0);
    } finally {
      states.close();
    }
  });

  it('at start, schedules the sessions large enough for a state that have none', () => {
    sessionA();
    sessionD();
    const profiler9 = new ContextProfiler(store, { keepStateMinCalls: 6 });
    // the sessions' calls are from 2026-03-02: active in the 30 days before the 20th, not before April 10th
    const now = Date.parse('2026-03-20T00:00:00Z');
    expect(profiler9.sessionsMissingState(Date.parse('2026-04-10T00:00:00Z'))).toEqual([]);
    expect(profiler9.sessionsMissingState(now).sort()).toEqual(['sess-a', 'sess-d']);
    const states = new SessionStates(profiler9, quiet);
    try {
      profiler9.efficiencyFor({ sessionId: 'sess-d' });
      expect(profiler9.sessionsMissingState(now)).toEqual(['sess-a']);
      states.schedule(profiler9.sessionsMissingState(now));
      expect(states.round()).toBe(1);
      expect(keptCalls('sess-a')).toBe(8);
      expect(profiler9.sessionsMissingState(now)).toEqual([]);
      // below the threshold: never asked for
      expect(new ContextProfiler(store, { keepStateMinCalls: 7 }).sessionsMissingState(now)).toEqual([]);
    } finally {
      states.close();
    }
  });

  it('leaves sessions smaller than the threshold alone', () => {
    const states = new SessionStates(new ContextProfiler(store, { keepStateMinCalls: 9 }), quiet);
    try {
      sessionA();
      states.schedule(['sess-a']);
      expect(states.round()).toBe(0);
      expect(keptCalls('sess-a')).toBeUndefined();
      call(A, 'Bash', { command: 'git status' });
      states.schedule(['sess-a']);
      expect(states.round()).toBe(1);
      expect(keptCalls('sess-a')).toBe(9);
    } finally {
      states.close();
    }
  });
});

describe('ContextProfiler.refreshForPattern', () => {
  const SIG = 'workflow:fix_coupon:backend';

  it('profiles 3 occurrences (session ids and wf: keys); globs cover every used file and no unused dir', () => {
    sessionA();
    workflow();
    sessionD();
    const id = patternId(SIG);
    const keys = ['sess-a', 'wf:a1b2c3d4', 'sess-d', 'sess-a', 'sess-unknown'];
    const now = Date.now();
    const info = profiler.refreshForPattern(id, SIG, keys);
    // app/server holds used and unused .py files: exact paths there; tests/ holds only used files.
    // tokens loaded A 2800, wf 900, D 500+800+100 = 1400 → 1700; used 950, 325, 500 → 592.
    // saved (loaded files no glob matches): A 1025+775+25+25 = 1850, wf 500+25+25+25 = 575,
    // D 800+100 = 900 → 3325 / 3 = 1108.
    expect(info).toEqual({
      signature: SIG,
      globs: ['app/server/coupons.py', 'app/server/export.py', 'app/server/services/pricing.py', 'tests/*.py'],
      typicalFiles: [{ path: 'app/server/coupons.py', share: 0.67 }],
      typicalDirs: ['app/server', 'tests'],
      avgTokensLoaded: 1700,
      avgTokensUsed: 592,
      estimatedTokensSaved: 1108,
      samples: 3,
      updatedAt: expect.any(String) as string,
    });
    expect(Date.parse(info?.updatedAt ?? '')).toBeGreaterThanOrEqual(now - 1000);
    expect(store.contextProfiles.get(SIG)).toEqual(info);
    expect(store.contextProfiles.forPattern(id)).toEqual(info);

    const globs = info?.globs ?? [];
    const used = ['sess-a', 'wf:a1b2c3d4', 'sess-d'].flatMap((k) => {
      const ref = k.startsWith('wf:') ? { workflowId: k.slice(3) } : { sessionId: k };
      return profiler.efficiencyFor(ref)?.used ?? [];
    });
    expect(used).toHaveLength(6);
    for (const u of used) expect(globs.some((g) => globMatches(g, u))).toBe(true);
    for (const dir of ['app/server/api', 'docs', 'specs', 'app/client/src', 'app/client', '']) {
      for (const probe of ['probe.py', 'probe.md', 'probe.tsx', 'sub/probe.py']) {
        const path = dir === '' ? probe : `${dir}/${probe}`;
        expect(globs.filter((g) => globMatches(g, path))).toEqual([]);
      }
    }
  });

  it('is refreshed as occurrences arrive, by signature; no calls at all stores nothing', () => {
    const id = patternId(SIG);
    expect(profiler.refreshForPattern(id, SIG, ['sess-a'])).toBeNull();
    expect(store.contextProfiles.get(SIG)).toBeNull();
    sessionA();
    expect(profiler.refreshForPattern(id, SIG, ['sess-a'])).toMatchObject({ samples: 1, avgTokensLoaded: 2800 });
    workflow();
    // a bare ADW id works as a key too
    expect(profiler.refreshForPattern(id, SIG, ['sess-a', 'a1b2c3d4'])).toMatchObject({
      samples: 2,
      avgTokensLoaded: 1850,
    });
    expect(store.contextProfiles.get(SIG)).toMatchObject({ samples: 2 });
    expect(store.db.prepare('SELECT count(*) AS n FROM context_profiles').get()).toEqual({ n: 1 });
  });

  it('context/profile answers the stored profile, or not_found with a clear message', async () => {
    const handlers = contextHandlers({ store } as unknown as DaemonDeps, profiler);
    const get = handlers['context/profile'];
    if (!get) throw new Error('no handler');
    const conn = { id: 1, notify: () => undefined, onClose: () => undefined };
    await expect(async () => get({ signature: SIG }, conn)).rejects.toThrow(
      /no context profile for pattern 'workflow:fix_coupon:backend'/,
    );
    sessionA();
    const stored = profiler.refreshForPattern(patternId(SIG), SIG, ['sess-a']);
    expect(await get({ signature: SIG }, conn)).toEqual(stored);
  });
});
