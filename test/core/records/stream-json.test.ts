import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseStreamJsonLine, streamJsonArrayLines } from '../../../src/core/records/stream-json.js';
import type { StreamLineFacts } from '../../../src/core/records/stream-json.js';

const SID = '3f0b6c1e-1d2a-4f1e-9a1c-5b7e2d9c4a10';
const M = 'claude-sonnet-4-5-20250929';
const read = (name: string): string =>
  readFileSync(new URL(`../../fixtures/stream-json/${name}`, import.meta.url), 'utf8');
const lines = (name: string): string[] =>
  read(name)
    .split('\n')
    .filter((l) => l.trim() !== '');
const ctx = {
  adwId: '7c1e9a42',
  agentName: 'sdlc_implementor',
  path: 'agents/7c1e9a42/sdlc_implementor/raw_output.jsonl',
};

function parse(line: string, c: Parameters<typeof parseStreamJsonLine>[1] = ctx): StreamLineFacts {
  const r = parseStreamJsonLine(line, c);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('parseStreamJsonLine (quirks 8, 9)', () => {
  const facts = lines('multi-block.jsonl').map((l) => parse(l));

  it('kinds, with hook_response before init', () => {
    expect(facts.map((f) => f.kind)).toEqual([
      'system/hook_response',
      'system/init',
      'assistant',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'rate_limit_event',
      'result',
    ]);
    expect(facts.map((f) => f.initModel)).toEqual([null, M, null, null, null, null, null, null, null, null]);
    expect(facts[1]?.cwd).toBe('/home/dev/tac-webbuilder/trees/7c1e9a42');
    expect(facts.every((f) => f.sessionId === SID)).toBe(true);
  });

  it('every block line repeats usage under one message.id; early copies have placeholder output', () => {
    const u = facts.map(
      (f) => f.usage && [f.usage.dedupKey, f.usage.outputTokens, f.usage.isSidechain, f.usage.agentId],
    );
    expect(u).toEqual([
      null,
      null,
      ['msg_01A', 3, false, null],
      ['msg_01A', 41, false, null],
      null,
      ['msg_01B', 88, false, null],
      null,
      ['msg_01S', 50, true, 'toolu_01T'],
      null,
      null,
    ]);
    expect(facts[3]?.usage?.costUsd).toBeCloseTo(0.082662, 12);
    expect(facts[5]?.usage?.costUsd).toBeCloseTo(0.0132258, 12);
    expect(facts[7]?.usage?.costUsd).toBeCloseTo(0.00175, 12);
    expect(facts[3]?.usage?.ts).toBe('');
  });

  it('tool_use and tool_result fragments with source stream', () => {
    const frags = facts.flatMap((f) => f.fragments);
    expect(
      frags.map((f) => [
        f.callKey,
        f.source,
        f.toolName,
        f.command,
        f.inputBytes,
        f.exitCode,
        f.isError,
        f.responseBytes,
        f.agentId,
      ]),
    ).toEqual([
      [
        'toolu_01X',
        'stream',
        'Read',
        '/home/dev/tac-webbuilder/trees/7c1e9a42/specs/issue-58-adw-7c1e9a42-sdlc_planner-add-csv-export.md',
        114,
        undefined,
        undefined,
        undefined,
        null,
      ],
      ['toolu_01X', 'stream', undefined, undefined, undefined, 0, false, 31, null],
      ['toolu_01Y', 'stream', 'Bash', 'cd app/server && uv run pytest -q', 81, undefined, undefined, undefined, null],
      ['toolu_01Y', 'stream', undefined, undefined, undefined, 1, true, 104, null],
      ['toolu_01G', 'stream', 'Glob', 'app/server/**/*.py', 32, undefined, undefined, undefined, 'toolu_01T'],
    ]);
    expect(frags[0]?.model).toBe(M);
    expect(frags[4]?.model).toBe('claude-haiku-4-5-20251001');
  });

  it('the result line', () => {
    expect(facts[9]?.result).toEqual({
      totalCostUsd: 0.0991,
      durationMs: 412733,
      isError: false,
      subtype: 'success',
      numTurns: 5,
      modelUsage: {
        [M]: {
          inputTokens: 10,
          outputTokens: 140,
          cacheCreationTokens: 23296,
          cacheCreation5mTokens: 23296,
          cacheCreation1hTokens: 0,
          cacheReadTokens: 21876,
          costUsd: 0.0964,
        },
        'claude-haiku-4-5-20251001': {
          inputTokens: 1000,
          outputTokens: 60,
          cacheCreationTokens: 0,
          cacheCreation5mTokens: 0,
          cacheCreation1hTokens: 0,
          cacheReadTokens: 5000,
          costUsd: 0.0019,
        },
      },
    });
    expect(facts.slice(0, 9).every((f) => f.result === null)).toBe(true);
  });

  it('rate_limit_event needs a time: none without fallbackTs, a signal with it', () => {
    expect(facts[8]?.quota).toBeNull();
    const line = lines('multi-block.jsonl')[8] ?? '';
    expect(parse(line, { ...ctx, fallbackTs: '2026-07-14T09:00:00Z' }).quota).toEqual({
      ts: '2026-07-14T09:00:00.000Z',
      sessionId: SID,
      fiveHourPct: 82,
      fiveHourResetsAt: '2026-07-14T14:00:00.000Z',
      sevenDayPct: null,
      sevenDayResetsAt: null,
      sessionCostUsd: null,
      source: 'stream',
    });
  });

  it.each([
    [
      '{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1784469600,"rateLimitType":"seven_day"}}',
      { sevenDayPct: 100, sevenDayResetsAt: '2026-07-19T14:00:00.000Z', fiveHourPct: null },
    ],
    [
      '{"type":"rate_limit_event","rate_limit_info":{"status":"allowed","rateLimitType":"seven_day_opus","utilization":50}}',
      null,
    ],
    ['{"type":"rate_limit_event","rate_limit_info":{"status":"allowed","utilization":50}}', null],
  ])('rate limit %s', (line, expected) => {
    const q = parse(line, { ...ctx, fallbackTs: '2026-07-14T09:00:00Z' }).quota;
    expect(
      q && { sevenDayPct: q.sevenDayPct, sevenDayResetsAt: q.sevenDayResetsAt, fiveHourPct: q.fiveHourPct },
    ).toEqual(expected);
  });

  it('fallbackTs dates usage and fragments of lines without timestamp', () => {
    const f = parse(lines('multi-block.jsonl')[5] ?? '', { ...ctx, fallbackTs: '2026-01-02T03:04:05Z' });
    expect(f.ts).toBeNull();
    expect(f.usage?.ts).toBe('2026-01-02T03:04:05.000Z');
    expect(f.fragments[0]?.startedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('python re-serialized output with no result line parses the same', () => {
    const py = lines('python-no-result.jsonl').map((l) => parse(l));
    const compact = lines('multi-block.jsonl')
      .slice(1, 8)
      .map((l) => parse(l));
    expect(py).toEqual(compact);
    expect(py.some((f) => f.result !== null)).toBe(false);
  });

  it('error result subtypes', () => {
    const [, , r] = lines('error-max-turns.jsonl').map((l) => parse(l));
    expect(r?.result).toEqual({
      totalCostUsd: 0.5,
      durationMs: 90000,
      isError: true,
      subtype: 'error_max_turns',
      numTurns: 30,
      modelUsage: {},
    });
  });

  it.each([
    ['', 'empty'],
    ['{"type":"assistant","message":{"id":"msg_', 'invalid-json'],
    ['[1]', 'not-an-object'],
  ])('%j → %s', (line, reason) => {
    expect(parseStreamJsonLine(line, ctx)).toEqual({ ok: false, reason });
  });

  it('unknown types are kept as facts-free', () => {
    expect(parse('{"type":"stream_event","event":{"type":"message_delta"}}')).toEqual({
      kind: 'stream_event',
      sessionId: null,
      ts: null,
      cwd: null,
      usage: null,
      fragments: [],
      quota: null,
      result: null,
      initModel: null,
    });
  });
});

describe('streamJsonArrayLines (quirk 10)', () => {
  it('a pretty raw_output.json gives the same messages as the jsonl', () => {
    const arr = streamJsonArrayLines(read('raw_output.json')).map((l) => parse(l));
    expect(arr).toEqual(lines('multi-block.jsonl').map((l) => parse(l)));
  });

  it('an empty twin and a 0-byte file give nothing', () => {
    expect(streamJsonArrayLines(read('raw_output-empty.json'))).toEqual([]);
    expect(streamJsonArrayLines(read('empty.jsonl'))).toEqual([]);
  });

  it('a truncated array keeps its complete elements', () => {
    const text = read('raw_output.json');
    expect(streamJsonArrayLines(text.slice(0, text.indexOf('"type": "result"')))).toHaveLength(9);
  });
});

describe('robustness', () => {
  it('every prefix of every line parses or fails cleanly', () => {
    for (const line of lines('multi-block.jsonl')) {
      for (let cut = 0; cut <= line.length; cut += 3) {
        expect(() => parseStreamJsonLine(line.slice(0, cut), ctx)).not.toThrow();
      }
    }
  });

  it('every prefix of raw_output.json recovers without throwing', () => {
    const text = read('raw_output.json');
    let last = 0;
    for (let cut = 0; cut <= text.length; cut += 11) {
      const n = streamJsonArrayLines(text.slice(0, cut)).length;
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
    }
  });
});

describe('loaded paths (context efficiency)', () => {
  it('a Read result with no structured result loads nothing by itself (the input names the file)', () => {
    const facts = lines('multi-block.jsonl').map((l) => parse(l));
    expect(facts.flatMap((f) => f.fragments).map((f) => f.loadedPaths)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('Glob and Grep results of raw_output.jsonl name their files', () => {
    const user = (content: string, result?: unknown): string =>
      JSON.stringify({
        type: 'user',
        session_id: SID,
        message: { role: 'user', content: [{ tool_use_id: 'toolu_G', type: 'tool_result', content }] },
        ...(result === undefined ? {} : { tool_use_result: result }),
      });
    const tree = '/home/dev/tac-webbuilder/trees/7c1e9a42';
    const listing = [`${tree}/app/server/main.py`, `${tree}/app/server/export.py`];
    expect(parse(user(listing.join('\n'))).fragments[0]?.loadedPaths).toEqual(listing);
    expect(
      parse(
        user('Found 1 file\napp/server/export.py', { mode: 'files_with_matches', filenames: ['app/server/export.py'] }),
      ).fragments[0]?.loadedPaths,
    ).toEqual(['app/server/export.py']);
  });
});
