import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PatternSummary, RouteResult, SavingsSummary, ToolInfo } from '../../src/rpc/protocol.js';
import { runCli, type DaemonTarget } from '../helpers/cli.js';
import { RawConnection } from '../helpers/raw-socket.js';
import { bashCallLines } from '../helpers/bash-transcript.js';
import { e2eDaemons, okJson as ok } from '../helpers/e2e-daemons.js';

const { dirs, connections, newTarget: targetIn } = e2eDaemons({ stopGracefully: true });

const newTarget = (): DaemonTarget => targetIn('ol-route-e2e-');

/** A Claude Code transcript line pair: the model runs `command` in Bash, the result comes back. */
function bashCall(session: string, n: number, command: string, ts: number, responseBytes: number): string[] {
  const output = 'tests/test_cart.py::test_total PASSED\n'
    .repeat(Math.ceil(responseBytes / 38))
    .slice(0, responseBytes);
  return bashCallLines({ id: `${session.slice(-6)}-${n}`, session, command, cwd: '/home/ana/proj', ts, output });
}

/** Three sessions that each ran the test suite and the linter: two patterns to approve. */
function transcripts(): string {
  const root = join(dirs.make('ol-route-data-'), 'projects', '-home-ana-proj');
  mkdirSync(root, { recursive: true });
  const now = Date.now();
  for (let s = 0; s < 3; s++) {
    const session = `5b1f0c2e-8a44-4b8e-9a7c-00000000000${s}`;
    const t0 = now - (3 - s) * 3_600_000;
    const lines = [
      ...bashCall(session, 1, 'pytest tests/ -q', t0, 8000),
      ...bashCall(session, 2, 'npx eslint .', t0 + 60_000, 2000),
    ];
    writeFileSync(join(root, `${session}.jsonl`), `${lines.join('\n')}\n`);
  }
  return root;
}

function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function rpc<T>(t: DaemonTarget, method: string, params: unknown): Promise<T> {
  const c = await RawConnection.open(t.socket ?? '');
  connections.push(c);
  const reply = (await c.call(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), 30_000)) as {
    result?: T;
    error?: unknown;
  };
  if (reply.error !== undefined) throw new Error(`rpc ${method} failed: ${JSON.stringify(reply.error)}`);
  return reply.result as T;
}

