import { describe, expect, it } from 'vitest';
import type { PathLists, StoredCall } from '../../../src/core/records/stored-call.js';
import { callFromFragment, combineCall, isEnded, type HookSide } from '../../../src/core/records/tool-call-merge.js';
import type { ToolCallFragment } from '../../../src/core/types.js';

const NOW = '2026-03-02T10:00:00.000Z';
const KEY = 'toolu_merge_1';

/** One source's view of a call: a fragment and, for a hook, which half it is. */
interface Piece {
  name: string;
  f: ToolCallFragment;
  side?: HookSide;
}

const base = { callKey: KEY, toolUseId: KEY, sessionId: 'sess-m' };

/** A Bash call seen by a hook (Pre and Post) and by a transcript (tool_use and tool_result). */
const PIECES: Piece[] = [
  {
    name: 'hook pre',
    side: 'pre',
    f: {
      ...base,
      source: 'hook',
      toolName: 'Bash',
      command: 'npm test',
      cwd: '/w',
      inputJson: '{"command":"npm test"}',
      inputBytes: 22,
    },
  },
  {
    name: 'hook post',
    side: 'post',
    f: {
      ...base,
      source: 'hook',
      toolName: 'Bash',
      command: 'npm test',
      cwd: '/w',
      exitCode: 1,
      isError: true,
      durationMs: 1500,
      responseBytes: 300,
    },
  },
  {
    name: 'transcript use',
    f: {
      ...base,
      source: 'transcript',
      toolName: 'Bash',
      command: 'npm test',
      inputJson: '{"command":"npm test","description":"run the tests"}',
      inputBytes: 52,
      startedAt: '2026-03-02T09:00:00.000Z',
      model: 'claude-sonnet-4-5',
    },
  },
  {
    name: 'transcript result',
    f: {
      ...base,
      source: 'transcript',
      endedAt: '2026-03-02T09:00:04.000Z',
      isError: true,
      responseBytes: 280,
      filePaths: ['/w/src/a.ts'],
    },
  },
];

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}

function merged(order: readonly Piece[]): StoredCall {
  const [first, ...rest] = order;
  if (!first) throw new Error('no fragment');
  let call = callFromFragment(first.f, null, first.side, NOW);
  for (const p of rest) call = combineCall(call, p.f, null, p.side, NOW);
  return call;
}

describe('merging the fragments of one tool call', () => {
  it('gives the same call in every order the fragments arrive in', () => {
    const orders = permutations(PIECES);
    expect(orders).toHaveLength(24);
    const reference = merged(PIECES);
    for (const order of orders)
      expect({ order: order.map((p) => p.name), call: merged(order) }).toEqual({
        order: order.map((p) => p.name),
        call: reference,
      });
  });

  it('keeps the richest input, the largest sizes, the failure, the measured duration and every source', () => {
    expect(merged(PIECES)).toMatchObject({
      call_key: KEY,
      tool_name: 'Bash',
      command: 'npm test',
      cwd: '/w',
      model: 'claude-sonnet-4-5',
      input_json: '{"command":"npm test","description":"run the tests"}',
      input_bytes: 52,
      response_bytes: 300,
      est_tokens: 88,
      exit_code: 1,
      is_error: 1,
      interrupted: 0,
      duration_ms: 1500,
      started_at: '2026-03-02T09:00:00.000Z',
      ended_at: '2026-03-02T09:00:04.000Z',
      ts_ms: Date.parse('2026-03-02T09:00:00.000Z'),
      sources: 'hook-post,hook-pre,transcript',
      file_paths: '["/w/src/a.ts"]',
      loaded_paths: null,
      context_facts: null,
      learned: 0,
      updated_at: NOW,
    });
  });

  it('takes the duration from the times when no source measured it', () => {
    const transcriptOnly = PIECES.filter((p) => p.f.source === 'transcript');
    expect(merged(transcriptOnly).duration_ms).toBe(4000);
    expect(merged([...transcriptOnly].reverse()).duration_ms).toBe(4000);
  });

  it('ranks exit codes: unknown, then success, then failures by code', () => {
    const exit = (...codes: (number | null)[]): number | null =>
      merged(codes.map((exitCode) => ({ name: String(exitCode), f: { ...base, source: 'transcript', exitCode } })))
        .exit_code;
    expect(exit(null, 0)).toBe(0);
    expect(exit(0, null)).toBe(0);
    expect(exit(0, 2)).toBe(2);
    expect(exit(2, 0)).toBe(2);
    expect(exit(1, 127)).toBe(127);
  });

  it('names the tool once a source knows it', () => {
    const result: Piece = { name: 'result', f: { ...base, source: 'transcript', responseBytes: 10 } };
    const use: Piece = { name: 'use', f: { ...base, source: 'transcript', toolName: 'Read' } };
    expect(merged([result]).tool_name).toBe('unknown');
    expect(merged([result, use]).tool_name).toBe('Read');
    expect(merged([use, result]).tool_name).toBe('Read');
  });

  it('keeps the path lists it wrote by their JSON', () => {
    const known: PathLists = new Map();
    const call = callFromFragment(
      { ...base, source: 'transcript', toolName: 'Grep', loadedPaths: ['/w/a.ts', '/w/b.ts'] },
      'wf-1',
      undefined,
      NOW,
      known,
    );
    expect(call.loaded_paths).toBe('["/w/a.ts","/w/b.ts"]');
    expect(call.workflow_id).toBe('wf-1');
    expect(known.get('["/w/a.ts","/w/b.ts"]')).toEqual(['/w/a.ts', '/w/b.ts']);
  });
});

describe('isEnded', () => {
  it('is true once a source saw the end: a time, or a hook Post', () => {
    expect(isEnded({ ended_at: null, sources: 'transcript' })).toBe(false);
    expect(isEnded({ ended_at: null, sources: 'hook-pre' })).toBe(false);
    expect(isEnded({ ended_at: '2026-03-02T09:00:04.000Z', sources: 'transcript' })).toBe(true);
    expect(isEnded({ ended_at: null, sources: 'hook-post,hook-pre' })).toBe(true);
  });
});
