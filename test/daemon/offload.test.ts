/**
 * Offload on the daemon side, in process: the flag and the kill switch in a real store, the lifecycle
 * rules, offload.json as written by the writer, offload/set's refusals, and route's built-in runner
 * running a recorded command in a temp cwd.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addUse, confidence } from '../../src/core/learning/confidence.js';
import { AppError } from '../../src/core/errors.js';
import { parseOffloadFile } from '../../src/core/offload/offload-file.js';
import type { DaemonDeps } from '../../src/daemon/deps.js';
import { offloadHandlers } from '../../src/daemon/handlers/offload.js';
import { Hub } from '../../src/daemon/hub.js';
import { review, rollbackAll, undoReview } from '../../src/daemon/handlers/reviews.js';
import { Router } from '../../src/daemon/route/router.js';
import { NULL_LOGGER } from '../../src/daemon/logger.js';
import { BuiltinRoute, BUILTIN_TOOL } from '../../src/daemon/route/builtin-runner.js';
import { OffloadFileWriter, offloadStatus } from '../../src/daemon/offload/offload-file.js';
import type { Connection } from '../../src/daemon/rpc-connection.js';
import { statsOf } from '../../src/daemon/store/patterns-repo.js';
import { Store } from '../../src/daemon/store/store.js';
import { pinExecutable } from '../../src/daemon/route/tool-pin.js';
import { ToolRunner } from '../../src/daemon/route/tool-runner.js';
import { Warnings } from '../../src/daemon/warnings.js';
import type { OffloadSetParams, OffloadSetResult, OffloadStatusResult } from '../../src/rpc/protocol.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
let stateDir: string;
let store: Store;
let hub: Hub;
let runner: ToolRunner;
let writer: OffloadFileWriter;
const conn = {} as Connection;

beforeEach(() => {
  stateDir = dirs.make('ol-offload-');
  store = Store.open(join(stateDir, 'outloop.db'));
  hub = new Hub();
  runner = new ToolRunner();
  writer = new OffloadFileWriter(stateDir, store, NULL_LOGGER, new Warnings());
});

afterEach(() => {
  writer.close();
  runner.close();
  hub.close();
  store.close();
  dirs.removeAll();
});

/** A learned command pattern with one use per recorded call `command` in `cwd` (as the learner stores it). */
function pattern(signature: string, command: string, cwd: string | null = null, uses = 1): number {
  const ts = new Date(Date.now() - 3_600_000).toISOString();
  return store.tx(() => {
    const { row } = store.patterns.ensure(signature, 'command', ts, 'claude-sonnet-4-5');
    let stats = statsOf(row);
    for (let i = 0; i < uses; i++) {
      const callId = store.toolCalls.insertRouted({
        callKey: `call:${signature}:${i}`,
        toolName: 'Bash',
        command,
        signature,
        cwd,
        inputJson: JSON.stringify({ command }),
        inputBytes: 20,
        responseBytes: 4000,
        exitCode: 0,
        isError: false,
        durationMs: 1000,
        startedAt: ts,
        endedAt: ts,
        toolId: null,
        result: '{}',
        tokensSaved: 0,
      });
      const added = store.patterns.addOccurrence({
        patternId: row.id,
        occurrenceKey: `${signature}:${i}`,
        sessionKey: `s-${i}`,
        toolCallId: callId,
        ts,
        llmTokens: 20_000,
        llmCost: 0.06,
        basis: 'measured',
        durationMs: 1000,
        ok: true,
      });
      stats = addUse(stats, { durationMs: 1000, ok: true, newOccurrence: added?.newSession ?? false });
    }
    store.patterns.applyUses(row, {
      stats,
      llmTokens: 20_000 * uses,
      llmCost: 0.06 * uses,
      measuredUses: uses,
      toolTokensEst: 1000 * uses,
      examples: [command],
      firstTs: ts,
      lastTs: ts,
      model: 'claude-sonnet-4-5',
      confidence: confidence(stats),
    });
    return row.id;
  });
}

