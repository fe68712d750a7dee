import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { mergeUsage, parseTranscriptLine, transcriptContextFromPath } from '../../../src/core/records/transcript.js';
import type { LineContext, ParsedLine } from '../../../src/core/records/transcript.js';
import type { UsageRecord } from '../../../src/core/types.js';

const S = '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c';
const P = '-home-ana-src-shop-api';
const fixturePath = (rel: string): URL => new URL(`../../fixtures/transcripts/${rel}`, import.meta.url);
const readLines = (rel: string): string[] => {
  const text = readFileSync(fixturePath(rel), 'utf8');
  return text === '' ? [] : text.split('\n').filter((l) => l !== '');
};

function parseAll(rel: string): ParsedLine[] {
  const ctx = transcriptContextFromPath(`/home/ana/.claude/projects/${rel.replace(/^[^/]*\//, `${P}/`)}`);
  return readLines(rel).map((l) => {
    const r = parseTranscriptLine(l, ctx);
    if (!r.ok) throw new Error(r.reason);
    return r.value;
  });
}

describe('transcriptContextFromPath (quirks 14, 16)', () => {
  it.each<[string, LineContext]>([
    [
      `/home/ana/.claude/projects/${P}/${S}.jsonl`,
      { path: `/home/ana/.claude/projects/${P}/${S}.jsonl`, sessionIdHint: S, agentIdHint: null, project: P },
    ],
    [
      `/home/ana/.claude/projects/${P}/${S}/subagents/agent-a7c91e04b2d35f68.jsonl`,
      {
        path: `/home/ana/.claude/projects/${P}/${S}/subagents/agent-a7c91e04b2d35f68.jsonl`,
        sessionIdHint: S,
        agentIdHint: 'a7c91e04b2d35f68',
        project: P,
      },
    ],
    [
      `/home/ana/.claude/projects/${P}/${S}/subagents/agent-aside_question-9e8d7c6b5a4f3e2d.jsonl`,
      {
        path: `/home/ana/.claude/projects/${P}/${S}/subagents/agent-aside_question-9e8d7c6b5a4f3e2d.jsonl`,
        sessionIdHint: S,
        agentIdHint: 'aside_question-9e8d7c6b5a4f3e2d',
        project: P,
      },
    ],
    [
      `/home/ana/.config/claude/projects/${P}/agent-3f2e1d0c.jsonl`,
      {
        path: `/home/ana/.config/claude/projects/${P}/agent-3f2e1d0c.jsonl`,
        sessionIdHint: null,
        agentIdHint: '3f2e1d0c',
        project: P,
      },
    ],
    [
      'C:\\Users\\Zoë Müller\\.claude\\projects\\C--Users-Zo--M-ller-src-app--v2-\\7d0c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d.jsonl',
      {
        path: 'C:\\Users\\Zoë Müller\\.claude\\projects\\C--Users-Zo--M-ller-src-app--v2-\\7d0c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d.jsonl',
        sessionIdHint: '7d0c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
        agentIdHint: null,
        project: 'C--Users-Zo--M-ller-src-app--v2-',
      },
    ],
    [
      'D:\\data\\c--work\\s1\\subagents\\agent-ab12.jsonl',
      {
        path: 'D:\\data\\c--work\\s1\\subagents\\agent-ab12.jsonl',
        sessionIdHint: 's1',
        agentIdHint: 'ab12',
        project: 'c--work',
      },
    ],
    ['s1.jsonl', { path: 's1.jsonl', sessionIdHint: 's1', agentIdHint: null, project: null }],
  ])('%s', (path, ctx) => {
    expect(transcriptContextFromPath(path)).toEqual(ctx);
  });
});

