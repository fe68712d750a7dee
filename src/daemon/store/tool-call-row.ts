/**
 * A stored `tool_calls` row and the columns a merge writes: shared by the repository (which reads
 * and writes them), the merge (which combines fragments into them) and the context facts kept for
 * a call, so that none of those has to import another for the row's shape.
 */
export interface ToolCallRow {
  id: number;
  call_key: string;
  tool_use_id: string | null;
  session_id: string | null;
  agent_id: string | null;
  workflow_id: string | null;
  model: string | null;
  tool_name: string;
  command: string | null;
  /** the operation of a routed call (the agent's calls: only as written before migration 5) */
  signature: string | null;
  cwd: string | null;
  input_json: string | null;
  input_bytes: number;
  response_bytes: number;
  est_tokens: number;
  exit_code: number | null;
  is_error: number | null;
  interrupted: number;
  duration_ms: number | null;
  started_at: string | null;
  ended_at: string | null;
  ts_ms: number | null;
  sources: string;
  file_paths: string | null;
  loaded_paths: string | null;
  /** what the call loads, uses and mentions (context-call.ts); NULL until worked out (see ToolCallBatch.flush) */
  context_facts: string | null;
  routed_tool_id: number | null;
  routed_result: string | null;
  tokens_saved: number | null;
  /** written by versions before the learning queue (migration 5); 1 on routed calls */
  learned: number;
  updated_at: string;
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
] as const;

export type CallColumns = Pick<ToolCallRow, (typeof CALL_COLUMNS)[number]>;
