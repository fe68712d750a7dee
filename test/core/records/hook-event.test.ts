import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import {
  hookEventToFragments,
  normalizeHookPayload,
  parseStatusLineRecord,
} from '../../../src/core/records/hook-event.js';
import { recoverJsonArray } from '../../../src/core/records/json-array-recover.js';
import type { HookEvent } from '../../../src/core/types.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/hooks/${name}`, import.meta.url), 'utf8');
const jsonl = (name: string): string[] =>
  fixture(name)
    .split('\n')
    .filter((l) => l.trim() !== '');
const RECEIVED = '2026-01-05T10:00:00.000Z';
const S = '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c';

function ev(raw: string, receivedAt: string | null = RECEIVED): HookEvent {
  const r = normalizeHookPayload(raw, receivedAt);
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}`);
  return r.event;
}

describe('normalizeHookPayload: rejects without throwing', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['{"session_id": "x"', 'invalid-json'],
    ['\u0000\u0001binary\uffff', 'invalid-json'],
    ['[1,2,3]', 'not-an-object'],
    ['42', 'not-an-object'],
    ['null', 'not-an-object'],
    ['"PreToolUse"', 'not-an-object'],
    ['{"session_id":"x"}', 'missing-event-name'],
    ['{"hook_event_name":""}', 'missing-event-name'],
    ['{"hook_event_name":42}', 'missing-event-name'],
    ['{"timestamp":"2026-07-14T10:15:00Z","input_data":{},"status_line_output":"x"}', 'statusline-record'],
    ['{"session_id":"x","rate_limits":{"five_hour":{"used_percentage":1}}}', 'statusline-record'],
  ])('%j → %s', (raw, reason) => {
    expect(normalizeHookPayload(raw, RECEIVED)).toEqual({ ok: false, reason });
  });

  it('handles a huge payload', () => {
    const raw = JSON.stringify({ hook_event_name: 'UserPromptSubmit', session_id: S, prompt: 'p'.repeat(183_000) });
    expect(ev(raw).event).toBe('UserPromptSubmit');
  });

  it('handles a non-string argument', () => {
    expect(normalizeHookPayload(42 as unknown as string, null)).toEqual({ ok: false, reason: 'not-a-string' });
  });
});

describe('normalizeHookPayload: snake_case and camelCase (quirk 4)', () => {
  it('normalizes both producers of the mixed array file', () => {
    const { elements } = recoverJsonArray(fixture('mixed-producers.json'));
    const [camel, snake] = elements.map((e) => ev(e));
    expect(camel).toEqual({
      sessionId: 'c0ffee00-1111-4222-8333-444455556666',
      event: 'PreToolUse',
      toolName: 'Bash',
      toolUseId: 'call_9f8e7d6c5b4a',
      agentId: null,
      agentType: null,
      cwd: '/home/ana/src/shop-api',
      transcriptPath: '/home/ana/.other/sessions/c0ffee00.jsonl',
      ts: RECEIVED,
      toolInput: { command: 'ls -la' },
      toolResponse: null,
      durationMs: null,
      error: null,
      isInterrupt: false,
      raw: elements[0],
    });
    expect(snake?.sessionId).toBe(S);
    expect(snake?.toolUseId).toBe('call_00aa11bb22cc');
    expect(snake?.transcriptPath).toBe(`/home/ana/.claude/projects/-home-ana-src-shop-api/${S}.jsonl`);
  });
});

describe('normalizeHookPayload: timestamps (quirk 1)', () => {
  it('array logs carry no time: ts = receivedAt, or null', () => {
    const { elements } = recoverJsonArray(fixture('PreToolUse.json'));
    expect(elements.map((e) => ev(e).ts)).toEqual([RECEIVED, RECEIVED]);
    expect(ev(elements[0] ?? '', null).ts).toBeNull();
  });

  it('custom logger fields in naive local, Z and +00:00 forms', () => {
    expect(jsonl('custom-logger.jsonl').map((l) => ev(l).ts)).toEqual([
      '2025-11-21T14:02:11.482Z',
      '2025-11-21T14:02:12.000Z',
      '2025-11-21T14:02:13.250Z',
    ]);
  });

  it('an unparseable logger time falls back to receivedAt', () => {
    expect(ev('{"hook_event_name":"Stop","timestamp":"soon"}').ts).toBe(RECEIVED);
  });
});

describe('normalizeHookPayload: field drift (quirk 3)', () => {
  const events = jsonl('field-drift.jsonl').map((l) => ev(l));
  it.each([
    [
      0,
      {
        event: 'PostToolUse',
        agentId: 'a7c91e04b2d35f68',
        agentType: 'Explore',
        durationMs: 1830,
        error: null,
        isInterrupt: false,
      },
    ],
    [
      1,
      {
        event: 'PostToolUseFailure',
        agentId: null,
        agentType: null,
        durationMs: 4210,
        error: "Exit code 2\n/src/cart.ts\n  3:1  error  'x' is unused",
        isInterrupt: false,
      },
    ],
    [
      2,
      {
        event: 'PostToolUseFailure',
        agentId: null,
        agentType: null,
        durationMs: null,
        error: 'Interrupted by user',
        isInterrupt: true,
      },
    ],
    [
      3,
      {
        event: 'SubagentStop',
        agentId: 'a7c91e04b2d35f68',
        agentType: null,
        durationMs: null,
        error: null,
        isInterrupt: false,
      },
    ],
    [4, { event: 'SessionEnd', agentId: null, agentType: null, durationMs: null, error: null, isInterrupt: false }],
    [
      5,
      {
        event: 'StopFailure',
        agentId: null,
        agentType: null,
        durationMs: null,
        error: 'rate_limit',
        isInterrupt: false,
      },
    ],
  ])('line %i', (i, expected) => {
    const e = events[i];
    expect(
      e && {
        event: e.event,
        agentId: e.agentId,
        agentType: e.agentType,
        durationMs: e.durationMs,
        error: e.error,
        isInterrupt: e.isInterrupt,
      },
    ).toEqual(expected);
  });
});

describe('hookEventToFragments', () => {
  it('PreToolUse without tool_use_id (2.0.x) gets a synthesized key', () => {
    const { elements } = recoverJsonArray(fixture('PreToolUse.json'));
    expect(hookEventToFragments(ev(elements[0] ?? ''), 7)).toEqual([
      {
        callKey: `hook:${S}:PreToolUse:7`,
        toolUseId: null,
        source: 'hook',
        sessionId: S,
        agentId: null,
        cwd: '/home/ana/src/shop-api',
        toolName: 'Bash',
        command: 'pnpm test --filter cart',
        inputJson: '{"command":"pnpm test --filter cart","description":"Run cart tests"}',
        inputBytes: 68,
        startedAt: RECEIVED,
      },
    ]);
    const read = hookEventToFragments(ev(elements[1] ?? ''), 8)[0];
    expect(read?.command).toBe('/home/ana/src/shop-api/src/cart.ts');
    expect(read?.filePaths).toEqual(['/home/ana/src/shop-api/src/cart.ts']);
  });

  it('id-less payload without session', () => {
    const f = hookEventToFragments(ev('{"hook_event_name":"PreToolUse","tool_name":"Bash"}'), 0);
    expect(f.map((x) => [x.callKey, x.toolUseId, x.command, x.inputBytes])).toEqual([
      ['hook::PreToolUse:0', null, undefined, undefined],
    ]);
  });

  it.each([
    [
      0,
      {
        exitCode: 0,
        isError: false,
        interrupted: false,
        durationMs: 1830,
        responseBytes: 69,
        callKey: 'toolu_01Hk2wZp9sYt4RuVbN6mC3dE',
      },
    ],
    [
      1,
      { exitCode: 2, isError: true, interrupted: false, durationMs: 4210, responseBytes: 52, callKey: 'toolu_01Lint' },
    ],
    [
      2,
      {
        exitCode: null,
        isError: true,
        interrupted: true,
        durationMs: undefined,
        responseBytes: 19,
        callKey: 'toolu_01Sleep',
      },
    ],
  ])('field-drift line %i: post outcome', (i, expected) => {
    const e = jsonl('field-drift.jsonl').map((l) => ev(l))[i];
    if (e === undefined) throw new Error('missing');
    const [f] = hookEventToFragments(e, i);
    expect(
      f && {
        exitCode: f.exitCode,
        isError: f.isError,
        interrupted: f.interrupted,
        durationMs: f.durationMs,
        responseBytes: f.responseBytes,
        callKey: f.callKey,
      },
    ).toEqual(expected);
    expect(f?.endedAt).toBe(RECEIVED);
    expect(f?.startedAt).toBeUndefined();
  });

  it('failure without an exit code in the text → 1', () => {
    const e = ev(
      '{"hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_use_id":"t1","error":"Command failed"}',
    );
    expect(hookEventToFragments(e, 0)[0]?.exitCode).toBe(1);
  });

  it.each([
    ['{"stdout":"","stderr":"boom","interrupted":false,"exit_code":3}', 3, true, false],
    ['{"stdout":"","stderr":"","interrupted":false,"exitCode":0}', 0, false, false],
    ['{"stdout":"","stderr":"","interrupted":true}', null, true, true],
    ['{"stdout":"ok","stderr":""}', 0, false, false],
  ])('Bash PostToolUse response %s → exit %j', (resp, exitCode, isError, interrupted) => {
    const e = ev(
      `{"hook_event_name":"PostToolUse","session_id":"s","tool_name":"Bash","tool_use_id":"t","tool_input":{"command":"x"},"tool_response":${resp}}`,
    );
    const [f] = hookEventToFragments(e, 0);
    expect(f && [f.exitCode, f.isError, f.interrupted]).toEqual([exitCode, isError, interrupted]);
  });

  it('polymorphic tool_response sizes (quirk 5)', () => {
    const frags = jsonl('tool-response-shapes.jsonl').map((l, i) => hookEventToFragments(ev(l), i)[0]);
    expect(frags.map((f) => [f?.toolName, f?.responseBytes, f?.command, f?.exitCode, f?.inputBytes])).toEqual([
      ['Read', 114, '/a/b.ts', 0, 23],
      ['mcp__memory__read', 16, null, 0, 11],
      ['Glob', 29, 'src/**/*.ts', 0, 37],
      ['Bash', 52, 'make', 0, 18],
    ]);
    expect(frags[2]?.filePaths).toEqual(['/a']);
  });

  it('Windows paths with spaces, parentheses and non-ASCII (quirk 16)', () => {
    const [f] = hookEventToFragments(ev(fixture('windows.jsonl').trim()), 0);
    expect(f?.filePaths).toEqual(['C:\\Users\\Zoë Müller\\src\\app (v2)\\notes.md']);
    expect(f?.cwd).toBe('C:\\Users\\Zoë Müller\\src\\app (v2)');
    expect(f?.inputBytes).toBe(79);
  });

  it('caps inputJson at 4096 chars but measures the whole input', () => {
    const e = ev(
      JSON.stringify({
        hook_event_name: 'PreToolUse',
        tool_name: 'Write',
        tool_use_id: 't',
        tool_input: { file_path: '/x', content: 'é'.repeat(5000) },
      }),
    );
    const [f] = hookEventToFragments(e, 0);
    expect(f?.inputJson?.length).toBe(4096);
    expect(f?.inputBytes).toBe(10_000 + '{"file_path":"/x","content":""}'.length);
  });

  it.each(['UserPromptSubmit', 'Stop', 'SessionStart', 'PermissionRequest'])('%s gives no fragment', (name) => {
    expect(hookEventToFragments(ev(`{"hook_event_name":"${name}","tool_name":"Bash"}`), 0)).toEqual([]);
  });
});

describe('parseStatusLineRecord (quirk 7)', () => {
  it('reads a logged status-line record', () => {
    const [raw] = recoverJsonArray(fixture('status_line.json')).elements;
    expect(normalizeHookPayload(raw ?? '', RECEIVED)).toEqual({ ok: false, reason: 'statusline-record' });
    expect(parseStatusLineRecord(raw)).toEqual({
      ts: '2026-07-14T10:15:00.000Z',
      sessionId: S,
      fiveHourPct: 61,
      fiveHourResetsAt: '2026-07-14T14:00:00.000Z',
      sevenDayPct: 34.5,
      sevenDayResetsAt: '2026-07-19T14:00:00.000Z',
      sessionCostUsd: 3.18,
      source: 'statusline',
    });
  });

  it('reads raw statusline stdin with receivedAt; windows may be absent', () => {
    const stdin = {
      session_id: 's1',
      cost: { total_cost_usd: 0.42 },
      rate_limits: { seven_day: { used_percentage: 12 } },
    };
    expect(parseStatusLineRecord(stdin, RECEIVED)).toEqual({
      ts: RECEIVED,
      sessionId: 's1',
      fiveHourPct: null,
      fiveHourResetsAt: null,
      sevenDayPct: 12,
      sevenDayResetsAt: null,
      sessionCostUsd: 0.42,
      source: 'statusline',
    });
    expect(parseStatusLineRecord(stdin)).toBeNull();
  });

  it.each([null, 42, 'not json', [], {}, { input_data: { model: { id: 'x' } }, timestamp: '2026-01-01T00:00:00Z' }])(
    'no quota facts in %j → null',
    (v) => {
      expect(parseStatusLineRecord(v, RECEIVED)).toBeNull();
    },
  );
});

describe('robustness', () => {
  it('every prefix of every payload normalizes or fails cleanly, and fragments never throw', () => {
    const payloads = [
      ...jsonl('field-drift.jsonl').slice(0, 3),
      ...jsonl('tool-response-shapes.jsonl'),
      ...jsonl('custom-logger.jsonl'),
    ];
    for (const p of payloads) {
      for (let cut = 0; cut <= p.length; cut += 5) {
        const r = normalizeHookPayload(p.slice(0, cut), RECEIVED);
        if (r.ok) expect(() => hookEventToFragments(r.event, cut)).not.toThrow();
      }
    }
  });

  it('deeply nested input does not throw', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(normalizeHookPayload(deep, null)).toMatchObject({ ok: false });
    const e = ev(
      `{"hook_event_name":"PreToolUse","tool_name":"X","tool_input":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
    );
    expect(() => hookEventToFragments(e, 0)).not.toThrow();
  });
});

