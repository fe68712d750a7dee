import type { ContextCall } from '../../src/core/context/facts.js';

/** The session cwd of the core context tests. */
export const CWD = '/home/ana/src/shop';

/** A completed call in CWD; `input` as an object (serialized, its `command` kept) or raw JSON text. */
export function call(
  toolName: string,
  input: Record<string, unknown> | string | null,
  extra: Partial<ContextCall> = {},
): ContextCall {
  const inputJson = input === null ? null : typeof input === 'string' ? input : JSON.stringify(input);
  const command =
    typeof input === 'object' && input !== null && typeof input['command'] === 'string' ? input['command'] : null;
  return {
    toolName,
    inputJson,
    command,
    responseBytes: 0,
    responseText: null,
    isError: false,
    cwd: CWD,
    filePaths: [],
    ...extra,
  };
}