describe('parseTranscriptLine: the main session file (quirk 15)', () => {
  const ctx = transcriptContextFromPath(`/home/ana/.claude/projects/${P}/${S}.jsonl`);
  const lines = readLines(`${P}/${S}.jsonl`);
  const results = lines.map((l) => parseTranscriptLine(l, ctx));
  const v = (i: number): ParsedLine => {
    const r = results[i];
    if (r === undefined || !r.ok) throw new Error(`line ${i} did not parse`);
    return r.value;
  };

  it('classifies every line; only the torn last line fails', () => {
    expect(results.map((r) => (r.ok ? r.value.kind : `error:${r.reason}`))).toEqual([
      'summary',
      'file-history-snapshot',
      'user',
      'assistant',
      'assistant',
      'user',
      'queue-operation',
      'assistant',
      'user',
      'attachment',
      'progress',
      'user',
      'user',
      'system/compact_boundary',
      'permission-mode',
      'last-prompt',
      'assistant',
      'assistant',
      'error:invalid-json',
    ]);
  });

  it.each([0, 1, 2, 6, 9, 10, 13, 14, 15])('line %i has no usage, fragments or quota', (i) => {
    expect([v(i).usage, v(i).fragments, v(i).quota]).toEqual([null, [], null]);
    expect(v(i).sessionId).toBe(S);
  });

  it('an assistant line with partial usage', () => {
    expect(v(3)).toEqual({
      kind: 'assistant',
      sessionId: S,
      ts: '2026-03-02T09:14:09.480Z',
      cwd: '/home/ana/src/shop-api',
      usage: {
        dedupKey: 'msg_01Tq7ZbX3yVw2sHk9LmN4pRc',
        messageId: 'msg_01Tq7ZbX3yVw2sHk9LmN4pRc',
        requestId: 'req_011CYa8sQm2F1dXwE7rJpK3n',
        sessionId: S,
        agentId: null,
        project: P,
        model: 'claude-opus-4-6',
        ts: '2026-03-02T09:14:09.480Z',
        isSidechain: false,
        speed: null,
        costUsd: expect.closeTo(0.0617685, 12) as number,
        inputTokens: 6,
        outputTokens: 8,
        cacheCreationTokens: 4210,
        cacheCreation5mTokens: 0,
        cacheCreation1hTokens: 4210,
        cacheReadTokens: 38877,
        inferenceGeo: null,
        webSearchRequests: 0,
      },
      fragments: [],
      quota: null,
    });
  });

  it('a tool_use line gives a fragment', () => {
    expect(v(4).usage?.outputTokens).toBe(143);
    expect(v(4).usage?.costUsd).toBeCloseTo(0.0651435, 12);
    expect(v(4).fragments).toEqual([
      {
        callKey: 'toolu_01Bn5cXw8eRt2yUi4oPa6sDf',
        toolUseId: 'toolu_01Bn5cXw8eRt2yUi4oPa6sDf',
        source: 'transcript',
        sessionId: S,
        agentId: null,
        model: 'claude-opus-4-6',
        cwd: '/home/ana/src/shop-api',
        toolName: 'Read',
        command: '/home/ana/src/shop-api/test/cart.test.ts',
        inputJson: '{"file_path":"/home/ana/src/shop-api/test/cart.test.ts"}',
        inputBytes: 56,
        filePaths: ['/home/ana/src/shop-api/test/cart.test.ts'],
        startedAt: '2026-03-02T09:14:11.020Z',
      },
    ]);
  });

  it('fast mode in the US is priced with both multipliers', () => {
    expect(v(7).usage?.speed).toBe('fast');
    expect(v(7).usage?.inferenceGeo).toBe('us');
    expect(v(7).usage?.costUsd).toBeCloseTo(0.1703031, 12);
    expect(v(7).fragments[0]?.command).toBe('cd app/server && uv run pytest -q');
  });

  it.each([
    [
      5,
      [
        {
          callKey: 'toolu_01Bn5cXw8eRt2yUi4oPa6sDf',
          endedAt: '2026-03-02T09:14:11.090Z',
          isError: false,
          interrupted: false,
          exitCode: 0,
          responseBytes: 172,
        },
      ],
    ],
    [
      8,
      [
        {
          callKey: 'toolu_01Bash',
          endedAt: '2026-03-02T09:14:31.250Z',
          isError: true,
          interrupted: false,
          exitCode: 1,
          responseBytes: 73,
        },
      ],
    ],
    [
      11,
      [
        {
          callKey: 'toolu_01Sleep',
          endedAt: '2026-03-02T09:15:02.000Z',
          isError: true,
          interrupted: true,
          exitCode: null,
          responseBytes: 60,
        },
      ],
    ],
    [
      12,
      [
        {
          callKey: 'toolu_01Glob',
          endedAt: '2026-03-02T09:15:10.000Z',
          isError: false,
          interrupted: false,
          exitCode: 0,
          responseBytes: 18,
        },
        {
          callKey: 'toolu_01Grep',
          endedAt: '2026-03-02T09:15:10.000Z',
          isError: false,
          interrupted: false,
          exitCode: 0,
          responseBytes: 16,
        },
      ],
    ],
  ])('tool results on line %i', (i, expected) => {
    expect(
      v(i).fragments.map((f) => ({
        callKey: f.callKey,
        endedAt: f.endedAt,
        isError: f.isError,
        interrupted: f.interrupted,
        exitCode: f.exitCode,
        responseBytes: f.responseBytes,
      })),
    ).toEqual(expected);
    expect(
      v(i).fragments.every((f) => f.source === 'transcript' && f.toolUseId === f.callKey && f.sessionId === S),
    ).toBe(true);
  });

  it('synthetic rate-limit messages: no cost, a quota signal', () => {
    expect([v(16).usage?.model, v(16).usage?.costUsd, v(16).usage?.dedupKey]).toEqual([
      '<synthetic>',
      0,
      'f3b0a9c8-1111-2222-3333-444455556666',
    ]);
    expect(v(16).quota).toEqual({
      ts: '2026-07-10T13:40:00.123Z',
      sessionId: S,
      fiveHourPct: 100,
      fiveHourResetsAt: null,
      sevenDayPct: null,
      sevenDayResetsAt: null,
      sessionCostUsd: null,
      source: 'transcript',
    });
    expect(v(17).quota?.fiveHourResetsAt).toBe('2025-07-10T16:00:00.000Z');
  });
});