/** as `patterns/approve` reviews: a person's decision */
const PERSON = { offload: true };
/** One more recorded call of a pattern, at `ts`. */
function addCall(id: number, command: string, cwd: string, ts: string): void {
  store.tx(() => {
    const callId = store.toolCalls.insertRouted({
      callKey: `call:late:${ts}`,
      toolName: 'Bash',
      command,
      signature: store.patterns.get(id)?.signature ?? '',
      cwd,
      inputJson: JSON.stringify({ command }),
      inputBytes: 20,
      responseBytes: 100,
      exitCode: 0,
      isError: false,
      durationMs: 10,
      startedAt: ts,
      endedAt: ts,
      toolId: null,
      result: '{}',
      tokensSaved: 0,
    });
    store.patterns.addOccurrence({
      patternId: id,
      occurrenceKey: `late:${ts}`,
      sessionKey: 's-late',
      toolCallId: callId,
      ts,
      llmTokens: 100,
      llmCost: 0.001,
      basis: 'measured',
      durationMs: 10,
      ok: true,
    });
  });
}

const flag = (id: number): number => store.patterns.get(id)?.offload ?? -1;
const actions = (id: number): string[] => store.patterns.reviews(id).map((r) => r.action);
const readFile = () => parseOffloadFile(readFileSync(writer.path, 'utf8'));

