/**
 * `outloop savings` end to end: a transcript ingested by the real daemon, then the replay of its Bash
 * outputs (`--replay --json` and the labelled text), the measured runs view, and bad periods refused
 * by the CLI (exit 2) and on the wire (-32602).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult, type DaemonTarget } from '../helpers/cli.js';
import { rawCall } from '../helpers/raw-socket.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, targets } = e2eDaemons({ stopGracefully: true });

function newTarget(): DaemonTarget & { socket: string } {
  const t = { stateDir: dirs.make('ol-sav-e2e-'), socket: shortSocketPath(), env: {} };
  targets.push(t);
  return t;
}

function json(r: CliResult): Record<string, unknown> {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const SESSION = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const T0 = Date.parse('2026-10-05T10:00:00Z');

function call(id: string, ms: number, command: string, output: string): string[] {
  const line = { sessionId: SESSION, cwd: '/home/ana/proj', isSidechain: false, version: '2.1.63' };
  const assistant = {
    ...line,
    type: 'assistant',
    uuid: `a-${id}`,
    timestamp: new Date(ms).toISOString(),
    message: {
      id: `msg_${id}`,
      model: 'claude-sonnet-4-5',
      role: 'assistant',
      content: [{ type: 'tool_use', id, name: 'Bash', input: { command } }],
      usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    },
  };
  const user = {
    ...line,
    type: 'user',
    uuid: `u-${id}`,
    timestamp: new Date(ms + 2000).toISOString(),
    message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: output }] },
    toolUseResult: { stdout: output, stderr: '', interrupted: false, isImage: false },
  };
  return [JSON.stringify(assistant), JSON.stringify(user)];
}

const many = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');

async function ingested(t: DaemonTarget): Promise<void> {
  const dir = join(dirs.make('ol-sav-src-'), 'projects', '-home-ana-proj');
  mkdirSync(dir, { recursive: true });
  const lines = [
    ...call(
      'toolu_1',
      T0,
      'npx vitest run',
      many(300, (i) => ` ✓ src/m${i}.test.ts (3 tests) ${i} ms`),
    ),
    ...call(
      'toolu_2',
      T0 + 60_000,
      'npm run build',
      many(200, (i) => `building chunk ${i} of 200...`),
    ),
    ...call('toolu_3', T0 + 120_000, 'echo done', 'done'),
  ];
  writeFileSync(join(dir, `${SESSION}.jsonl`), `${lines.join('\n')}\n`);
  expect(json(await runCli(['ingest', dir, '--json'], t))).toMatchObject({ toolCalls: 3, usageRecords: 3 });
}

describe('outloop savings (e2e)', () => {
  it('--replay --json: every recorded Bash output replayed, per family and per pattern, sums consistent', async () => {
    const t = newTarget();
    await ingested(t);
    const r = json(await runCli(['savings', '--replay', '--json'], t));
    expect(r['basis']).toBe('measured (replay)');
    const totals = r['totals'] as Record<string, number>;
    expect(totals['calls']).toBe(3);
    expect(totals['savedTokens']).toBe(totals['rawTokens']! - totals['compactTokens']!);
    expect(totals['compactTokens']).toBeLessThan(totals['rawTokens']!);
    expect(totals['savedUsd']).toBeGreaterThan(0);
    const families = r['byFamily'] as Record<string, number>[];
    expect(families.reduce((n, f) => n + f['calls']!, 0)).toBe(3);
    expect(families.reduce((n, f) => n + f['rawTokens']!, 0)).toBe(totals['rawTokens']);
    expect((r['byPattern'] as unknown[]).length).toBeGreaterThan(0);
    expect(r['periodTokens']).toBe(3 * 150);
    expect(typeof r['carryOverLabel']).toBe('string');

    // the patterns list now prices the tool side from the replay: measured (replay), not estimated
    const patterns = JSON.parse((await runCli(['patterns', '--json'], t)).stdout) as Record<string, unknown>[];
    const vitest = patterns.find((p) => (p['examples'] as string[]).includes('vitest run'));
    expect(vitest?.['toolTokenBasis']).toBe('measured (replay)');

    const later = json(await runCli(['savings', '--replay', '--since', '2026-10-06', '--json'], t));
    expect((later['totals'] as Record<string, number>)['calls']).toBe(0);
    expect(later['since']).toBe('2026-10-06');

    const text = await runCli(['savings', '--replay'], t);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('measured (replay)');
    expect(text.stdout).toContain('By family');
    expect(text.stdout).toContain('carry-over');
  });

  it('without --replay: the measured runs, labelled; bad periods exit 2 and answer -32602 on the wire', async () => {
    const t = newTarget();
    const s = json(await runCli(['savings', '--json', '--since', '2026-10-01'], t));
    expect(s).toMatchObject({ allTimeUsd: 0, period: { since: '2026-10-01', until: null, runs: 0, byType: [] } });
    const text = await runCli(['savings'], t);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('measured (runs)');

    const bad = await runCli(['savings', '--replay', '--since', '2026-13-45', '--json'], t);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      error: { type: 'invalid_argument', message: expect.stringMatching(/since must be YYYY-MM-DD/) as unknown },
    });
    const reversed = await runCli(['savings', '--replay', '--since', '2026-10-05', '--until', '2026-10-01'], t);
    expect(reversed.code).toBe(2);

    for (const params of [{ since: 20261005 }, { until: 'yesterday' }, { since: '2026-10-05T00:00' }]) {
      const answer = (await rawCall(
        t.socket,
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'savings/replay', params }),
      )) as { error?: { code: number } };
      expect(answer.error?.code).toBe(-32602);
    }
  });
});
