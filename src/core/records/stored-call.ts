/**
 * A tool call as it is kept: the fields its fragments (hook Pre/Post, transcript tool_use and
 * tool_result, stream-json) merge into, named as the columns of the `tool_calls` table that holds
 * them. The merge rules (tool-call-merge) and the context facts of a call (context/context-call)
 * read and write this shape; the store adds the row id and the routing outcome.
 */
export interface StoredCall {
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
  /** what the call loads, uses and mentions (context/context-call); NULL until worked out when the call is written */
  context_facts: string | null;
  /** written by versions before the learning queue (migration 5); 1 on routed calls */
  learned: number;
  updated_at: string;
}

/** Path lists by the JSON stored for them, when the caller has them (a merge made that JSON). */
export type PathLists = Map<string, readonly string[]>;
