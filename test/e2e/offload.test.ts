import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseOffloadFile, type OffloadFile } from '../../src/core/offload/offload-file.js';
import type {
  OffloadSetResult,
  OffloadStatusResult,
  PatternSummary,
  RouteResult,
  SavingsSummary,
} from '../../src/rpc/protocol.js';
import { runCli, type DaemonTarget } from '../helpers/cli.js';
import { RawConnection } from '../helpers/raw-socket.js';
import { bashCallLines } from '../helpers/bash-transcript.js';
import { e2eDaemons, okJson as ok } from '../helpers/e2e-daemons.js';

const { dirs, connections, newTarget: targetIn } = e2eDaemons({ stopGracefully: true });

const newTarget = (): DaemonTarget => targetIn('ol-offload-e2e-');

/** A transcript line pair: the model runs `command` in Bash in `cwd`, the output comes back. */
function bashCall(session: string, n: number, command: string, cwd: string, ts: number): string[] {
  const output = 'tests/test_cart.py::test_total PASSED\n'.repeat(100);
  return bashCallLines({ id: `${session.slice(-6)}-${n}`, session, command, cwd, ts, output });
}

/** A project whose `make test` prints a long, repetitive run, and two sessions that ran it (and more). */
function history(): { root: string; work: string } {
  const work = dirs.make('ol-offload-work-');
  writeFileSync(
    join(work, 'Makefile'),
    'test:\n\t@for i in $$(seq 1 300); do echo "tests/test_cart.py::test_$$i PASSED"; done; echo "300 passed in 1.20s"\n',
  );
  const root = join(dirs.make('ol-offload-data-'), 'projects', '-home-ana-proj');
  mkdirSync(root, { recursive: true });
  const now = Date.now();
  for (let s = 0; s < 2; s++) {
    const session = `5b1f0c2e-8a44-4b8e-9a7c-00000000000${s}`;
    const t0 = now - (3 - s) * 3_600_000;
    const lines = [
      ...bashCall(session, 1, 'make test', work, t0),
      ...bashCall(session, 2, 'npx eslint .', work, t0 + 60_000),
      ...bashCall(session, 3, 'curl -s https://example.com/health', work, t0 + 120_000),
    ];
    writeFileSync(join(root, `${session}.jsonl`), `${lines.join('\n')}\n`);
  }
  return { root, work };
}

async function rpcReply(
  t: DaemonTarget,
  method: string,
  params: unknown,
): Promise<{ result?: unknown; error?: { code: number; data?: { kind?: string } } }> {
  const c = await RawConnection.open(t.socket ?? '');
  connections.push(c);
  return (await c.call(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), 30_000)) as {
    result?: unknown;
    error?: { code: number; data?: { kind?: string } };
  };
}

async function patternOf(t: DaemonTarget, id: number): Promise<PatternSummary | undefined> {
  return ok<PatternSummary[]>(await runCli(['patterns', '--json'], t)).find((p) => p.id === id);
}

const fileOf = (t: DaemonTarget): OffloadFile | null => {
  try {
    return parseOffloadFile(readFileSync(join(t.stateDir, 'offload.json'), 'utf8'));
  } catch {
    return null;
  }
};

/** The file as `offload/status` describes it: the same switch and the same patterns. */
function sameAsStatus(file: OffloadFile | null, s: OffloadStatusResult): void {
  expect(file?.enabled).toBe(s.enabled);
  expect(file?.patterns).toEqual(
    s.patterns.map((p) => ({ signature: p.signature, patternId: p.id, family: p.family })),
  );
}

/** Waits (up to a second) until the file says what `expected` says. */
async function fileBecomes(t: DaemonTarget, expected: Partial<OffloadFile>): Promise<void> {
  await vi.waitFor(() => expect(fileOf(t)).toMatchObject(expected), { timeout: 1000, interval: 10 });
}

