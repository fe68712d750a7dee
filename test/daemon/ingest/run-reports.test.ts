/**
 * `run` spool envelopes (written by `outloop run`): one routed Bash call and one measured
 * `offload_run` saving each, priced with the model that read the output, never twice, never learned
 * from; a bad report is quarantined.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyTokens, inputTokensCostUsd } from '../../../src/core/usage/pricing.js';
import type { RunReport } from '../../../src/core/offload/offload-file.js';
import { roundUsd } from '../../../src/core/learning/savings.js';
import { runEnvelopeLine } from '../../../src/core/records/spool-envelope.js';
import type { UsageRecord } from '../../../src/core/types.js';
import { all, count, one, type TestEngine, testEngines } from '../../helpers/ingest.js';

const { engine } = testEngines();

const SESSION = '7d0c4a1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f';

function report(over: Partial<RunReport> = {}): RunReport {
  return {
    id: 'r-01a24d70a52be92660e7',
    signature: 'test:npm-test:all',
    command: 'npm test',
    cwd: '/home/ana/src/shop',
    exitCode: 1,
    signal: null,
    startedAt: '2026-12-06T10:00:00.000Z',
    endedAt: '2026-12-06T10:00:04.250Z',
    durationMs: 4250,
    family: 'test',
    tool: 'generic',
    rawBytes: 480_000,
    rawTokens: 120_000,
    compactTokens: 900,
    sessionId: SESSION,
    ...over,
  };
}

let n = 0;
/** A spool file as writeSpoolFile leaves it (tmp + rename), with any text. */
function spoolText(e: TestEngine, text: string): string {
  const name = `${Date.now()}-${process.pid}-${(n++).toString(16).padStart(16, '0')}.json`;
  const tmp = join(e.spoolDir, `.${name}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(e.spoolDir, name));
  return join(e.spoolDir, name);
}

function usage(e: TestEngine, sessionId: string, model: string, ts: string): void {
  const rec: UsageRecord = {
    ...emptyTokens(),
    inputTokens: 10,
    outputTokens: 20,
    dedupKey: `msg_${sessionId}_${model}`,
    messageId: `msg_${sessionId}_${model}`,
    requestId: null,
    sessionId,
    agentId: null,
    project: null,
    model,
    ts,
    isSidechain: false,
    speed: null,
    costUsd: 0.001,
  };
  e.store.tx(() => e.store.usage.upsert(rec, '/t.jsonl', true));
}

describe('run reports from the spool', () => {
  it('become one routed Bash call and one measured saving priced with the session model, linked to the pattern', async () => {
    const e = engine();
    usage(e, SESSION, 'claude-opus-4-5', '2026-12-06T09:59:00.000Z');
    usage(e, 'other-session', 'claude-haiku-4-5', '2026-12-06T09:59:30.000Z');
    const pattern = e.store.tx(() =>
      e.store.patterns.ensure('test:npm-test:all', 'command', '2026-12-01T00:00:00Z', null),
    );
    const counts = await e.ingest(spoolText(e, runEnvelopeLine(report(), '2026-12-06T10:00:04.300Z')));
    expect(counts.toolCalls).toBe(1);
    expect(counts.quarantined).toBe(0);

    const call = one(e.store, "SELECT * FROM tool_calls WHERE call_key = 'run:r-01a24d70a52be92660e7'");
    expect(call).toMatchObject({
      tool_name: 'Bash',
      command: 'npm test',
      signature: 'test:npm-test:all',
      cwd: '/home/ana/src/shop',
      exit_code: 1,
      is_error: 1,
      interrupted: 0,
      duration_ms: 4250,
      response_bytes: 480_000,
      sources: 'run',
      session_id: null,
      tokens_saved: 119_100,
    });
    expect(JSON.parse(String(call!['routed_result']))).toMatchObject({
      offload: 'r-01a24d70a52be92660e7',
      sessionId: SESSION,
      model: 'claude-opus-4-5',
    });
    // our own work: never in the learning queue
    expect(count(e.store, 'learn_queue')).toBe(0);

    const saving = one(e.store, 'SELECT * FROM cost_savings_log');
    const usd = roundUsd(inputTokensCostUsd('claude-opus-4-5', 119_100));
    expect(usd).toBeGreaterThan(0);
    expect(saving).toMatchObject({
      optimization_type: 'offload_run',
      tokens_with_llm: 120_000,
      tokens_with_tool: 900,
      tokens_saved: 119_100,
      cost_saved_usd: usd,
      pattern_id: pattern.row.id,
      tool_call_id: call!['id'],
      ts: '2026-12-06T10:00:04.250Z',
    });
    expect(e.store.patterns.get(pattern.row.id)).toMatchObject({ routed_runs: 1, sum_tool_tokens_measured: 900 });
    const summary = e.store.savings.summary(Date.parse('2026-12-06T12:00:00Z'));
    expect(summary.byType).toEqual([
      { type: 'offload_run', usd, tokens: 119_100, rawTokens: 120_000, compactTokens: 900 },
    ]);
    expect(summary.topPatterns).toEqual([{ id: pattern.row.id, signature: 'test:npm-test:all', usd }]);
  });

  it('reading the same report again adds nothing', async () => {
    const e = engine();
    const text = runEnvelopeLine(report(), '2026-12-06T10:00:04.300Z');
    await e.ingest(spoolText(e, text));
    const again = await e.ingest(spoolText(e, text));
    expect(again.toolCalls).toBe(0);
    expect(count(e.store, 'tool_calls')).toBe(1);
    expect(count(e.store, 'cost_savings_log')).toBe(1);
  });

  it('without a session usage, prices with the most recently used model; with none, saves tokens at $0', async () => {
    const e = engine();
    await e.ingest(spoolText(e, runEnvelopeLine(report({ id: 'r-00000000000000000001' }), 'x')));
    usage(e, 'a', 'claude-opus-4-5', '2026-12-05T08:00:00.000Z');
    usage(e, 'b', 'claude-haiku-4-5', '2026-12-06T08:00:00.000Z');
    await e.ingest(spoolText(e, runEnvelopeLine(report({ id: 'r-00000000000000000002', sessionId: null }), 'x')));
    const rows = all(e.store, 'SELECT tokens_saved, cost_saved_usd FROM cost_savings_log ORDER BY id');
    expect(rows).toEqual([
      { tokens_saved: 119_100, cost_saved_usd: 0 },
      { tokens_saved: 119_100, cost_saved_usd: roundUsd(inputTokensCostUsd('claude-haiku-4-5', 119_100)) },
    ]);
  });

  it('a run whose compact text is larger than its output saves nothing (never a negative saving)', async () => {
    const e = engine();
    await e.ingest(spoolText(e, runEnvelopeLine(report({ rawBytes: 7, rawTokens: 2, compactTokens: 25 }), 'x')));
    expect(one(e.store, 'SELECT tokens_saved, tokens_with_llm, tokens_with_tool FROM cost_savings_log')).toEqual({
      tokens_saved: 0,
      tokens_with_llm: 2,
      tokens_with_tool: 25,
    });
  });

  it('a run typed by hand (no pattern) is stored with the signature of its command', async () => {
    const e = engine();
    await e.ingest(spoolText(e, runEnvelopeLine(report({ signature: null, command: 'cd api && pytest -x' }), 'x')));
    expect(one(e.store, 'SELECT signature FROM tool_calls')).toEqual({ signature: 'test:pytest:backend' });
    expect(one(e.store, 'SELECT pattern_id FROM cost_savings_log')).toEqual({ pattern_id: null });
  });

  it.each([
    ['a missing field', { ...report(), rawTokens: undefined }, 'run.rawTokens is not a count'],
    ['a path for an id', { ...report(), id: '../../etc/passwd' }, 'run.id is not r-<hex>'],
    ['a negative exit status', { ...report(), exitCode: -1 }, 'run.exitCode is not an exit status'],
    ['an unknown family', { ...report(), family: 'magic' }, 'run.family is not a compact family'],
    ['a string', 'npm test', 'run is not an object'],
  ])('a report with %s is quarantined, nothing stored', async (_what, run, reason) => {
    const e = engine();
    const counts = await e.ingest(spoolText(e, `${JSON.stringify({ v: 1, receivedAt: 'x', run })}\n`));
    expect(counts.quarantined).toBe(1);
    expect(one(e.store, 'SELECT reason FROM quarantine')).toEqual({ reason: `spool: bad run report: ${reason}` });
    expect(count(e.store, 'tool_calls')).toBe(0);
    expect(count(e.store, 'cost_savings_log')).toBe(0);
  });
});
