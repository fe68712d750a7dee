/**
 * A stored `tool_calls` row and the columns a merge writes: the call as kept (core StoredCall) plus
 * the row id and the routing outcome. Shared by the repository (which reads and writes rows) and
 * the batch that merges fragments into them.
 */
import type { StoredCall } from '../../core/records/stored-call.js';

export interface ToolCallRow extends StoredCall {
  id: number;
  routed_tool_id: number | null;
  routed_result: string | null;
  tokens_saved: number | null;
}

/** The columns a merge writes: all but the row id and the routing outcome (routed_tool_id, routed_result, tokens_saved). */
export const CALL_COLUMNS = [
  'call_key',
  'tool_use_id',
  'session_id',
  'agent_id',
  'workflow_id',
  'model',
  'tool_name',
  'command',
  'signature',
  'cwd',
  'input_json',
  'input_bytes',
  'response_bytes',
  'est_tokens',
  'exit_code',
  'is_error',
  'interrupted',
  'duration_ms',
  'started_at',
  'ended_at',
  'ts_ms',
  'sources',
  'file_paths',
  'loaded_paths',
  'context_facts',
  'learned',
  'updated_at',
] as const satisfies readonly (keyof StoredCall)[];

type Listed = Pick<StoredCall, (typeof CALL_COLUMNS)[number]>;

/**
 * A call as a merge writes it: StoredCall, whose every field CALL_COLUMNS lists (were one left
 * out of the list, this type would be `never` and every write of a merged call would fail to compile).
 */
export type CallColumns = Listed extends StoredCall ? StoredCall : never;