describe('parseTranscriptLine: subagent files and odd files (quirks 14, 15)', () => {
  it('nested 2.1.x subagent lines are sidechain usage with agentId', () => {
    const [, a] = parseAll(`${P}/${S}/subagents/agent-a7c91e04b2d35f68.jsonl`);
    expect(
      a?.usage && [a.usage.isSidechain, a.usage.agentId, a.usage.sessionId, a.usage.model, a.usage.project],
    ).toEqual([true, 'a7c91e04b2d35f68', S, 'claude-haiku-4-5-20251001', P]);
    expect(a?.usage?.costUsd).toBeCloseTo(0.0024, 12);
    expect(a?.fragments.map((f) => [f.toolName, f.command, f.filePaths, f.agentId])).toEqual([
      ['Grep', 'applyCoupon\\(', ['/home/ana/src/shop-api/src'], 'a7c91e04b2d35f68'],
    ]);
  });

  it('flat 2.0.x agent file: session from the line, agent from the file name', () => {
    const [a] = parseAll(`${P}/agent-3f2e1d0c.jsonl`);
    expect(a?.sessionId).toBe('9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a');
    expect(a?.usage?.agentId).toBe('3f2e1d0c');
    expect(a?.usage?.cacheCreation5mTokens).toBe(100);
    expect(a?.usage?.costUsd).toBeCloseTo(0.00048, 12);
  });

  it('aside-question file without parent session file', () => {
    const [a] = parseAll(
      `${P}/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/subagents/agent-aside_question-9e8d7c6b5a4f3e2d.jsonl`,
    );
    expect(a?.usage?.agentId).toBe('aside_question-9e8d7c6b5a4f3e2d');
    expect(a?.usage?.dedupKey).toBe('msg_01Tq7ZbX3yVw2sHk9LmN4pRc');
  });

  it('summary-only and 0-byte files', () => {
    expect(parseAll('summary-only.jsonl').map((p) => [p.kind, p.usage, p.fragments])).toEqual([['summary', null, []]]);
    expect(readLines('empty.jsonl')).toEqual([]);
  });

  it.each([
    ['', 'empty'],
    ['{"type":"assistant"', 'invalid-json'],
    ['[]', 'not-an-object'],
    ['"x"', 'not-an-object'],
  ])('%j → %s', (line, reason) => {
    expect(parseTranscriptLine(line, transcriptContextFromPath('x.jsonl'))).toEqual({ ok: false, reason });
  });

  it('dedup key falls back to requestId, then uuid, then a line hash', () => {
    const ctx = transcriptContextFromPath('s.jsonl');
    const key = (line: string): string | undefined => {
      const r = parseTranscriptLine(line, ctx);
      return r.ok ? r.value.usage?.dedupKey : undefined;
    };
    expect(key('{"type":"assistant","requestId":"req_1","uuid":"u1","message":{"usage":{}}}')).toBe('req_1');
    expect(key('{"type":"assistant","uuid":"u1","message":{"usage":{}}}')).toBe('u1');
    expect(key('{"type":"assistant","message":{"usage":{"input_tokens":1}}}')).toMatch(/^line:[0-9a-f]{16}$/);
    expect(key('{"type":"assistant","message":{"content":"no usage"}}')).toBeUndefined();
  });

  it('user content as a plain string gives no fragment', () => {
    const r = parseTranscriptLine(
      '{"type":"user","message":{"role":"user","content":"hi"},"timestamp":"2026-01-01T00:00:00Z"}',
      transcriptContextFromPath('s.jsonl'),
    );
    expect(r.ok && r.value.fragments).toEqual([]);
  });
});

