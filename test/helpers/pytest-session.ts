/**
 * A Claude Code transcript of one session that ran `cd app/server && uv run pytest tests/ -q` twice on
 * 2026-11-<day>, each call answered "12 passed": three of them make the pattern `test:pytest:backend`.
 */
export function session(sessionId: string, day: number): string {
  const lines: unknown[] = [];
  const ts = (s: number): string => new Date(Date.UTC(2026, 10, day, 9, 0, s)).toISOString();
  for (let i = 0; i < 2; i++) {
    const id = `toolu_${sessionId.slice(0, 8)}_${i}`;
    lines.push({
      type: 'assistant',
      sessionId,
      timestamp: ts(i * 10),
      uuid: `${sessionId}-a${i}`,
      requestId: `req_${sessionId}_${i}`,
      message: {
        id: `msg_${sessionId}_${i}`,
        model: 'claude-sonnet-4-5-20250929',
        role: 'assistant',
        content: [
          { type: 'tool_use', id, name: 'Bash', input: { command: 'cd app/server && uv run pytest tests/ -q' } },
        ],
        usage: { input_tokens: 5, output_tokens: 80, cache_creation_input_tokens: 400, cache_read_input_tokens: 9000 },
      },
    });
    lines.push({
      type: 'user',
      sessionId,
      timestamp: ts(i * 10 + 3),
      uuid: `${sessionId}-u${i}`,
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: id, content: '12 passed', is_error: false }],
      },
      toolUseResult: { stdout: '12 passed', stderr: '', interrupted: false },
    });
  }
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}
