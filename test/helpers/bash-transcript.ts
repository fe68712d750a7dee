/**
 * A Claude Code transcript line pair for one Bash call: the assistant's tool_use of `command` in `cwd` at `ts`
 * (with a usage record), then the user line carrying `output` as its tool_result, four seconds later.
 */
export function bashCallLines(o: {
  id: string;
  session: string;
  command: string;
  cwd: string;
  ts: number;
  output: string;
}): string[] {
  const { id, command, output } = o;
  const base = { isSidechain: false, userType: 'external', cwd: o.cwd, sessionId: o.session, version: '2.1.63' };
  return [
    JSON.stringify({
      ...base,
      parentUuid: null,
      type: 'assistant',
      uuid: `a-${id}`,
      timestamp: new Date(o.ts).toISOString(),
      requestId: `req_${id}`,
      message: {
        model: 'claude-sonnet-4-5',
        id: `msg_${id}`,
        type: 'message',
        role: 'assistant',
        content: [{ type: 'tool_use', id: `toolu_${id}`, name: 'Bash', input: { command, description: 'run it' } }],
        stop_reason: 'tool_use',
        usage: {
          input_tokens: 10,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 20_000,
          output_tokens: 150,
        },
      },
    }),
    JSON.stringify({
      ...base,
      parentUuid: `a-${id}`,
      type: 'user',
      uuid: `u-${id}`,
      timestamp: new Date(o.ts + 4000).toISOString(),
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: `toolu_${id}`, content: output, is_error: false }],
      },
      toolUseResult: { stdout: output, stderr: '', interrupted: false, isImage: false },
    }),
  ];
}