function handlers() {
  const h = offloadHandlers({ store, hub, stateDir } as unknown as DaemonDeps);
  return {
    status: () => h['offload/status']?.({}, conn) as OffloadStatusResult,
    set: (p: OffloadSetParams) => h['offload/set']?.(p, conn) as OffloadSetResult,
  };
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('offload flag and kill switch in the store', () => {
  it('default off, each change one review row with the status unchanged, no row when nothing changes', () => {
    const id = pattern('test:pytest:all', 'pytest -q');
    expect(flag(id)).toBe(0);
    expect(store.tx(() => store.offload.setFlag(id, true, 'ana', 'why not'))).toBe(true);
    expect(store.tx(() => store.offload.setFlag(id, true, 'ana', null))).toBe(false);
    const row = store.patterns.get(id);
    expect(row).toMatchObject({ offload: 1, offload_changed_by: 'ana' });
    expect(row?.offload_changed_at).toMatch(/^\d{4}-/);
    expect(store.patterns.reviews(id)).toMatchObject([
      { action: 'offload_on', from_status: 'detected', to_status: 'detected', actor: 'ana', note: 'why not' },
    ]);
    // not approved: flagged but not offloaded
    expect(store.offload.offloaded()).toEqual([]);
    review(store, hub, id, 'approve', 'ana', null, PERSON);
    expect(store.offload.offloaded().map((r) => r.id)).toEqual([id]);
    expect(store.tx(() => store.offload.setFlag(id, false, 'bo', null))).toBe(true);
    expect(actions(id)).toEqual(['offload_on', 'approve', 'offload_off']);
    expect(() => store.db.prepare('UPDATE operation_patterns SET offload = 2 WHERE id = ?').run(id)).toThrow(/CHECK/);
  });

  it('keeps the kill switch across a reopen, with who and when', () => {
    expect(store.offload.enabled()).toBe(true);
    expect(store.offload.switchChange()).toEqual({ enabled: true, at: null, by: null });
    expect(store.offload.setEnabled(false, 'ana')).toBe(true);
    expect(store.offload.setEnabled(false, 'ana')).toBe(false);
    store.close();
    store = Store.open(join(stateDir, 'outloop.db'));
    writer = new OffloadFileWriter(stateDir, store, NULL_LOGGER, new Warnings());
    expect(store.offload.switchChange()).toMatchObject({ enabled: false, by: 'ana' });
    expect(store.offload.setEnabled(true, 'bo')).toBe(true);
    expect(store.offload.switchChange()).toMatchObject({ enabled: true, by: 'bo' });
  });
});

describe('lifecycle rules', () => {
  it('approval of a compactable pattern turns offload on; deprecation turns it off', () => {
    const tests = pattern('test:pytest:all', 'pytest -q');
    const curl = pattern('other:curl:all', 'curl https://example.com');
    review(store, hub, tests, 'approve', 'ana', null, PERSON);
    review(store, hub, curl, 'approve', 'ana', null, PERSON);
    expect([flag(tests), flag(curl)]).toEqual([1, 0]);
    expect(store.patterns.reviews(tests).at(-1)).toMatchObject({ action: 'offload_on', actor: 'ana', note: 'approve' });
    review(store, hub, tests, 'deprecate', 'bo', null);
    expect(flag(tests)).toBe(0);
    expect(actions(tests)).toEqual(['approve', 'offload_on', 'deprecate', 'offload_off']);
    // the daemon's own approval (discovery) does not offload
    const build = pattern('build:vite:all', 'vite build');
    review(store, hub, build, 'approve', 'outloop', null);
    expect(store.patterns.get(build)).toMatchObject({ status: 'approved', offload: 0 });
    // rejecting never offloads
    const lint = pattern('lint:eslint:all', 'npx eslint .');
    review(store, hub, lint, 'reject', 'ana', null);
    expect(flag(lint)).toBe(0);
    expect(actions(lint)).toEqual(['reject']);
  });

  it('undo of an approval (still possible after the offload row) and rollback turn it off', () => {
    const id = pattern('test:pytest:all', 'pytest -q');
    review(store, hub, id, 'approve', 'ana', null, PERSON);
    expect(flag(id)).toBe(1);
    undoReview(store, hub, id, 'ana');
    expect(store.patterns.get(id)).toMatchObject({ status: 'detected', offload: 0 });
    review(store, hub, id, 'approve', 'ana', null, PERSON);
    review(store, hub, id, 'activate', 'ana', null, PERSON);
    expect(store.patterns.get(id)).toMatchObject({ status: 'active', offload: 1 });
    expect(rollbackAll(store, hub, 'ana', 'stop')).toEqual([id]);
    expect(store.patterns.get(id)).toMatchObject({ status: 'deprecated', offload: 0 });
    expect(actions(id).slice(-2)).toEqual(['rollback', 'offload_off']);
  });
});

describe('offload.json', () => {
  it('is written at start and shortly after each review, 0600, equal to offload/status', async () => {
    const id = pattern('test:pytest:all', 'pytest -q');
    writer.start(hub);
    expect(readFile()).toMatchObject({ v: 1, enabled: true, patterns: [] });
    expect(statSync(writer.path).mode & 0o777).toBe(0o600);
    review(store, hub, id, 'approve', 'ana', null, PERSON);
    await expect
      .poll(() => readFile()?.patterns, { timeout: 1000, interval: 10 })
      .toEqual([{ signature: 'test:pytest:all', patternId: id, family: 'test' }]);
    const h = handlers();
    const status = h.status();
    expect(status).toMatchObject({ enabled: true, file: writer.path });
    expect(status.patterns).toMatchObject([{ id, signature: 'test:pytest:all', family: 'test', status: 'approved' }]);
    expect(status.patterns[0]?.since).toBe(store.patterns.get(id)?.offload_changed_at);

    h.set({ on: false });
    await expect.poll(() => readFile()?.enabled, { timeout: 1000, interval: 10 }).toBe(false);
    expect(readFile()?.patterns).toHaveLength(1); // kept, but nothing is offloaded while the switch is off
    h.set({ on: true });
    h.set({ signature: 'test:pytest:all', on: false });
    await expect.poll(() => readFile(), { timeout: 1000, interval: 10 }).toMatchObject({ enabled: true, patterns: [] });
    expect(statSync(writer.path).mode & 0o777).toBe(0o600);
    expect(offloadStatus(store, stateDir).patterns).toEqual([]);
  });

  it('a pending write is done on close, and nothing else is left in the directory', () => {
    const id = pattern('test:pytest:all', 'pytest -q');
    writer.start(hub);
    review(store, hub, id, 'approve', 'ana', null, PERSON);
    writer.close();
    expect(readFile()?.patterns).toHaveLength(1);
    expect(existsSync(`${writer.path}.tmp`)).toBe(false);
  });
});

describe('offload/set', () => {
  it('refuses patterns that are not approved or have no compactor, and unknown ones', () => {
    const h = handlers();
    const tests = pattern('test:pytest:all', 'pytest -q');
    const curl = pattern('other:curl:all', 'curl https://example.com');
    expect(refusal(() => h.set({ patternId: tests, on: true }))).toMatchObject({ code: 'illegal_transition' });
    review(store, hub, curl, 'approve', 'ana', null, PERSON);
    const noCompactor = refusal(() => h.set({ signature: 'other:curl:all', on: true }));
    expect(noCompactor.code).toBe('conflict');
    expect(noCompactor.message).toContain('has no compactor');
    expect(refusal(() => h.set({ patternId: 999, on: true })).code).toBe('not_found');
    expect(refusal(() => h.set({ patternId: tests, signature: 'x', on: true })).code).toBe('invalid_argument');
    expect(flag(tests) + flag(curl)).toBe(0);
    expect(actions(curl)).toEqual(['approve']);

    review(store, hub, tests, 'approve', 'ana', null, PERSON);
    const off = h.set({ patternId: tests, on: false, actor: 'bo', note: 'too slow' });
    expect(off).toMatchObject({
      changed: true,
      enabled: true,
      pattern: { id: tests, offload: false, offloadFamily: 'test' },
    });
    expect(h.set({ patternId: tests, on: false })).toMatchObject({ changed: false });
    expect(store.patterns.reviews(tests).at(-1)).toMatchObject({
      action: 'offload_off',
      actor: 'bo',
      note: 'too slow',
    });
    expect(h.set({ on: false })).toEqual({ changed: true, enabled: false, pattern: null });
    expect(h.set({ signature: 'test:pytest:all', on: true })).toMatchObject({
      changed: true,
      enabled: false,
      pattern: { offload: true },
    });
  });
});

describe('route through the built-in runner', () => {
  function router(): Router {
    return new Router({ store, hub, logger: NULL_LOGGER, runner, builtin: new BuiltinRoute(store, hub, runner) });
  }

  /** A cwd whose Makefile prints a long, repetitive test run. */
  function project(): string {
    const cwd = dirs.make('ol-offload-cwd-');
    writeFileSync(
      join(cwd, 'Makefile'),
      'test:\n\t@for i in $$(seq 1 300); do echo "tests/test_cart.py::test_$$i PASSED"; done; echo "300 passed in 1.20s"\n',
    );
    return cwd;
  }

  it('runs the recorded command in its cwd and answers compact text with measured savings', async () => {
    const cwd = project();
    const id = pattern('test:make:all', 'make test', cwd);
    const r = router();
    expect((await r.route({ input: 'run the tests' })).reason).toMatch(/^no routable tool/);
    review(store, hub, id, 'approve', 'ana', null, PERSON);
    // a call recorded after the approval, with the same signature, is not what the person approved
    const late = join(cwd, 'late');
    addCall(id, `touch ${late}`, cwd, new Date(Date.now() + 60_000).toISOString());
    const marker = join(cwd, 'pwned');
    const res = await r.route({ input: `run the tests; touch ${marker}`, threshold: 1 });
    expect(res).toMatchObject({
      decision: 'tool',
      pattern: { id, signature: 'test:make:all', status: 'approved' },
      tool: { name: BUILTIN_TOOL, argv: ['bash', '-c', 'make test'] },
      result: { exitCode: 0, truncated: false, summary: '300 passed in 1.20s' },
    });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(late)).toBe(false);
    expect(res.result?.output).toContain('300 passed in 1.20s');
    expect(res.result?.output).toMatch(/\[outloop: \d+ lines, ~\d+ → ~\d+ tokens \(\d+% left out\)\]/);
    const saving = store.db
      .prepare(
        'SELECT tokens_with_llm, tokens_with_tool, tokens_saved, optimization_type, tool_id FROM cost_savings_log',
      )
      .get() as Record<string, number | string | null>;
    expect(saving).toMatchObject({ optimization_type: 'pattern_offload', tool_id: null });
    expect(Number(saving['tokens_with_llm'])).toBeGreaterThan(Number(saving['tokens_with_tool']));
    expect(res.tokensSaved).toBe(Number(saving['tokens_with_llm']) - Number(saving['tokens_with_tool']));
    expect(res.costSavedUsd).toBeGreaterThan(0);
    expect(store.patterns.get(id)).toMatchObject({
      routed_runs: 1,
      sum_tool_tokens_measured: saving['tokens_with_tool'],
    });

    // a dry run names the command, runs nothing
    const dry = await r.route({ input: 'run the tests', dryRun: true });
    expect(dry).toMatchObject({ decision: 'tool', dryRun: true });
    expect(dry.reason).toContain(`would run \`make test\` in ${cwd}`);
    expect(store.patterns.get(id)?.routed_runs).toBe(1);

    // the kill switch, and the pattern's own switch, take it out of routing
    handlers().set({ on: false });
    expect((await r.route({ input: 'run the tests' })).decision).toBe('llm');
    handlers().set({ on: true });
    expect((await r.route({ input: 'run the tests' })).decision).toBe('tool');
    handlers().set({ patternId: id, on: false });
    expect((await r.route({ input: 'run the tests' })).reason).toMatch(/^no routable tool/);
  });

  it('never runs a recorded command that is not one simple command; a registered tool keeps precedence', async () => {
    const cwd = project();
    const id = pattern('test:make:all', `make test; touch ${join(cwd, 'chained')}`, cwd);
    review(store, hub, id, 'approve', 'ana', null, PERSON);
    const r = router();
    const res = await r.route({ input: 'run the tests' });
    expect(res).toMatchObject({ decision: 'llm', pattern: { id } });
    expect(res.reason).toContain('none of its calls recorded before it was offloaded is one simple command');
    expect(existsSync(join(cwd, 'chained'))).toBe(false);

    const tool = join(cwd, 'run.sh');
    writeFileSync(tool, '#!/bin/sh\necho "ran the registered tool"\n', { mode: 0o755 });
    store.tools.register({
      name: 'tests',
      signature: 'test:make:all',
      argv: [tool],
      resolvedPath: tool,
      triggers: ['run the tests'],
      timeoutMs: 10_000,
      outputCapBytes: 65_536,
      cwdPolicy: 'fixed',
      cwd,
      pin: pinExecutable(tool),
    });
    expect(await r.route({ input: 'run the tests' })).toMatchObject({
      decision: 'tool',
      tool: { name: 'tests' },
      result: { summary: 'ran the registered tool' },
    });
  });

  it('a failing run is an answer with its exit status; a vanished directory answers llm', async () => {
    const cwd = dirs.make('ol-offload-failing-');
    writeFileSync(
      join(cwd, 'Makefile'),
      'test:\n\t@echo "tests/test_cart.py::test_total FAILED"; echo "1 failed"; exit 1\n',
    );
    const id = pattern('test:make:all', 'make test', cwd);
    review(store, hub, id, 'approve', 'ana', null, PERSON);
    const r = router();
    const failed = await r.route({ input: 'run the tests' });
    expect(failed).toMatchObject({ decision: 'tool', result: { exitCode: 2 } });
    expect(failed.result?.output).toContain('tests/test_cart.py::test_total FAILED');
    expect(failed.reason).toContain('(exit 2)');
    rmSync(cwd, { recursive: true, force: true });
    const gone = await r.route({ input: 'run the tests' });
    expect(gone).toMatchObject({ decision: 'llm', tokensSaved: 0, result: null });
    expect(gone.reason).toContain('existing directory');
  });
});
