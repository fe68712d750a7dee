/**
 * Rows the learner builds itself instead of taking better-sqlite3's objects: calls read in raw mode
 * (every field from its own column, for the queue and a session's calls alike) and a new pattern
 * (the row as the table stores it).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolCallFragment } from '../../../src/core/types.js';
import { Store } from '../../../src/daemon/store/store.js';
import type { LearnCallRow, ToolCallRow } from '../../../src/daemon/store/tool-calls-repo.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
const stores: Store[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  dirs.removeAll();
});

const SESSION = 'sess-rows';

/** Every field distinct from every other, so a column read into the wrong field shows. */
const CALLS: ToolCallFragment[] = [
  {
    callKey: 'toolu_bash_1',
    toolUseId: 'toolu_bash_1',
    source: 'transcript',
    sessionId: SESSION,
    model: 'claude-sonnet-4-5',
    toolName: 'Bash',
    command: 'npx vitest run',
    cwd: '/home/ana/shop',
    inputBytes: 31,
    responseBytes: 4097,
    exitCode: 1,
    isError: true,
    interrupted: true,
    durationMs: 2345,
    startedAt: '2026-11-01T09:00:00.000Z',
    endedAt: '2026-11-01T09:00:02.345Z',
  },
  {
    callKey: 'toolu_edit_2',
    toolUseId: 'toolu_edit_2',
    source: 'transcript',
    sessionId: SESSION,
    model: 'claude-opus-4-1',
    toolName: 'Edit',
    command: null,
    cwd: '/home/ana/shop/app',
    inputBytes: 77,
    responseBytes: 12,
    exitCode: null,
    isError: false,
    interrupted: false,
    durationMs: 5,
    startedAt: '2026-11-01T09:01:00.000Z',
    endedAt: '2026-11-01T09:01:00.005Z',
  },
  {
    callKey: 'toolu_bash_3',
    toolUseId: 'toolu_bash_3',
    source: 'transcript',
    sessionId: SESSION,
    model: null,
    toolName: 'Bash',
    command: 'git status',
    cwd: null,
    inputBytes: 19,
    responseBytes: 0,
    exitCode: 0,
    isError: null,
    interrupted: false,
    durationMs: null,
    startedAt: null,
    endedAt: '2026-11-01T09:02:00.000Z',
  },
];

const LEARN_FIELDS = [
  'id',
  'call_key',
  'session_id',
  'workflow_id',
  'model',
  'tool_name',
  'command',
  'cwd',
  'input_bytes',
  'response_bytes',
  'exit_code',
  'is_error',
  'interrupted',
  'duration_ms',
  'started_at',
  'ended_at',
  'ts_ms',
] as const satisfies readonly (keyof LearnCallRow)[];

function expected(row: ToolCallRow): LearnCallRow {
  return Object.fromEntries(LEARN_FIELDS.map((f) => [f, row[f]])) as unknown as LearnCallRow;
}

describe('the learner reads of tool calls', () => {
  it('the queue and a session give each column in its own field, as the full row has it', () => {
    const store = Store.open(join(dirs.make('ol-rows-'), 'outloop.db'));
    stores.push(store);
    store.tx(() => {
      store.toolCalls.merge(CALLS[0]!, 'adw-7');
      store.toolCalls.merge(CALLS[1]!);
      store.toolCalls.merge(CALLS[2]!);
    });
    const full = store.toolCalls.forSession(SESSION);
    expect(full.map((r) => r.call_key)).toEqual(['toolu_bash_1', 'toolu_edit_2', 'toolu_bash_3']);
    expect(full[0]?.workflow_id).toBe('adw-7');
    expect(full[0]?.interrupted).toBe(1);
    expect(full[2]?.started_at).toBeNull();

    // the queue: the Bash calls only, oldest first
    const queued = store.toolCalls.unlearnedBatch(10);
    expect(queued).toEqual([expected(full[0]!), expected(full[2]!)]);
    // a session: its Bash calls and edits, in time order
    expect(store.toolCalls.sessionForLearning(SESSION)).toEqual(full.map(expected));
    // exactly the fields of a LearnCallRow, nothing more
    expect(Object.keys(queued[0]!).sort()).toEqual([...LEARN_FIELDS].sort());
  });
});

describe('a pattern the learner creates', () => {
  it('is handed back as the stored row, with every other column at its default', () => {
    const store = Store.open(join(dirs.make('ol-rows-'), 'outloop.db'));
    stores.push(store);
    const made = store.tx(() => [
      store.patterns.ensure('test:vitest:frontend', 'command', '2026-11-01T09:00:00.000Z', 'claude-sonnet-4-5'),
      store.patterns.ensure(
        'seq:test:vitest:frontend>lint:eslint:frontend',
        'sequence',
        '2026-11-02T10:00:00.000Z',
        null,
      ),
    ]);
    for (const { row, created } of made) {
      expect(created).toBe(true);
      expect(row).toEqual(store.patterns.get(row.id));
    }
    expect(made[0]?.row).toMatchObject({ status: 'detected', kind: 'command', first_seen: '2026-11-01T09:00:00.000Z' });
    // asked again: the stored row, not a new one
    const again = store.tx(() =>
      store.patterns.ensure('test:vitest:frontend', 'command', '2026-11-03T00:00:00.000Z', null),
    );
    expect(again).toEqual({ row: store.patterns.get(made[0]!.row.id), created: false });
  });
});