describe('outloop route (e2e)', () => {
  it('routes to a registered script for an approved pattern, falls back to the LLM otherwise, and disables a failing tool', async () => {
    const t = newTarget();
    const work = dirs.make('ol-route-work-');
    const tools = dirs.make('ol-route-tools-');
    expect(ok<{ toolCalls: number }>(await runCli(['ingest', transcripts(), '--json'], t)).toolCalls).toBe(6);
    const patterns = ok<PatternSummary[]>(await runCli(['patterns', '--json'], t));
    const pytest = patterns.find((p) => p.signature === 'test:pytest:all');
    const eslint = patterns.find((p) => p.signature === 'lint:eslint:all');
    if (!pytest || !eslint) throw new Error(`patterns not learned: ${patterns.map((p) => p.signature).join(', ')}`);
    expect(pytest.avgTokensWithLlm).toBeGreaterThan(2000);

    // registering before approval: the tool waits, nothing routes
    const runner = script(tools, 'run-tests.sh', `cat > "${tools}/last-request.json"\necho "5 passed in 0.12s"`);
    const reg = ok<ToolInfo>(
      await runCli(
        [
          'tools',
          'register',
          '--name',
          'pytest-runner',
          '--signature',
          'test:pytest:all',
          '--trigger',
          'run the tests',
          '--trigger',
          'run pytest',
          '--json',
          '--',
          runner,
          '-q',
        ],
        t,
      ),
    );
    expect(reg).toMatchObject({
      name: 'pytest-runner',
      patternId: pytest.id,
      argv: [runner, '-q'],
      triggers: ['run the tests', 'run pytest'],
      timeoutMs: 600_000,
      outputCapBytes: 1_048_576,
      cwdPolicy: 'request',
      enabled: true,
      routable: false,
    });
    const before = ok<RouteResult>(await runCli(['route', 'run the tests', '--json'], t));
    expect(before).toMatchObject({
      decision: 'llm',
      reason: 'no routable tool: register a tool for an approved pattern (outloop tools register)',
    });

    expect((await runCli(['approve', String(pytest.id)], t)).code).toBe(0);

    // a matching request: the script runs with the request as JSON on stdin, savings are logged
    const routed = ok<RouteResult>(
      await runCli(['route', 'please', 'run', 'the', 'tests', '--cwd', work, '--json'], t),
    );
    expect(routed).toMatchObject({
      decision: 'tool',
      pattern: { id: pytest.id, signature: 'test:pytest:all', status: 'approved' },
      similarity: 100,
      tool: { name: 'pytest-runner' },
      result: { exitCode: 0, summary: '5 passed in 0.12s', output: '5 passed in 0.12s\n', truncated: false },
      reason: 'ran pytest-runner: 5 passed in 0.12s',
    });
    // 35 bytes back to the caller → 9 tool tokens
    expect(routed.tokensSaved).toBe(pytest.avgTokensWithLlm - 9);
    expect(routed.costSavedUsd).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(tools, 'last-request.json'), 'utf8'))).toEqual({
      input: 'please run the tests',
      cwd: work,
      workflowType: null,
      pattern: { id: pytest.id, signature: 'test:pytest:all' },
      tool: 'pytest-runner',
    });
    const savings = await rpc<SavingsSummary>(t, 'savings/summary', { days: 7 });
    expect(savings).toMatchObject({
      tokensSavedAllTime: routed.tokensSaved,
      allTimeUsd: routed.costSavedUsd,
      byType: [{ type: 'pattern_offload' }],
    });
    const after = ok<PatternSummary[]>(await runCli(['patterns', '--json'], t)).find((p) => p.id === pytest.id);
    expect(after).toMatchObject({ avgTokensWithTool: 9, toolTokenBasis: 'measured', toolName: 'pytest-runner' });
    const text = await runCli(['route', 'run pytest', '--cwd', work], t);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^tool test:pytest:all via pytest-runner \(similarity 100/);
    expect(text.stdout).toContain('exit 0 in ');

    // shell metacharacters reach the tool only as JSON data
    const marker = join(work, 'pwned');
    const nasty = `run the tests; rm -rf ${work} \`touch ${marker}\` $(touch ${marker}) && echo $HOME`;
    const meta = ok<RouteResult>(await runCli(['route', nasty, '--threshold', '1', '--cwd', work, '--json'], t));
    expect(meta.decision).toBe('tool');
    expect(JSON.parse(readFileSync(join(tools, 'last-request.json'), 'utf8'))).toMatchObject({ input: nasty });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(work)).toBe(true);

    // not a match: the LLM
    const other = ok<RouteResult>(await runCli(['route', 'write a haiku about autumn leaves', '--json'], t));
    expect(other).toMatchObject({
      decision: 'llm',
      result: null,
      tokensSaved: 0,
      reason: 'no approved pattern matches the request',
    });
    expect(ok<RouteResult>(await runCli(['route', '', '--json'], t))).toMatchObject({
      decision: 'llm',
      reason: 'empty input: nothing to match',
    });
    const huge = await rpc<RouteResult>(t, 'route', { input: 'x'.repeat(1_000_000) });
    expect(huge.decision).toBe('llm');

    // a failing tool: llm with the reason every time, disabled after five runs below 80%
    expect((await runCli(['approve', String(eslint.id)], t)).code).toBe(0);
    const broken = script(tools, 'lint.sh', 'echo "eslint: config not found" >&2\nexit 2');
    ok<ToolInfo>(
      await runCli(
        [
          'tools',
          'register',
          '--name',
          'linter',
          '--signature',
          'lint:eslint:all',
          '--trigger',
          'run the linter',
          '--json',
          '--',
          broken,
        ],
        t,
      ),
    );
    for (let i = 1; i <= 5; i++) {
      const r = ok<RouteResult>(await runCli(['route', 'run the linter', '--cwd', work, '--json'], t));
      expect(r).toMatchObject({
        decision: 'llm',
        tool: { name: 'linter' },
        result: { exitCode: 2, summary: 'eslint: config not found' },
        tokensSaved: 0,
      });
      expect(r.reason).toBe(
        `tool linter failed: exit code 2: eslint: config not found${i === 5 ? '; disabled automatically: success rate 0% over 5 runs is below 80%' : ''}`,
      );
    }
    const list = ok<ToolInfo[]>(await runCli(['tools', 'list', '--json'], t));
    expect(list.find((x) => x.name === 'linter')).toMatchObject({
      enabled: false,
      routable: false,
      runs: 5,
      successes: 0,
      successRate: 0,
      disabledReason: 'disabled automatically: success rate 0% over 5 runs is below 80%',
    });
    const table = await runCli(['tools', 'list'], t);
    expect(table.stdout).toContain('disabled (disabled automatically: success rate 0% over 5 runs is below 80%)');
    expect(ok<RouteResult>(await runCli(['route', 'run the linter', '--json'], t)).decision).toBe('llm');
    const status = ok<{ counts: { toolCalls: number } }>(await runCli(['status', '--json'], t));
    expect(status.counts.toolCalls).toBe(6 + 3 + 5); // learned calls, three routed runs, five failed ones

    // a person enables it again: a fresh record
    expect(ok<ToolInfo>(await runCli(['tools', 'enable', 'linter', '--json'], t))).toMatchObject({
      enabled: true,
      runs: 0,
      routable: true,
    });
  });

  it('refuses bad registrations with a clear message', async () => {
    const t = newTarget();
    const missing = await runCli(
      ['tools', 'register', '--name', 'x', '--signature', 'test:pytest:all', '--json', '--', '/nonexistent/run.sh'],
      t,
    );
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { type: 'invalid_argument' } });
    expect(missing.stderr).toContain('/nonexistent/run.sh does not exist');
    const noCommand = await runCli(['tools', 'register', '--name', 'x', '--signature', 's'], t);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('register needs the command after --');
    const unknown = await runCli(['tools', 'disable', 'nope', '--json'], t);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { type: 'not_found' } });
    expect((await runCli(['route', '--threshold', '500', 'x'], t)).code).toBe(2);
  });
});
