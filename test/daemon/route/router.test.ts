import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolRegisterParams } from '../../../src/rpc/protocol.js';
import type { DaemonDeps } from '../../../src/daemon/deps.js';
import { toolHandlers } from '../../../src/daemon/handlers/tools.js';
import { Hub } from '../../../src/daemon/hub.js';
import { toSummary } from '../../../src/daemon/handlers/pattern-view.js';
import { addUse, confidence } from '../../../src/core/learning/confidence.js';
import { saving } from '../../../src/core/learning/savings.js';
import { statsOf } from '../../../src/daemon/store/patterns-repo.js';
import { review } from '../../../src/daemon/handlers/reviews.js';
import { Router } from '../../../src/daemon/route/router.js';
import { NULL_LOGGER } from '../../../src/daemon/logger.js';
import type { Connection } from '../../../src/daemon/rpc-connection.js';
import { Store } from '../../../src/daemon/store/store.js';
import { ToolRunner } from '../../../src/daemon/route/tool-runner.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
let store: Store;
let hub: Hub;
let runner: ToolRunner;
let router: Router;
let cwd: string;
const conn = {} as Connection;

beforeEach(() => {
  store = Store.open(join(dirs.make('ol-router-'), 'outloop.db'));
  hub = new Hub();
  runner = new ToolRunner();
  router = new Router({ store, hub, logger: NULL_LOGGER, runner, threshold: 70 });
  cwd = dirs.make('ol-router-cwd-');
});

afterEach(() => {
  runner.close();
  hub.close();
  store.close();
  dirs.removeAll();
});

/** `saving()` of one use of `pattern()` (40,000 tokens, $0.12) against `toolTokens` read back. */
const perUse = (toolTokens: number) =>
  saving({ llmTokens: 40_000, llmCostUsd: 0.12, toolTokens, model: 'claude-sonnet-4-5' });

/**
 * A pattern with `uses` measured uses (one per session) of 40,000 tokens and `llmCost` ($0.12) each
 * (claude-sonnet-4-5), an estimated 230 tool tokens each, written through the store as the learner does.
 */
function pattern(signature: string, uses = 1, example = 'pytest tests/ -q', llmCost = 0.12): number {
  const ts = new Date(Date.now() - 3_600_000).toISOString();
  return store.tx(() => {
    const { row } = store.patterns.ensure(signature, 'command', ts, 'claude-sonnet-4-5');
    let stats = statsOf(row);
    for (let i = 0; i < uses; i++) {
      const added = store.patterns.addOccurrence({
        patternId: row.id,
        occurrenceKey: `${signature}:${i}`,
        sessionKey: `session-${i}`,
        toolCallId: null,
        ts,
        llmTokens: 40_000,
        llmCost,
        basis: 'measured',
        durationMs: 2000,
        ok: true,
      });
      stats = addUse(stats, { durationMs: 2000, ok: true, newOccurrence: added?.newSession ?? false });
    }
    store.patterns.applyUses(row, {
      stats,
      llmTokens: 40_000 * uses,
      llmCost: llmCost * uses,
      measuredUses: uses,
      toolTokensEst: 230 * uses,
      examples: [example],
      firstTs: ts,
      lastTs: ts,
      model: 'claude-sonnet-4-5',
      confidence: confidence(stats),
    });
    return row.id;
  });
}

function approve(id: number): void {
  review(store, hub, id, 'approve', 'tester', null);
}