describe('mergeUsage', () => {
  const base: UsageRecord = {
    dedupKey: 'msg_1',
    messageId: 'msg_1',
    requestId: 'req_1',
    sessionId: 's1',
    agentId: null,
    project: 'p',
    model: 'claude-sonnet-4-6',
    ts: '2026-03-02T09:00:00.000Z',
    isSidechain: false,
    speed: null,
    costUsd: 0,
    inputTokens: 10,
    outputTokens: 2,
    cacheCreationTokens: 1000,
    cacheCreation5mTokens: 1000,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 5000,
  };

  it('keeps the max of each field and re-prices', () => {
    const later: UsageRecord = { ...base, outputTokens: 300, cacheReadTokens: 4000, ts: '2026-03-02T09:00:02.000Z' };
    const m = mergeUsage(base, later);
    expect([m.inputTokens, m.outputTokens, m.cacheCreationTokens, m.cacheReadTokens]).toEqual([10, 300, 1000, 5000]);
    // (10*3 + 300*15 + 1000*3.75 + 5000*0.3) / 1e6
    expect(m.costUsd).toBeCloseTo(0.00978, 12);
    // neither is a sidechain: the copy with the larger total (10+2+1000+5000 > 10+300+1000+4000) gives metadata
    expect(m.ts).toBe('2026-03-02T09:00:00.000Z');
  });

  it('prefers the non-sidechain copy metadata, filling gaps from the other', () => {
    const side: UsageRecord = {
      ...base,
      isSidechain: true,
      requestId: 'req_btw',
      agentId: 'aside_question-1',
      outputTokens: 999,
      speed: 'fast',
    };
    const main: UsageRecord = { ...base, requestId: null };
    const m = mergeUsage(side, main);
    expect([m.isSidechain, m.requestId, m.agentId, m.outputTokens, m.speed]).toEqual([
      false,
      'req_btw',
      'aside_question-1',
      999,
      'fast',
    ]);
    expect(mergeUsage(main, side).isSidechain).toBe(false);
  });

  it('synthetic stays free', () => {
    expect(mergeUsage({ ...base, model: '<synthetic>' }, { ...base, model: '<synthetic>' }).costUsd).toBe(0);
  });
});

describe('robustness', () => {
  it('every prefix of every fixture line parses or fails cleanly', () => {
    const ctx = transcriptContextFromPath(`/home/ana/.claude/projects/${P}/${S}.jsonl`);
    let ok = 0;
    for (const line of readLines(`${P}/${S}.jsonl`)) {
      for (let cut = 0; cut <= line.length; cut += 3) {
        const r = parseTranscriptLine(line.slice(0, cut), ctx);
        if (r.ok) ok++;
      }
    }
    expect(ok).toBeGreaterThan(0);
  });
});

