/**
 * The offload loop end to end, with the built bin and a real daemon on a temp socket: history in which
 * `node --test` ran in three sessions is ingested, a real failing suite runs through `outloop run`, the
 * learned pattern is approved and offload.json lists it, `outloop hook` rewrites the matching PreToolUse
 * call (and leaves chained and unapproved ones alone), the rewritten command runs through `bash -c` as
 * Claude Code would run it, the switches stop the rewrite, and the savings read back measured: the runs
 * from cost_savings_log and the replay of the ingested history.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseOffloadFile, type OffloadFile } from '../../src/core/offload/offload-file.js';
import type { PatternSummary, SavingsReplayResult, SavingsSummary } from '../../src/rpc/protocol.js';
import { CLI_PATH, cliEnv, runCli, type CliResult, type DaemonTarget } from '../helpers/cli.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { bashCallLines } from '../helpers/bash-transcript.js';
import { e2eDaemons, okJson as ok } from '../helpers/e2e-daemons.js';

const { dirs, targets } = e2eDaemons({ stopGracefully: true });

const SIG = 'test:node:all';
const FAILING = 'total adds the tax';

/** A project whose `node --test` runs 41 tests, one of them failing, and allows `node --test` in its settings. */
function project(): string {
  const work = dirs.make('ol-loop-work-');
  mkdirSync(join(work, 'test'));
  writeFileSync(
    join(work, 'test', 'cart.test.mjs'),
    [
      `import { test } from 'node:test';`,
      `import assert from 'node:assert/strict';`,
      'for (let i = 1; i <= 40; i++) test(`line ${i} keeps its price`, () => assert.equal(i * 2, i + i));',
      `test('${FAILING}', () => assert.equal(100 * 1.2, 121));`,
      '',
    ].join('\n'),
  );
  mkdirSync(join(work, '.claude'));
  writeFileSync(
    join(work, '.claude', 'settings.json'),
    JSON.stringify({ permissions: { allow: ['Bash(node --test)'] } }),
  );
  return work;
}

/** A transcript line pair: the model runs `command` in `cwd`, `output` comes back. */
function bashCall(session: string, n: number, command: string, cwd: string, ts: number, output: string): string[] {
  return bashCallLines({ id: `${session.slice(-4)}${n}`, session, command, cwd, ts, output });
}

/** Three sessions that each ran `node --test` in the project, with the suite's real output recorded. */
function history(work: string): string {
  const real = spawnSync('node', ['--test'], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(real.status).toBe(1);
  const output = `${real.stdout}${real.stderr}`;
  expect(output).toContain(FAILING);
  const root = join(dirs.make('ol-loop-data-'), 'projects', '-work-proj');
  mkdirSync(root, { recursive: true });
  const now = Date.now();
  for (let s = 0; s < 3; s++) {
    const session = `7c2e9a10-4b1d-4e8f-9a3c-00000000000${s}`;
    const t0 = now - (4 - s) * 3_600_000;
    const lines = [
      ...bashCall(session, 1, 'node --test', work, t0, output),
      ...bashCall(session, 2, 'git status', work, t0 + 60_000, 'On branch main\nnothing to commit'),
    ];
    writeFileSync(join(root, `${session}.jsonl`), `${lines.join('\n')}\n`);
  }
  return root;
}

/** `command` through `bash -c` in `cwd`, with the test's environment (as Claude Code's Bash tool runs it). */
function bash(
  t: DaemonTarget,
  command: string,
  cwd: string,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', command], { cwd, env: cliEnv(t), encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function preToolUse(cwd: string, command: string, mode: string): string {
  return JSON.stringify({
    session_id: '7c2e9a10-4b1d-4e8f-9a3c-0000000000ff',
    transcript_path: join(cwd, 'none.jsonl'),
    cwd,
    permission_mode: mode,
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: 'Run the tests' },
    tool_use_id: 'toolu_loop',
  });
}

interface Rewrite {
  hookSpecificOutput: {
    permissionDecision: string;
    permissionDecisionReason: string;
    updatedInput: { command: string };
  };
}

async function hook(t: DaemonTarget, input: string): Promise<CliResult> {
  const r = await runCli(['hook'], { ...t, env: { CLAUDE_PROJECT_DIR: undefined } }, { input });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  return r;
}

