/**
 * Replay figures refresh by themselves: after history is ingested, with no `savings --replay` asked and
 * no TUI connected, the daemon replays the recorded outputs once things settle, and `patterns` and
 * `analyze` price the pattern's tool side as measured (replay).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { compact } from '../../src/core/compact/index.js';
import type { AnalyzeResult, PatternSummary } from '../../src/rpc/protocol.js';
import { runCli, type DaemonTarget } from '../helpers/cli.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons, okJson as ok } from '../helpers/e2e-daemons.js';

const { dirs, targets } = e2eDaemons({ stopGracefully: true });

const SESSIONS = 6;
const OUTPUT = `${Array.from({ length: 300 }, (_, i) => ` ✓ src/m${i}.test.ts (3 tests) ${i % 9} ms`).join('\n')}\n Test Files  300 passed (300)`;

/** Six sessions of the last hours, each running `npx vitest run` once with a long passing output. */
function transcripts(): string {
  const root = join(dirs.make('ol-replay-bg-data-'), 'projects', '-home-ana-shop');
  mkdirSync(root, { recursive: true });
  const now = Date.now();
  for (let s = 0; s < SESSIONS; s++) {
    const session = `9d0c1b2a-3e4f-4a5b-8c6d-00000000001${s}`;
    const ms = now - (s + 1) * 3_600_000;
    const output = OUTPUT;
    const base = { sessionId: session, cwd: '/home/ana/shop', isSidechain: false, version: '2.1.63' };
    const lines = [
      {
        ...base,
        type: 'assistant',
        uuid: `a-${s}`,
        timestamp: new Date(ms).toISOString(),
        requestId: `req_${s}`,
        message: {
          id: `msg_${s}`,
          model: 'claude-sonnet-4-5',
          role: 'assistant',
          content: [{ type: 'tool_use', id: `toolu_${s}`, name: 'Bash', input: { command: 'npx vitest run' } }],
          usage: {
            input_tokens: 5000,
            output_tokens: 2000,
            cache_read_input_tokens: 200_000,
            cache_creation_input_tokens: 20_000,
          },
        },
      },
      {
        ...base,
        type: 'user',
        uuid: `u-${s}`,
        timestamp: new Date(ms + 4000).toISOString(),
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${s}`, content: output }] },
        toolUseResult: { stdout: output, stderr: '', interrupted: false, isImage: false },
      },
    ];
    writeFileSync(join(root, `${session}.jsonl`), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  }
  return root;
}

describe('background replay (e2e)', () => {
  it('patterns and analyze read measured (replay) figures without a replay being asked for', async () => {
    const t: DaemonTarget = {
      stateDir: dirs.make('ol-replay-bg-'),
      socket: shortSocketPath(),
      env: { PATH: dirname(process.execPath), OUTLOOP_GH: undefined },
    };
    targets.push(t);
    expect(ok<{ toolCalls: number }>(await runCli(['ingest', transcripts(), '--json'], t)).toolCalls).toBe(SESSIONS);

    let vitest: PatternSummary | undefined;
    await vi.waitFor(
      async () => {
        const patterns = ok<PatternSummary[]>(await runCli(['patterns', '--json'], t));
        vitest = patterns.find((p) => p.signature.startsWith('test:vitest:'));
        expect(vitest?.toolTokenBasis).toBe('measured (replay)');
      },
      { timeout: 20_000, interval: 250 },
    );
    // every session printed the same output: the average is its compact size
    expect(vitest!.avgTokensWithTool).toBe(compact('npx vitest run', OUTPUT, 0).compactTokens);

    const analyzed = ok<AnalyzeResult>(await runCli(['analyze', '--json'], t));
    expect(analyzed.candidates).toMatchObject([
      { id: vitest!.id, monthlySavingsUsd: vitest!.monthlySavingsUsd, occurrences: SESSIONS },
    ]);
  });
});