describe('hookEventToFragments: loaded paths (context efficiency)', () => {
  const post = (
    tool: string,
    input: unknown,
    response: unknown,
    event = 'PostToolUse',
  ): readonly string[] | undefined => {
    const e = ev(
      JSON.stringify({
        hook_event_name: event,
        session_id: S,
        tool_name: tool,
        tool_use_id: 't',
        tool_input: input,
        ...(event === 'PostToolUseFailure' ? { error: String(response) } : { tool_response: response }),
      }),
    );
    return hookEventToFragments(e, 0)[0]?.loadedPaths;
  };

  it('the fixture shapes: Read and Glob load files, MCP and Bash do not', () => {
    const frags = jsonl('tool-response-shapes.jsonl').map((l, i) => hookEventToFragments(ev(l), i)[0]);
    expect(frags.map((f) => f?.loadedPaths)).toEqual([
      ['/a/b.ts'],
      undefined,
      ['/a/src/x.ts', '/a/src/y.ts'],
      undefined,
    ]);
  });

  it('PreToolUse loads nothing; a failed Read loads nothing', () => {
    expect(post('Read', { file_path: '/a/b.ts' }, null, 'PreToolUse')).toBeUndefined();
    expect(post('Read', { file_path: '/a/gone.ts' }, 'File does not exist.', 'PostToolUseFailure')).toBeUndefined();
    expect(
      post('Read', { file_path: '/a/gone.ts' }, '<tool_use_error>File does not exist.</tool_use_error>'),
    ).toBeUndefined();
  });

  it('Read of an image (no filePath in the response) loads the input file', () => {
    expect(
      post('Read', { file_path: '/a/shot.png' }, { type: 'image', file: { base64: 'AAAA', type: 'image/png' } }),
    ).toEqual(['/a/shot.png']);
  });

  it('Grep: filenames, a text listing with its header, content lines, one searched file', () => {
    expect(
      post('Grep', { pattern: 'x' }, { mode: 'files_with_matches', filenames: ['/r/a.py', '/r/b.py'], numFiles: 2 }),
    ).toEqual(['/r/a.py', '/r/b.py']);
    expect(post('Grep', { pattern: 'x' }, 'Found 2 files\n/r/a b/c.py\n/r/ü.py\n')).toEqual(['/r/a b/c.py', '/r/ü.py']);
    expect(post('Grep', { pattern: 'x', output_mode: 'content' }, 'r/a.py:3:x = 1\nr/b.py:9:y = x')).toEqual([
      'r/a.py',
      'r/b.py',
    ]);
    expect(post('Grep', { pattern: 'x', path: 'app/cart.py', output_mode: 'content' }, '12:def x():')).toEqual([
      'app/cart.py',
    ]);
    expect(post('Grep', { pattern: 'x' }, 'No files found')).toBeUndefined();
  });

  it('Glob: a cut listing drops its partial last line; at most 500 names', () => {
    const names = Array.from({ length: 30_000 }, (_, i) => `/repo/src/module-${i}/index.ts`);
    const got = post('Glob', { pattern: '**/*.ts' }, names.join('\n'));
    expect(got).toHaveLength(500);
    const long = `${'/d/'.repeat(90_000)}tail.ts`; // one line longer than the scan cap
    expect(post('Glob', { pattern: '**/*.ts' }, `/r/a.ts\n${long}`)).toEqual(['/r/a.ts']);
  });
});
