/**
 * Bash outputs kept at ingest: from hook payloads, transcripts and stream-json, one output per call
 * whatever the number of sources and their order, capped with the true size, never for other tools.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_HEAD_CHARS, OUTPUT_TAIL_CHARS } from '../../../src/core/records/tool-call-output.js';
import { all, count, one, type TestEngine, testEngines } from '../../helpers/ingest.js';

const { dirs, engine } = testEngines();

const SESSION = '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c';
const CWD = '/home/ana/src/shop-api';

const jsonl = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

function hookPayloads(
  id: string,
  response: unknown,
  tool = 'Bash',
  input: unknown = { command: 'npm test' },
): unknown[] {
  const base = { session_id: SESSION, cwd: CWD, tool_name: tool, tool_input: input, tool_use_id: id };
  return [
    { ...base, hook_event_name: 'PreToolUse', timestamp: '2026-03-02T09:14:00.000Z' },
    { ...base, hook_event_name: 'PostToolUse', tool_response: response, timestamp: '2026-03-02T09:14:05.000Z' },
  ];
}

function transcriptLines(
  id: string,
  text: string,
  structured: unknown,
  tool = 'Bash',
  input: unknown = { command: 'npm test' },
): unknown[] {
  const line = { sessionId: SESSION, cwd: CWD, isSidechain: false, version: '2.1.63' };
  return [
    {
      ...line,
      type: 'assistant',
      uuid: `u-${id}`,
      timestamp: '2026-03-02T09:14:00.000Z',
      message: {
        id: `msg-${id}`,
        model: 'claude-sonnet-4-5',
        role: 'assistant',
        content: [{ type: 'tool_use', id, name: tool, input }],
        usage: { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      },
    },
    {
      ...line,
      type: 'user',
      uuid: `r-${id}`,
      timestamp: '2026-03-02T09:14:05.000Z',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: text, is_error: false }] },
      toolUseResult: structured,
    },
  ];
}

function writeHookLog(root: string, rows: unknown[]): string {
  const logs = join(root, 'logs');
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(logs, 'hooks.jsonl'), jsonl(rows));
  return logs;
}

function writeTranscript(root: string, rows: unknown[]): string {
  const dir = join(root, 'projects', '-home-ana-src-shop-api');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${SESSION}.jsonl`), jsonl(rows));
  return join(root, 'projects');
}

const outputs = (e: TestEngine): Record<string, unknown>[] =>
  all(
    e.store,
    `SELECT t.call_key, t.tool_name, o.output, o.raw_bytes, o.truncated FROM tool_outputs o
     JOIN tool_calls t ON t.id = o.tool_call_id ORDER BY t.call_key`,
  );

describe('tool outputs at ingest', () => {
  it('hook PostToolUse: stdout then stderr of a Bash call; nothing for a Read', async () => {
    const e = engine();
    const root = dirs.make();
    const logs = writeHookLog(root, [
      ...hookPayloads('toolu_b1', { stdout: '5 passed', stderr: 'warn: slow', interrupted: false, isImage: false }),
      ...hookPayloads('toolu_r1', { type: 'text', file: { filePath: '/a.ts', content: 'x'.repeat(50) } }, 'Read', {
        file_path: '/a.ts',
      }),
    ]);
    await e.ingest(logs);
    expect(count(e.store, 'tool_calls')).toBe(2);
    expect(outputs(e)).toEqual([
      { call_key: 'toolu_b1', tool_name: 'Bash', output: '5 passed\nwarn: slow', raw_bytes: 19, truncated: 0 },
    ]);
  });

  it('hook PostToolUseFailure: the error text is the output', async () => {
    const e = engine();
    const root = dirs.make();
    const [pre] = hookPayloads('toolu_f1', null);
    const logs = writeHookLog(root, [
      pre,
      {
        ...(pre as Record<string, unknown>),
        hook_event_name: 'PostToolUseFailure',
        error: 'Exit code 1\nFAIL cart.test.ts',
        timestamp: '2026-03-02T09:14:05.000Z',
      },
    ]);
    await e.ingest(logs);
    expect(outputs(e).map((r) => r['output'])).toEqual(['Exit code 1\nFAIL cart.test.ts']);
    expect(one(e.store, 'SELECT exit_code FROM tool_calls')?.['exit_code']).toBe(1);
  });

  it('transcript: the tool_result text of a Bash call, once, even when the file is read again', async () => {
    const e = engine();
    const root = dirs.make();
    const projects = writeTranscript(root, [
      ...transcriptLines('toolu_t1', 'Tests  12 passed (12)', { stdout: 'Tests  12 passed (12)', stderr: '' }),
      ...transcriptLines('toolu_t2', '     1\tconst a = 1', { type: 'text', file: { filePath: '/a.ts' } }, 'Read', {
        file_path: '/a.ts',
      }),
    ]);
    await e.ingest(projects);
    await e.ingest(projects);
    expect(outputs(e)).toEqual([
      { call_key: 'toolu_t1', tool_name: 'Bash', output: 'Tests  12 passed (12)', raw_bytes: 21, truncated: 0 },
    ]);
  });

  it('stream-json: the tool_result of a Bash call', async () => {
    const e = engine();
    const agent = join(dirs.make(), 'agents', 'a1b2c3d4', 'sdlc_implementor');
    mkdirSync(agent, { recursive: true });
    writeFileSync(
      join(agent, 'raw_output.jsonl'),
      jsonl([
        { type: 'system', subtype: 'init', session_id: 's-stream', model: 'claude-sonnet-4-5' },
        {
          type: 'assistant',
          session_id: 's-stream',
          message: {
            id: 'msg_s1',
            model: 'claude-sonnet-4-5',
            content: [{ type: 'tool_use', id: 'toolu_s1', name: 'Bash', input: { command: 'git status --short' } }],
            usage: { input_tokens: 3, output_tokens: 4 },
          },
        },
        {
          type: 'user',
          session_id: 's-stream',
          message: {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_s1', content: ' M src/cart.ts' }],
          },
          tool_use_result: { stdout: ' M src/cart.ts', stderr: '', interrupted: false, isImage: false },
        },
      ]),
    );
    await e.ingest(join(agent, '..', '..'));
    expect(outputs(e)).toEqual([
      { call_key: 'toolu_s1', tool_name: 'Bash', output: ' M src/cart.ts', raw_bytes: 14, truncated: 0 },
    ]);
  });

  it('the same call from hook and transcript: one call, one output (the text the agent read), in either order', async () => {
    const hookRows = hookPayloads('toolu_x1', { stdout: 'ok', stderr: 'note', interrupted: false, isImage: false });
    const transcriptRows = transcriptLines('toolu_x1', 'ok\nnote', { stdout: 'ok', stderr: 'note' });
    const results: unknown[] = [];
    for (const hookFirst of [true, false]) {
      const e = engine();
      const root = dirs.make();
      const logs = writeHookLog(root, hookRows);
      const projects = writeTranscript(root, transcriptRows);
      if (hookFirst) {
        await e.ingest(logs);
        await e.ingest(projects);
      } else {
        await e.ingest(projects);
        await e.ingest(logs);
      }
      expect(count(e.store, 'tool_calls')).toBe(1);
      expect(one(e.store, 'SELECT sources FROM tool_calls')?.['sources']).toBe('hook-post,hook-pre,transcript');
      results.push(outputs(e));
    }
    expect(results[0]).toEqual([
      { call_key: 'toolu_x1', tool_name: 'Bash', output: 'ok\nnote', raw_bytes: 7, truncated: 0 },
    ]);
    expect(results[1]).toEqual(results[0]);
  });

  it('a huge output keeps its head and tail, with the whole size', async () => {
    const e = engine();
    const root = dirs.make();
    const big = 'H'.repeat(OUTPUT_HEAD_CHARS) + 'M'.repeat(500_000) + 'T'.repeat(OUTPUT_TAIL_CHARS);
    const logs = writeHookLog(root, hookPayloads('toolu_big', { stdout: big, stderr: '' }));
    await e.ingest(logs);
    const row = one(e.store, 'SELECT output, raw_bytes, truncated FROM tool_outputs');
    expect(row?.['raw_bytes']).toBe(big.length);
    expect(row?.['truncated']).toBe(1);
    const kept = String(row?.['output']);
    expect(kept.startsWith('H'.repeat(OUTPUT_HEAD_CHARS))).toBe(true);
    expect(kept.endsWith('T'.repeat(OUTPUT_TAIL_CHARS))).toBe(true);
    expect(kept.includes('M')).toBe(false);
  });

  it('compact boundaries of transcripts are stored once per session and time', async () => {
    const e = engine();
    const root = dirs.make();
    const boundary = {
      type: 'system',
      subtype: 'compact_boundary',
      content: 'Conversation compacted',
      sessionId: SESSION,
      timestamp: '2026-03-02T11:02:44.000Z',
      compactMetadata: { trigger: 'auto', preTokens: 167342 },
    };
    const projects = writeTranscript(root, [...transcriptLines('toolu_c1', 'x', { stdout: 'x' }), boundary]);
    await e.ingest(projects);
    await e.ingest(projects);
    expect(all(e.store, 'SELECT session_id, ts_ms FROM session_compactions')).toEqual([
      { session_id: SESSION, ts_ms: Date.parse('2026-03-02T11:02:44.000Z') },
    ]);
  });
});
