/**
 * The narrow rows of `tool_calls` the learner reads: the columns, the tuple they come back as in
 * raw mode, and the object built from it.
 */
import type { ToolCallRow } from './tool-call-row.js';

/** The columns the learner reads of a call (not its input or response: those can be large). */
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
] as const;

export const LEARN_COLUMNS = LEARN_FIELDS.join(', ');

export type LearnCallRow = Pick<ToolCallRow, (typeof LEARN_FIELDS)[number]>;

/** A row of these columns as read in raw mode, in their order. */
type RawRow<C extends readonly (keyof ToolCallRow)[]> = {
  -readonly [I in keyof C]: ToolCallRow[C[I] & keyof ToolCallRow];
};
export type LearnTuple = RawRow<typeof LEARN_FIELDS>;

/**
 * The learner reads tens of thousands of these per backfill: taken in raw mode and built as one
 * object literal (one shape), which is several times cheaper than better-sqlite3's per-row objects.
 */
export function learnRow(r: LearnTuple): LearnCallRow {
  return {
    id: r[0],
    call_key: r[1],
    session_id: r[2],
    workflow_id: r[3],
    model: r[4],
    tool_name: r[5],
    command: r[6],
    cwd: r[7],
    input_bytes: r[8],
    response_bytes: r[9],
    exit_code: r[10],
    is_error: r[11],
    interrupted: r[12],
    duration_ms: r[13],
    started_at: r[14],
    ended_at: r[15],
    ts_ms: r[16],
  };
}