describe('loaded paths of tool results (context efficiency)', () => {
  const ctx = transcriptContextFromPath(`/home/ana/.claude/projects/${P}/${S}.jsonl`);
  const resultLine = (content: unknown, toolUseResult?: unknown, isError = false): string =>
    JSON.stringify({
      type: 'user',
      sessionId: S,
      cwd: '/home/ana/src/shop-api',
      timestamp: '2026-03-02T09:20:00.000Z',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_L', content, is_error: isError }] },
      ...(toolUseResult === undefined ? {} : { toolUseResult }),
    });
  const loaded = (line: string): readonly string[] | undefined => {
    const r = parseTranscriptLine(line, ctx);
    if (!r.ok) throw new Error(r.reason);
    return r.value.fragments[0]?.loadedPaths;
  };
  const lines = readLines(`${P}/${S}.jsonl`);

  it('a Read result loads the file it read; a Glob text listing loads its files', () => {
    expect(loaded(lines[5] ?? '')).toEqual(['/home/ana/src/shop-api/test/cart.test.ts']);
    const r = parseTranscriptLine(lines[12] ?? '', ctx);
    expect(r.ok && r.value.fragments.map((f) => f.loadedPaths)).toEqual([['src/a.ts', 'src/é.ts'], undefined]);
  });

  it('Grep/Glob structured results: filenames, or the files of content-mode lines', () => {
    const files = ['/home/ana/src/shop-api/src/cart.ts', '/home/ana/src/shop-api/docs/guia de preços.md'];
    expect(
      loaded(
        resultLine(`Found 2 files\n${files.join('\n')}`, { mode: 'files_with_matches', filenames: files, numFiles: 2 }),
      ),
    ).toEqual(files);
    expect(loaded(resultLine('x', { filenames: files, durationMs: 3, numFiles: 2, truncated: false }))).toEqual(files);
    const content =
      'src/cart.ts:12:export function applyCoupon() {\nsrc/cart.ts-13-  return 1;\ntest/cart.test.ts:4:applyCoupon()';
    expect(loaded(resultLine(content, { mode: 'content', numFiles: 0, filenames: [], content, numLines: 3 }))).toEqual([
      'src/cart.ts',
      'test/cart.test.ts',
    ]);
    expect(loaded(resultLine('a.py:3\nb.py:10', { mode: 'count', filenames: [], content: 'a.py:3\nb.py:10' }))).toEqual(
      ['a.py', 'b.py'],
    );
  });

  it('errors, other tools and plain outputs load nothing', () => {
    const missing = '<tool_use_error>File does not exist.</tool_use_error>';
    expect(loaded(resultLine(missing, 'Error: File does not exist.', true))).toBeUndefined();
    expect(
      loaded(resultLine('src/a.ts', { stdout: 'src/a.ts', stderr: '', interrupted: false, isImage: false })),
    ).toBeUndefined();
    expect(loaded(resultLine('1 passed in 0.52s\nsrc/a.ts'))).toBeUndefined();
    expect(loaded(resultLine('x', { type: 'create', filePath: '/a/new.ts', content: 'x' }))).toBeUndefined();
    // an image Read carries no filePath in its result: the input names the file
    expect(
      loaded(
        resultLine([{ type: 'image', source: {} }], { type: 'image', file: { base64: 'AAAA', type: 'image/png' } }),
      ),
    ).toBeUndefined();
  });

  it('a PDF Read, Windows paths with spaces and non-ASCII, and a listing capped at 500', () => {
    expect(
      loaded(resultLine('pdf', { type: 'pdf', file: { filePath: 'C:\\Users\\Zoë\\My Docs\\spec.pdf', base64: 'AA' } })),
    ).toEqual(['C:\\Users\\Zoë\\My Docs\\spec.pdf']);
    const many = Array.from({ length: 600 }, (_, i) => `/r/src/f${i}.ts`);
    const got = loaded(resultLine(many.join('\n'), { filenames: many, numFiles: 600, truncated: false }));
    expect(got).toHaveLength(500);
    expect(got?.[499]).toBe('/r/src/f499.ts');
  });
});