describe('offload (e2e)', () => {
  it('approval offloads, switches and reviews take it back, offload.json follows within a second', async () => {
    const t = newTarget();
    const { root, work } = history();
    expect(ok<{ toolCalls: number }>(await runCli(['ingest', root, '--json'], t)).toolCalls).toBe(6);
    const patterns = ok<PatternSummary[]>(await runCli(['patterns', '--json'], t));
    const make = patterns.find((p) => p.signature === 'test:make:all');
    const eslint = patterns.find((p) => p.signature === 'lint:eslint:all');
    const curl = patterns.find((p) => p.signature === 'other:curl:all');
    if (!make || !eslint || !curl) throw new Error(`not learned: ${patterns.map((p) => p.signature).join(', ')}`);
    expect(make).toMatchObject({ offload: false, offloadFamily: 'test' });
    expect(curl).toMatchObject({ offload: false, offloadFamily: null });

    // written at start, private, nothing offloaded yet
    const path = join(t.stateDir, 'offload.json');
    expect(fileOf(t)).toMatchObject({ v: 1, enabled: true, patterns: [] });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(t.stateDir).mode & 0o777).toBe(0o700);

    // not approved, or no compactor: a clear refusal, exit 1
    const early = await runCli(['offload', 'on', 'test:make:all'], t);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('is detected: only an approved pattern can be offloaded');
    expect((await runCli(['approve', String(curl.id)], t)).code).toBe(0);
    const plain = await runCli(['offload', 'on', String(curl.id), '--json'], t);
    expect(plain.code).toBe(1);
    expect(JSON.parse(plain.stdout)).toMatchObject({ error: { type: 'conflict' } });
    expect(plain.stderr).toContain('has no compactor');

    // approval turns it on
    expect((await runCli(['approve', String(make.id)], t)).code).toBe(0);
    await fileBecomes(t, {
      enabled: true,
      patterns: [{ signature: 'test:make:all', patternId: make.id, family: 'test' }],
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const status = ok<OffloadStatusResult>(await runCli(['offload', 'status', '--json'], t));
    expect(status).toMatchObject({ enabled: true, file: path });
    sameAsStatus(fileOf(t), status);
    const text = await runCli(['offload', 'status'], t);
    expect(text.stdout).toContain('offload: on');
    expect(text.stdout).toMatch(new RegExp(`${make.id}\\s+test:make:all\\s+test\\s+approved`));

    // route: the recorded command runs in its directory, the answer is compact, the saving measured
    const marker = join(work, 'pwned');
    const routed = ok<RouteResult>(
      await runCli(['route', `run the tests $(touch ${marker})`, '--threshold', '1', '--json'], t),
    );
    expect(routed).toMatchObject({
      decision: 'tool',
      pattern: { id: make.id, signature: 'test:make:all' },
      tool: { name: 'outloop-run', argv: ['bash', '-c', 'make test'] },
      result: { exitCode: 0 },
    });
    expect(existsSync(marker)).toBe(false);
    expect(routed.result?.output).toContain('300 passed in 1.20s');
    expect(routed.result?.output).toMatch(/\[outloop: 301 lines, ~\d+ → ~\d+ tokens \(\d+% left out\)\]/);
    expect(routed.tokensSaved).toBeGreaterThan(1000);
    const savings = (await rpcReply(t, 'savings/summary', { days: 7 })).result as SavingsSummary;
    expect(savings).toMatchObject({ tokensSavedAllTime: routed.tokensSaved, byType: [{ type: 'pattern_offload' }] });

    // off and on for one pattern
    expect(ok<OffloadSetResult>(await runCli(['offload', 'off', 'test:make:all', '--json'], t))).toMatchObject({
      changed: true,
      pattern: { id: make.id, offload: false },
    });
    await fileBecomes(t, { patterns: [] });
    expect(ok<RouteResult>(await runCli(['route', 'run the tests', '--json'], t)).decision).toBe('llm');
    expect((await runCli(['offload', 'on', String(make.id)], t)).stdout).toBe(
      `offload on for pattern ${make.id} test:make:all (test)\n`,
    );
    await fileBecomes(t, { patterns: [{ signature: 'test:make:all', patternId: make.id, family: 'test' }] });

    // the kill switch
    expect((await runCli(['offload', 'off'], t)).stdout).toContain('offload switched off');
    await fileBecomes(t, { enabled: false });
    expect(fileOf(t)?.patterns).toHaveLength(1);
    sameAsStatus(fileOf(t), ok<OffloadStatusResult>(await runCli(['offload', 'status', '--json'], t)));
    expect((await runCli(['offload', 'status'], t)).stdout).toContain('offload: OFF for every pattern');
    expect((await runCli(['status'], t)).stdout).toContain('offload    switched off for every pattern');
    expect(ok<{ offloadEnabled: boolean }>(await runCli(['status', '--json'], t)).offloadEnabled).toBe(false);
    expect(ok<RouteResult>(await runCli(['route', 'run the tests', '--json'], t)).decision).toBe('llm');
    expect(ok<OffloadSetResult>(await runCli(['offload', 'on', '--json'], t))).toEqual({
      changed: true,
      enabled: true,
      pattern: null,
    });
    await fileBecomes(t, { enabled: true });

    // a rejected pattern is never offloaded; an undone approval and a deprecation take it out
    expect((await runCli(['reject', String(eslint.id)], t)).code).toBe(0);
    expect(await patternOf(t, eslint.id)).toMatchObject({ status: 'rejected', offload: false });
    expect((await rpcReply(t, 'patterns/undo', { id: eslint.id })).error).toBeUndefined();
    expect((await runCli(['approve', String(eslint.id)], t)).code).toBe(0);
    await vi.waitFor(() => expect(fileOf(t)?.patterns.map((p) => p.family)).toEqual(['test', 'lint']), {
      timeout: 1000,
      interval: 10,
    });
    expect((await rpcReply(t, 'patterns/undo', { id: eslint.id })).error).toBeUndefined();
    await fileBecomes(t, { patterns: [{ signature: 'test:make:all', patternId: make.id, family: 'test' }] });
    expect((await runCli(['deprecate', String(make.id)], t)).code).toBe(0);
    await fileBecomes(t, { enabled: true, patterns: [] });
    sameAsStatus(fileOf(t), ok<OffloadStatusResult>(await runCli(['offload', 'status', '--json'], t)));

    // restarted, the daemon writes the file again from the store
    expect((await runCli(['stop'], t)).code).toBe(0);
    rmSync(path);
    expect((await runCli(['offload', 'status', '--json'], t)).code).toBe(0);
    expect(fileOf(t)).toMatchObject({ enabled: true, patterns: [] });
  });

  it('refuses bad params with -32602 and bad usage with exit 2', async () => {
    const t = newTarget();
    expect((await runCli(['offload', 'status', '--json'], t)).code).toBe(0);
    for (const params of [
      {},
      { on: 'yes' },
      { on: true, patternId: 0 },
      { on: true, patternId: 1.5 },
      { on: true, signature: '' },
      { on: true, signature: 42 },
      { on: true, signature: 'test:make:all', patternId: 1 },
      [],
    ]) {
      const reply = await rpcReply(t, 'offload/set', params);
      expect(reply.error, JSON.stringify(params)).toMatchObject({ code: -32602, data: { kind: 'invalid_argument' } });
    }
    expect((await rpcReply(t, 'offload/set', { on: true, signature: 'no:such:pattern' })).error).toMatchObject({
      data: { kind: 'not_found' },
    });
    expect((await rpcReply(t, 'offload/status', { unknown: 1 })).result).toMatchObject({ enabled: true, patterns: [] });
    expect((await runCli(['offload'], t)).code).toBe(2);
    expect((await runCli(['offload', 'maybe'], t)).code).toBe(2);
    expect((await runCli(['offload', 'status', 'x'], t)).code).toBe(2);
    expect((await runCli(['offload', 'on', 'a', 'b'], t)).code).toBe(2);
    const missing = await runCli(['offload', 'off', '12345', '--json'], t);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { type: 'not_found' } });
  });
});