const fileOf = (t: DaemonTarget): OffloadFile | null => {
  try {
    return parseOffloadFile(readFileSync(join(t.stateDir, 'offload.json'), 'utf8'));
  } catch {
    return null;
  }
};

/** The run id named in the compact text's `outloop runs show ID` hint. */
function runIdOf(text: string): string {
  const m = /outloop runs show (\S+?)[\s\]`'"]/.exec(text);
  if (!m?.[1]) throw new Error(`no run id in:\n${text}`);
  return m[1];
}

/** The compact text of a failing `node --test`: counts, the failing name and location, the closing line. */
function expectCompactFailure(text: string): void {
  expect(text).toContain('1 failed, 40 passed');
  expect(text).toContain(`✗ ${FAILING}`);
  expect(text).toMatch(/cart\.test\.mjs:4/);
  expect(text).not.toContain('line 7 keeps its price');
  expect(text).toMatch(/\[outloop: \d+ lines, ~\d+ → ~\d+ tokens \(\d+% left out\)/);
  expect(text).toContain('outloop runs show ');
}

describe('the offload loop (e2e)', () => {
  it('history → pattern → run → approve → hook rewrite → bash -c → switches → measured savings', async () => {
    const t: DaemonTarget = { stateDir: dirs.make('ol-loop-'), socket: shortSocketPath() };
    targets.push(t);
    const work = project();
    const root = history(work);

    // (a) the history makes a pattern of `node --test`
    expect(ok<{ toolCalls: number }>(await runCli(['ingest', root, '--json'], t)).toolCalls).toBe(6);
    const node = ok<PatternSummary[]>(await runCli(['patterns', '--json'], t)).find((p) => p.signature === SIG);
    expect(node).toMatchObject({ status: 'detected', offload: false, offloadFamily: 'test' });
    const patternId = node!.id;

    // (b) a real failing suite through `outloop run`: its status, the failing test, the whole log kept private
    const ran = bash(t, `${process.execPath} ${CLI_PATH} run -- node --test`, work);
    expect(ran.status).toBe(1);
    expectCompactFailure(ran.stdout);
    const firstRun = runIdOf(ran.stdout);
    const log = join(t.stateDir, 'runs', `${firstRun}.log`);
    expect(statSync(log).mode & 0o777).toBe(0o600);
    const kept = readFileSync(log, 'utf8');
    expect(kept).toContain('line 7 keeps its price');
    expect(kept).toContain(FAILING);
    const shown = await runCli(['runs', 'show', firstRun], t);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('line 7 keeps its price');

    // the hook leaves an unapproved pattern alone
    expect((await hook(t, preToolUse(work, 'node --test', 'bypassPermissions'))).stdout).toBe('');

    // (c) approval: offload.json lists the pattern
    expect((await runCli(['approve', String(patternId)], t)).code).toBe(0);
    await vi.waitFor(
      () => expect(fileOf(t)).toMatchObject({ enabled: true, patterns: [{ signature: SIG, patternId }] }),
      {
        timeout: 2000,
        interval: 20,
      },
    );
    expect((await runCli(['offload', 'status'], t)).stdout).toMatch(new RegExp(`${patternId}\\s+${SIG}\\s+test`));

    // (d) the rewrite: in bypassPermissions, and in default mode through the project's allow rule
    const rewrites: string[] = [];
    for (const mode of ['bypassPermissions', 'default']) {
      const answer = JSON.parse((await hook(t, preToolUse(work, 'node --test', mode))).stdout) as Rewrite;
      expect(answer.hookSpecificOutput).toMatchObject({
        permissionDecision: 'allow',
        permissionDecisionReason: expect.stringContaining(`outloop: ${SIG} is offloaded`) as string,
      });
      rewrites.push(answer.hookSpecificOutput.updatedInput.command);
    }
    expect(rewrites[0]).toBe(`${process.execPath} ${CLI_PATH} run --pattern ${SIG} -- 'node --test'`);
    expect(rewrites[1]).toBe(rewrites[0]);
    for (const [command, mode] of [
      ['node --test && rm -rf test', 'bypassPermissions'],
      ['node --test; echo done', 'bypassPermissions'],
      ['npm install', 'bypassPermissions'],
      ['node --test', 'plan'],
    ] as const)
      expect((await hook(t, preToolUse(work, command, mode))).stdout, command).toBe('');
    // default mode without an allow rule for the command: no rewrite
    expect((await hook(t, preToolUse(work, 'node --test test/', 'default'))).stdout).toBe('');

    // (e) the rewritten command, run as Claude Code runs it
    const wrapped = bash(t, rewrites[0]!, work);
    expect(wrapped.status).toBe(1);
    expect(wrapped.stderr).toBe('');
    expectCompactFailure(wrapped.stdout);
    const secondRun = runIdOf(wrapped.stdout);
    expect(secondRun).not.toBe(firstRun);
    expect(readFileSync(join(t.stateDir, 'runs', `${secondRun}.log`), 'utf8')).toContain('line 40 keeps its price');
    // the wrapper refuses a command its pattern does not cover
    const refused = bash(t, `${process.execPath} ${CLI_PATH} run --pattern ${SIG} -- 'npm install'`, work);
    expect(refused.status).toBe(126);
    expect(refused.stdout).toBe('');

    // (f) the switches: all off, back on, then off for this pattern alone
    const bypass = preToolUse(work, 'node --test', 'bypassPermissions');
    expect((await runCli(['offload', 'off'], t)).code).toBe(0);
    await vi.waitFor(() => expect(fileOf(t)?.enabled).toBe(false), { timeout: 2000, interval: 20 });
    expect((await hook(t, bypass)).stdout).toBe('');
    expect((await runCli(['offload', 'on'], t)).code).toBe(0);
    await vi.waitFor(() => expect(fileOf(t)?.enabled).toBe(true), { timeout: 2000, interval: 20 });
    expect(JSON.parse((await hook(t, bypass)).stdout)).toHaveProperty('hookSpecificOutput.permissionDecision', 'allow');
    expect((await runCli(['offload', 'off', SIG], t)).code).toBe(0);
    await vi.waitFor(() => expect(fileOf(t)?.patterns).toEqual([]), { timeout: 2000, interval: 20 });
    expect((await hook(t, bypass)).stdout).toBe('');
    const off = bash(t, rewrites[0]!, work);
    expect(off.status).toBe(126);

    // (g) measured savings: the two runs (from their spooled reports), and the replay of the history
    const today = new Date().toISOString().slice(0, 10);
    let offloadRun: NonNullable<SavingsSummary['period']>['byType'][number] | undefined;
    await vi.waitFor(
      async () => {
        const s = ok<SavingsSummary>(await runCli(['savings', '--since', today, '--json'], t));
        offloadRun = s.period?.byType.find((b) => b.type === 'offload_run');
        expect(offloadRun?.runs).toBe(2);
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(offloadRun!.rawTokens).toBeGreaterThan(1000);
    expect(offloadRun!.compactTokens).toBeGreaterThan(0);
    expect(offloadRun!.compactTokens).toBeLessThan(offloadRun!.rawTokens / 4);
    expect(offloadRun!.tokens).toBe(offloadRun!.rawTokens - offloadRun!.compactTokens);
    // all time (no period): the same row, with the same measured sides
    const allTime = ok<SavingsSummary>(await runCli(['savings', '--json'], t));
    expect(allTime.byType).toEqual([
      {
        type: 'offload_run',
        usd: expect.any(Number) as number,
        tokens: offloadRun!.tokens,
        rawTokens: offloadRun!.rawTokens,
        compactTokens: offloadRun!.compactTokens,
      },
    ]);
    expect(allTime.tokensSavedAllTime).toBe(offloadRun!.tokens);

    const replay = ok<SavingsReplayResult>(await runCli(['savings', '--replay', '--json'], t));
    expect(replay.totals.calls).toBeGreaterThanOrEqual(6);
    expect(replay.totals.rawTokens).toBeGreaterThan(replay.totals.compactTokens);
    const byNode = replay.byPattern.find((g) => g.key === SIG);
    expect(byNode?.calls).toBe(3);
    expect(byNode!.rawTokens).toBeGreaterThan(byNode!.compactTokens * 4);
  });
});