function script(body: string, name = 'tool.sh'): string {
  const path = join(dirs.make('ol-tool-'), name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function register(p: Partial<ToolRegisterParams> & { name: string; signature: string; argv: string[] }) {
  const handler = toolHandlers({ store, hub } as unknown as DaemonDeps, { PATH: '/usr/bin:/bin' })['tools/register'];
  if (!handler) throw new Error('no tools/register handler');
  return handler({ triggers: ['run the tests'], ...p }, conn);
}

function count(sql: string, ...args: unknown[]): number {
  return store.db
    .prepare(sql)
    .pluck()
    .get(...args) as number;
}

describe('Router', () => {
  it('routes a close match to an approved pattern with a healthy tool, even with one occurrence', async () => {
    const id = pattern('test:pytest:all', 1);
    approve(id);
    const tool = script('cat >/dev/null; echo "5 passed in 0.12s"');
    await register({ name: 'pytest-runner', signature: 'test:pytest:all', argv: [tool, '-q'] });
    expect(store.tools.bySignature(store.patterns.get(id)?.signature ?? '')?.name).toBe('pytest-runner');

    const r = await router.route({ input: 'Run the tests', cwd });
    // summary "5 passed in 0.12s" (17 B) + output "5 passed in 0.12s\n" (18 B) = 35 B → 9 tool tokens;
    // saved 40,000 − 9 = 39,991 tokens; $0.12 − 9 × $3/M = $0.119973 → $0.12 (4 decimals)
    expect(r).toMatchObject({
      decision: 'tool',
      pattern: { id, signature: 'test:pytest:all', status: 'approved' },
      similarity: 100,
      threshold: 70,
      tool: { name: 'pytest-runner', argv: [tool, '-q'] },
      result: { exitCode: 0, summary: '5 passed in 0.12s', output: '5 passed in 0.12s\n', truncated: false },
      tokensSaved: 39_991,
      costSavedUsd: 0.12,
      dryRun: false,
    });
    expect(r.confidence).toBeLessThan(70); // one occurrence: low confidence, still routed
    expect(r.reason).toBe('ran pytest-runner: 5 passed in 0.12s');

    const s = store.savings.summary(Date.now(), 7);
    expect(s).toMatchObject({
      allTimeUsd: 0.12,
      tokensSavedAllTime: 39_991,
      byType: [{ type: 'pattern_offload', usd: 0.12, tokens: 39_991 }],
    });
    expect(s.topPatterns).toEqual([{ id, signature: 'test:pytest:all', usd: 0.12 }]);
    expect(
      count(
        'SELECT count(*) FROM tool_calls WHERE routed_tool_id IS NOT NULL AND is_error = 0 AND tokens_saved = 39991',
      ),
    ).toBe(1);
    const row = store.patterns.get(id);
    if (!row) throw new Error('pattern vanished');
    expect(toSummary(row, undefined, null)).toMatchObject({
      avgTokensWithTool: 9,
      toolTokenBasis: 'measured',
      routedRuns: 1,
    });
    expect(store.tools.byName('pytest-runner')).toMatchObject({ runs: 1, successes: 1, enabled: 1 });
  });

  it('never routes a pattern nobody approved, nor a request that does not match', async () => {
    const id = pattern('test:pytest:all', 8);
    await register({ name: 'pytest-runner', signature: 'test:pytest:all', argv: ['/bin/true'] });
    expect(await router.route({ input: 'run the tests', cwd })).toMatchObject({
      decision: 'llm',
      pattern: null,
      reason: 'no routable tool: register a tool for an approved pattern (outloop tools register)',
    });
    approve(id); // the index follows the approval on the very next request
    expect((await router.route({ input: 'run the tests', cwd })).decision).toBe('tool');
    expect(await router.route({ input: 'write a haiku about autumn leaves', cwd })).toMatchObject({
      decision: 'llm',
      result: null,
      reason: 'no approved pattern matches the request',
    });
    const partial = await router.route({ input: 'run the linter and then deploy to production', cwd });
    expect(partial.decision).toBe('llm');
    expect(partial.reason).toMatch(
      /^best match test:pytest:all \(tool pytest-runner\) has similarity [\d.]+, below the threshold 70$/,
    );
    expect(await router.route({ input: '   ', cwd })).toMatchObject({
      decision: 'llm',
      reason: 'empty input: nothing to match',
    });
    const huge = await router.route({ input: 'lorem ipsum '.repeat(90_000), cwd });
    expect(huge.decision).toBe('llm');
  });

  it('a dry run runs nothing and reports the expected savings', async () => {
    approve(pattern('test:pytest:all', 2));
    const marker = join(cwd, 'ran');
    await register({ name: 'pytest-runner', signature: 'test:pytest:all', argv: [script(`touch ${marker}`)] });
    const r = await router.route({ input: 'run the tests', cwd, dryRun: true });
    // expected: 40,000 LLM tokens − the estimated 230 tool tokens per use
    expect(r).toMatchObject({ decision: 'tool', dryRun: true, result: null, tokensSaved: 39_770 });
    expect(r.reason).toMatch(/^dry run: would run pytest-runner/);
    expect(existsSync(marker)).toBe(false);
    expect(count('SELECT count(*) FROM tool_calls')).toBe(0);
  });

  it('a dry run and a run report the same saving(): expected tool tokens before the run, measured after', async () => {
    approve(pattern('test:pytest:all', 2));
    await register({
      name: 'pytest-runner',
      signature: 'test:pytest:all',
      argv: [script('cat >/dev/null; echo "5 passed in 0.12s"')],
    });
    const dry = await router.route({ input: 'run the tests', cwd, dryRun: true });
    // 40,000 − 230 estimated tool tokens = 39,770; $0.12 − 230 at $3/M = $0.11931
    expect(dry).toMatchObject({ decision: 'tool', tokensSaved: 39_770, costSavedUsd: 0.1193 });
    expect({ tokensSaved: dry.tokensSaved, usd: dry.costSavedUsd }).toEqual(perUse(230));
    const ran = await router.route({ input: 'run the tests', cwd });
    // 35 bytes back → 9 tool tokens: 39,991; $0.12 − 9 at $3/M = $0.119973
    expect({ tokensSaved: ran.tokensSaved, usd: ran.costSavedUsd }).toEqual(perUse(9));
    // the pattern's tool tokens are now measured (9): a dry run expects what the run saved
    const again = await router.route({ input: 'run the tests', cwd, dryRun: true });
    expect(again).toMatchObject({ tokensSaved: ran.tokensSaved, costSavedUsd: ran.costSavedUsd });
  });

  it("saves the pattern's whole LLM cost per use, not its tokens at the input price", async () => {
    // 40,000 tokens costing $0.60 a use (output and cache included), where their input price is $0.12
    approve(pattern('test:pytest:all', 2, 'pytest tests/ -q', 0.6));
    await register({
      name: 'pytest-runner',
      signature: 'test:pytest:all',
      argv: [script('cat >/dev/null; echo "5 passed in 0.12s"')],
    });
    // $0.60 − 230 expected tool tokens at $3/M = $0.59931
    expect(await router.route({ input: 'run the tests', cwd, dryRun: true })).toMatchObject({
      tokensSaved: 39_770,
      costSavedUsd: 0.5993,
    });
    // $0.60 − 9 tool tokens at $3/M = $0.599973
    expect(await router.route({ input: 'run the tests', cwd })).toMatchObject({
      decision: 'tool',
      tokensSaved: 39_991,
      costSavedUsd: 0.6,
    });
    expect(store.savings.summary(Date.now(), 7)).toMatchObject({ allTimeUsd: 0.6, tokensSavedAllTime: 39_991 });
  });

  it('a failing tool answers llm with the reason, and five failures disable it', async () => {
    approve(pattern('lint:eslint:all', 3, 'eslint .'));
    await register({
      name: 'linter',
      signature: 'lint:eslint:all',
      argv: [script('echo "boom: config missing" >&2; exit 1')],
      triggers: ['run the linter'],
    });
    for (let i = 1; i <= 5; i++) {
      const r = await router.route({ input: 'run the linter', cwd });
      expect(r.decision).toBe('llm');
      expect(r.result).toMatchObject({ exitCode: 1, summary: 'boom: config missing' });
      expect(r.tokensSaved).toBe(0);
      const disabled = i === 5 ? '; disabled automatically: success rate 0% over 5 runs is below 80%' : '';
      expect(r.reason).toBe(`tool linter failed: exit code 1: boom: config missing${disabled}`);
    }
    expect(store.tools.byName('linter')).toMatchObject({
      enabled: 0,
      runs: 5,
      successes: 0,
      disabled_reason: 'disabled automatically: success rate 0% over 5 runs is below 80%',
    });
    expect(count('SELECT count(*) FROM tool_calls WHERE routed_tool_id IS NOT NULL AND is_error = 1')).toBe(5);
    expect(count('SELECT count(*) FROM cost_savings_log')).toBe(0);
    expect((await router.route({ input: 'run the linter', cwd })).reason).toMatch(/^no routable tool/);
  });

  it('keeps a tool at exactly 80% and disables it below', async () => {
    approve(pattern('test:pytest:all', 1));
    const tool = script('if grep -q flaky; then echo flaky >&2; exit 1; fi; echo ok');
    await register({
      name: 'pytest-runner',
      signature: 'test:pytest:all',
      argv: [tool],
      triggers: ['run the tests', 'run the flaky tests'],
    });
    for (const input of ['run the tests', 'run the tests', 'run the flaky tests', 'run the tests', 'run the tests']) {
      await router.route({ input, cwd });
    }
    expect(store.tools.byName('pytest-runner')).toMatchObject({ runs: 5, successes: 4, enabled: 1 }); // 80%: healthy
    const r = await router.route({ input: 'run the flaky tests', cwd }); // 4 of 6: 66.7%
    expect(r.reason).toMatch(/disabled automatically: success rate 66\.7% over 6 runs is below 80%$/);
    // a person enabling it again starts a fresh record
    const enable = toolHandlers({ store, hub } as unknown as DaemonDeps)['tools/enable'];
    expect(await enable?.({ name: 'pytest-runner' }, conn)).toMatchObject({
      enabled: true,
      runs: 0,
      successes: 0,
      routable: true,
    });
  });

  it('a tool whose file vanished answers llm and counts as a failed run', async () => {
    approve(pattern('test:pytest:all', 1));
    const tool = script('echo ok');
    await register({ name: 'pytest-runner', signature: 'test:pytest:all', argv: [tool] });
    rmSync(tool);
    const r = await router.route({ input: 'run the tests', cwd });
    expect(r).toMatchObject({ decision: 'llm', result: { exitCode: null } });
    expect(r.reason).toBe(`tool pytest-runner failed: the tool cannot run: ${tool} does not exist`);
    expect(store.tools.byName('pytest-runner')).toMatchObject({ runs: 1, successes: 0 });
  });

  it('a tool that forks and hangs times out: llm, and its process group is killed', async () => {
    approve(pattern('test:pytest:all', 1));
    await register({
      name: 'pytest-runner',
      signature: 'test:pytest:all',
      argv: [script('sleep 1000 & sleep 1000')],
      timeoutMs: 300,
    });
    const r = await router.route({ input: 'run the tests', cwd });
    expect(r.decision).toBe('llm');
    expect(r.reason).toBe("tool pytest-runner failed: timed out after 0.3 s; the tool's process group was killed");
    expect(runner.running).toBe(0);
  });

  it('answers concurrent routes to the same tool, each counted once', async () => {
    approve(pattern('test:pytest:all', 1));
    await register({
      name: 'pytest-runner',
      signature: 'test:pytest:all',
      argv: [script('cat >/dev/null; sleep 0.1; echo done')],
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => router.route({ input: `run the tests ${i}`, cwd, threshold: 50 })),
    );
    for (const r of results) expect(r).toMatchObject({ decision: 'tool', result: { summary: 'done' } });
    expect(store.tools.byName('pytest-runner')).toMatchObject({ runs: 10, successes: 10 });
    expect(count('SELECT count(*) FROM cost_savings_log')).toBe(10);
  });

  it('picks the best-scored candidate whose similarity reaches the threshold; confidence only ranks', async () => {
    const weak = pattern('test:pytest:all', 1);
    const strong = pattern('test:vitest:all', 12, 'vitest run');
    approve(weak);
    approve(strong);
    await register({
      name: 'pytest-runner',
      signature: 'test:pytest:all',
      argv: ['/bin/true'],
      triggers: ['run the python tests'],
    });
    await register({
      name: 'vitest-runner',
      signature: 'test:vitest:all',
      argv: ['/bin/true'],
      triggers: ['run the frontend tests'],
    });
    const r = await router.route({ input: 'run the python tests', cwd, dryRun: true });
    expect(r).toMatchObject({ decision: 'tool', tool: { name: 'pytest-runner' }, similarity: 100 });
  });
});
