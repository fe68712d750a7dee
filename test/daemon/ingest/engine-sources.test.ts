/**
 * Every quirk of real agent records through the real engine and a real store: each fixture
 * ends as rows, a quarantine row or a warning, and nothing else in its file is lost.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { all, copyFixture, count, FIXTURES, one, recordingLogger, testEngines } from '../../helpers/ingest.js';

const { dirs, engine } = testEngines();

describe('hook logs', () => {
  it('array logs without timestamps or tool_use_id: Pre and Post paired by order within the session (1, 2)', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    cpSync(join(FIXTURES, 'hooks', 'PreToolUse.json'), join(logs, 'PreToolUse.json'));
    cpSync(join(FIXTURES, 'hooks', 'PostToolUse-stray.json'), join(logs, 'PostToolUse.json'));
    // a Post for the Pre of `pnpm test` (the fixtures' Posts are of other calls)
    const pre = JSON.parse(readFileSync(join(logs, 'PreToolUse.json'), 'utf8')) as Record<string, unknown>[];
    writeFileSync(
      join(logs, 'PostToolUseFailure.json'),
      JSON.stringify(
        [{ ...pre[0], hook_event_name: 'PostToolUseFailure', error: 'Exit code 1', is_interrupt: false }],
        null,
        2,
      ),
    );
    const c = await e.ingest(logs);
    expect(c.hookEvents).toBe(5);
    expect(c.toolCalls).toBe(4);
    const calls = all(
      e.store,
      'SELECT tool_name, command, sources, exit_code, started_at, ended_at FROM tool_calls ORDER BY tool_name, command',
    );
    expect(calls.map((r) => [r['tool_name'], r['command'], r['sources']])).toEqual([
      ['Bash', 'git status --short', 'hook-post'],
      ['Bash', 'pnpm test --filter cart', 'hook-post,hook-pre'],
      ['Edit', expect.anything(), 'hook-post'],
      ['Read', expect.anything(), 'hook-pre'],
    ]);
    expect(calls[1]?.['exit_code']).toBe(1);
    expect(calls.every((r) => r['started_at'] === null && r['ended_at'] === null)).toBe(true); // no times in these logs
    // the stray bytes after the array: one quarantine row, the elements before it kept
    expect(c.quarantined).toBe(1);
    expect(one(e.store, 'SELECT reason FROM quarantine')?.['reason']).toMatch(/after the closing \]/);
  });

  it('a truncated array file: the complete elements, then the tail quarantined once read as final (2)', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    cpSync(join(FIXTURES, 'hooks', 'PostToolUse-truncated.json'), join(logs, 'PostToolUse.json'));
    const c = await e.ingest(logs);
    expect(c.hookEvents).toBeGreaterThanOrEqual(1);
    expect(c.quarantined).toBe(1);
    expect(one(e.store, 'SELECT reason FROM quarantine')?.['reason']).toMatch(/incomplete array/);
  });

  it('field drift across versions, camelCase producers, call_ ids, polymorphic responses, Windows paths (3-6, 16)', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    for (const f of ['field-drift.jsonl', 'custom-logger.jsonl', 'tool-response-shapes.jsonl', 'windows.jsonl'])
      cpSync(join(FIXTURES, 'hooks', f), join(logs, f));
    cpSync(join(FIXTURES, 'hooks', 'mixed-producers.json'), join(logs, 'mixed.json'));
    const c = await e.ingest(logs);
    expect(c.quarantined).toBe(0);
    expect(c.hookEvents).toBe(6 + 3 + 4 + 1 + 2);
    // PostToolUseFailure: an error with its exit code
    expect(one(e.store, "SELECT exit_code, is_error FROM tool_calls WHERE tool_use_id = 'toolu_01Lint'")).toEqual({
      exit_code: 2,
      is_error: 1,
    });
    // camelCase producer with call_ ids
    expect(count(e.store, "tool_calls WHERE tool_use_id LIKE 'call_%'")).toBe(2);
    // custom logger: Pre/Post without tool_use_id paired by order, times from logged_at/timestamp
    const paired = one(
      e.store,
      "SELECT started_at, ended_at, sources FROM tool_calls WHERE tool_use_id IS NULL AND session_id = '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c'",
    );
    expect(paired?.['sources']).toBe('hook-post,hook-pre');
    expect(paired?.['started_at']).not.toBeNull();
    // 72 KB last_assistant_message kept whole in the raw payload
    expect(
      Number(one(e.store, "SELECT max(length(payload)) AS n FROM hook_events WHERE event = 'SubagentStop'")?.['n']),
    ).toBeGreaterThan(70_000);
    expect(one(e.store, "SELECT cwd FROM hook_events WHERE cwd LIKE 'C:%'")?.['cwd']).toBe(
      'C:\\Users\\Zoë Müller\\src\\app (v2)',
    );
  });

  it('status-line records in the logs folder become quota signals, not hook events (7)', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    cpSync(join(FIXTURES, 'hooks', 'status_line.json'), join(logs, 'status_line.json'));
    const c = await e.ingest(logs);
    expect(c.hookEvents).toBe(0);
    expect(c.quarantined).toBe(0);
    expect(count(e.store, 'quota_signals')).toBeGreaterThanOrEqual(1);
    expect(one(e.store, 'SELECT five_hour_pct FROM quota_signals')?.['five_hour_pct']).toBe(61);
  });

  it('a chat.json transcript copy in the logs folder is read as transcript entries, not quarantined', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    const lines = `${FIXTURES}/transcripts/-home-ana-src-shop-api/5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c.jsonl`;
    const entries = readFileSync(lines, 'utf8')
      .split('\n')
      .filter(
        (l) =>
          l.startsWith('{"parentUuid": "a0b1') || l.includes('"toolu_01Bn5cXw8eRt2yUi4oPa6sDf", "type": "tool_result"'),
      );
    writeFileSync(join(logs, 'chat.json'), `[${entries.join(',')}]`);
    const c = await e.ingest(logs);
    expect(c.quarantined).toBe(0);
    expect(c.usageRecords).toBe(1);
    expect(c.toolCalls).toBe(1);
  });
});

describe('stream-json outputs', () => {
  it('one block per line, usage repeated: one record per message id with the largest token values (8)', async () => {
    const e = engine();
    const agents = join(dirs.make(), 'agents', 'a1b2c3d4', 'sdlc_implementor');
    mkdirSync(agents, { recursive: true });
    cpSync(join(FIXTURES, 'stream-json', 'multi-block.jsonl'), join(agents, 'raw_output.jsonl'));
    const c = await e.ingest(join(agents, '..', '..'));
    const msgA = one(
      e.store,
      "SELECT output_tokens, cache_creation_tokens FROM usage_records WHERE message_id = 'msg_01A'",
    );
    expect(msgA?.['output_tokens']).toBe(41);
    expect(c.usageRecords).toBe(count(e.store, 'usage_records'));
    expect(count(e.store, "usage_records WHERE message_id = 'msg_01A'")).toBe(1);
    expect(c.workflowRuns).toBe(1);
    expect(one(e.store, 'SELECT workflow_id FROM tool_calls WHERE tool_use_id = ?', 'toolu_01X')?.['workflow_id']).toBe(
      'a1b2c3d4',
    );
  });

  it('hook_response before init, no result line, Python spacing, error results, empty outputs (9, 10)', async () => {
    const e = engine();
    const root = dirs.make();
    const place = (fixture: string, id: string, agent: string, name: string): void => {
      const d = join(root, 'agents', id, agent);
      mkdirSync(d, { recursive: true });
      cpSync(join(FIXTURES, 'stream-json', fixture), join(d, name));
    };
    place('python-no-result.jsonl', 'b1b2c3d4', 'sdlc_planner', 'raw_output.jsonl');
    place('error-max-turns.jsonl', 'c1b2c3d4', 'sdlc_planner', 'raw_output.jsonl');
    place('empty.jsonl', 'd1b2c3d4', 'sdlc_planner', 'raw_output.jsonl');
    place('raw_output-empty.json', 'd1b2c3d4', 'sdlc_planner', 'raw_output.json');
    place('raw_output.json', 'e1b2c3d4', 'tester', 'raw_output.json');
    const c = await e.ingest(root);
    expect(c.quarantined).toBe(0);
    expect(c.workflowRuns).toBe(4);
    const runs = all(e.store, 'SELECT adw_id, status FROM workflow_runs ORDER BY adw_id');
    expect(runs.find((r) => r['adw_id'] === 'b1b2c3d4')?.['status']).toBe('incomplete');
    expect(runs.find((r) => r['adw_id'] === 'c1b2c3d4')?.['status']).toBe('error');
    expect(c.usageRecords).toBeGreaterThan(0);
  });
});

describe('ADW state directories', () => {
  it('three schemas, mostly-null and empty states, odd agent folders, prompts (11, 12)', async () => {
    const e = engine();
    const agentsRoot = join(dirs.make(), 'agents');
    copyFixture('adw/agents', agentsRoot);
    const states: [string, string][] = [
      ['tac5.json', 'a1b2c3d4'],
      ['tac7.json', 'cc73faf1'],
      ['other-schema.json', 'adw_1732112345_9f3c2a'],
      ['mostly-null.json', 'adw-3af4a34d'],
      ['head.json', 'adw-20251121-140211'],
      ['empty.json', 'e0e0e0e0'],
    ];
    for (const [f, id] of states) {
      mkdirSync(join(agentsRoot, id), { recursive: true });
      cpSync(join(FIXTURES, 'adw', 'states', f), join(agentsRoot, id, 'adw_state.json'));
    }
    // odd agent folders
    mkdirSync(join(agentsRoot, 'cc73faf1', 'build-.'), { recursive: true });
    mkdirSync(join(agentsRoot, 'cc73faf1', 'empty_agent'), { recursive: true });
    const c = await e.ingest(agentsRoot);
    expect(c.quarantined).toBe(0);
    // the empty state with nothing else in its dir is no run yet
    expect(c.workflowRuns).toBe(6);
    const d2 = one(e.store, "SELECT issue_number, phases, nl_input FROM workflow_runs WHERE adw_id = 'd2ac5466'");
    expect(d2?.['issue_number']).toBe(1);
    expect(String(d2?.['nl_input'] ?? '')).not.toBe('');
    expect(
      one(e.store, "SELECT issue_number FROM workflow_runs WHERE adw_id = 'adw_1732112345_9f3c2a'")?.['issue_number'],
    ).toBe(12);
  });

  it('a half-written state: retried on the next change, not quarantined (13)', async () => {
    const logger = recordingLogger();
    const e = engine({ logger, finalSettleMs: 60_000 });
    const run = join(dirs.make(), 'agents', '7c1e9a42');
    mkdirSync(join(run, 'sdlc_planner'), { recursive: true });
    cpSync(join(FIXTURES, 'adw', 'states', 'truncated.json'), join(run, 'adw_state.json'));
    cpSync(join(FIXTURES, 'stream-json', 'multi-block.jsonl'), join(run, 'sdlc_planner', 'raw_output.jsonl'));
    e.engine.enqueue(join(run, 'adw_state.json'));
    await vi.waitFor(() => expect(logger.lines.some((l) => l.includes('will retry'))).toBe(true), {
      timeout: 5000,
      interval: 10,
    });
    expect(count(e.store, 'workflow_runs')).toBe(0);
    expect(count(e.store, 'quarantine')).toBe(0);
    // the writer finishes the state: the run is built from it
    cpSync(join(FIXTURES, 'adw', 'states', 'head.json'), join(run, 'adw_state.json'));
    e.engine.enqueue(join(run, 'adw_state.json'));
    await vi.waitFor(
      () =>
        expect(one(e.store, "SELECT issue_number FROM workflow_runs WHERE adw_id = '7c1e9a42'")?.['issue_number']).toBe(
          58,
        ),
      {
        timeout: 5000,
        interval: 20,
      },
    );
    expect(count(e.store, 'quarantine')).toBe(0);
  });

  it('a state that stays torn: once settled (or in an explicit ingest) the run is built without it and the state quarantined (13)', async () => {
    const e = engine();
    const run = join(dirs.make(), 'agents', '7c1e9a42');
    mkdirSync(join(run, 'sdlc_planner'), { recursive: true });
    cpSync(join(FIXTURES, 'adw', 'states', 'truncated.json'), join(run, 'adw_state.json'));
    cpSync(join(FIXTURES, 'stream-json', 'multi-block.jsonl'), join(run, 'sdlc_planner', 'raw_output.jsonl'));
    e.engine.enqueue(join(run, 'adw_state.json'));
    await vi.waitFor(() => expect(count(e.store, 'workflow_runs')).toBe(1), { timeout: 5000, interval: 20 });
    expect(one(e.store, 'SELECT reason FROM quarantine')?.['reason']).toMatch(/adw_state\.json/);
    const other = join(dirs.make(), 'agents', '8c1e9a42');
    mkdirSync(join(other, 'sdlc_planner'), { recursive: true });
    cpSync(join(FIXTURES, 'adw', 'states', 'truncated.json'), join(other, 'adw_state.json'));
    cpSync(join(FIXTURES, 'stream-json', 'multi-block.jsonl'), join(other, 'sdlc_planner', 'raw_output.jsonl'));
    const c = await e.ingest(other);
    expect(c.workflowRuns).toBe(1);
    expect(c.quarantined).toBe(1);
  });
});

describe('transcripts', () => {
  it('both subagent layouts, aside questions, orphan subagent folders, non-message lines, synthetic messages (14, 15)', async () => {
    const e = engine();
    const projects = join(dirs.make(), 'projects');
    copyFixture('transcripts', projects);
    const c = await e.ingest(projects);
    // the torn last line of the main session waits for its newline: a warning, not a quarantine row
    expect(c.quarantined).toBe(0);
    expect(e.warnings.list().some((w) => w.includes('not a complete line'))).toBe(true);
    const ids = all(
      e.store,
      'SELECT message_id, model, cost_usd, is_sidechain, session_id FROM usage_records ORDER BY message_id',
    );
    expect(ids.map((r) => r['message_id'])).toEqual([
      'f3b0a9c8-1111-2222-3333-444455556666',
      'f3b0a9c8-old',
      'msg_01Bash',
      'msg_01Tq7ZbX3yVw2sHk9LmN4pRc',
      'msg_flat',
      'msg_sub1',
    ]);
    for (const r of ids.filter((r) => r['model'] === '<synthetic>')) expect(r['cost_usd']).toBe(0);
    // the message also copied into the aside-question subagent file is one record, main chain, max tokens
    const dup = ids.find((r) => r['message_id'] === 'msg_01Tq7ZbX3yVw2sHk9LmN4pRc');
    expect(dup?.['is_sidechain']).toBe(0);
    expect(
      one(e.store, "SELECT output_tokens FROM usage_records WHERE message_id = 'msg_01Tq7ZbX3yVw2sHk9LmN4pRc'")?.[
        'output_tokens'
      ],
    ).toBe(143);
    // nested subagent: session from the parent folder; flat 2.0.x agent file: session from its lines
    expect(ids.find((r) => r['message_id'] === 'msg_sub1')?.['session_id']).toBe(
      '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c',
    );
    expect(ids.find((r) => r['message_id'] === 'msg_flat')?.['session_id']).toBe(
      '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
    );
    // tool_use + tool_result pairs, one row each
    expect(one(e.store, "SELECT exit_code, is_error FROM tool_calls WHERE tool_use_id = 'toolu_01Bash'")).toEqual({
      exit_code: 1,
      is_error: 1,
    });
    expect(
      one(e.store, "SELECT interrupted FROM tool_calls WHERE tool_use_id = 'toolu_01Sleep'")?.['interrupted'],
    ).toBe(1);
  });

  it('project folders differing only by case, Windows-encoded names (15, 16)', async () => {
    const e = engine();
    const projects = join(dirs.make(), 'projects');
    const src = join(FIXTURES, 'transcripts', '-home-ana-src-shop-api', 'agent-3f2e1d0c.jsonl');
    for (const p of ['C--Users-Zoë-src-app (1)', 'c--users-zoë-src-app (1)']) {
      mkdirSync(join(projects, p), { recursive: true });
      cpSync(src, join(projects, p, 'agent-3f2e1d0c.jsonl'));
    }
    const c = await e.ingest(projects);
    expect(c.quarantined).toBe(0);
    expect(c.usageRecords).toBe(1); // the same message in both: counted once
    expect(c.files).toBe(2);
  });
});
