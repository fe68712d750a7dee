import { randomUUID } from 'node:crypto';

/** One scripted step of a demo session: a Bash command (with outcome) or a file tool. */
export interface Step {
  tool: 'Bash' | 'Read' | 'Edit' | 'Grep';
  input: Record<string, unknown>;
  output: string;
  ok: boolean;
  seconds: number;
}

const bash = (command: string, output: string, ok = true, seconds = 3): Step => ({
  tool: 'Bash',
  input: { command },
  output,
  ok,
  seconds,
});
const read = (file: string, bytes: number): Step => ({
  tool: 'Read',
  input: { file_path: file },
  output: 'x'.repeat(bytes),
  ok: true,
  seconds: 0,
});
const edit = (file: string): Step => ({
  tool: 'Edit',
  input: { file_path: file, old_string: 'a', new_string: 'b' },
  output: 'ok',
  ok: true,
  seconds: 0,
});

const PYTEST_FAIL = 'FAILED tests/test_cart.py::test_total - AssertionError: 41 != 42\n1 failed, 23 passed in 2.31s\n';
const PYTEST_PASS = '24 passed in 2.27s\n';

/** Scripts modelled on real agent sessions in a small web shop: backend tests, a fix loop, type checks. */
export const SCRIPTS: Step[][] = [
  [
    bash('git status --short', ' M app/server/cart.py\n'),
    read('/home/dev/shop/app/server/cart.py', 6000),
    bash('cd app/server && uv run pytest tests/ -x -q | tail -20', PYTEST_FAIL.repeat(30), false, 4),
    edit('/home/dev/shop/app/server/cart.py'),
    bash('cd app/server && uv run pytest tests/ -x -q | tail -20', PYTEST_PASS.repeat(30), true, 4),
    bash('git diff --stat', ' app/server/cart.py | 4 ++--\n'),
  ],
  [
    bash('git status --short', ' M app/client/src/Cart.tsx\n'),
    {
      tool: 'Grep',
      input: { pattern: 'useCart' },
      output: 'app/client/src/Cart.tsx\napp/client/src/hooks.ts\n',
      ok: true,
      seconds: 0,
    },
    read('/home/dev/shop/app/client/src/Cart.tsx', 9000),
    edit('/home/dev/shop/app/client/src/Cart.tsx'),
    bash('cd app/client && npx tsc --noEmit', '', true, 6),
    bash('cd app/client && npx eslint src --max-warnings 0', '', true, 5),
    bash('cd app/server && uv run pytest tests/ -x -q | tail -20', PYTEST_PASS.repeat(30), true, 4),
  ],
  [
    bash('cd app/server && uv run pytest tests/ -x -q | tail -20', PYTEST_PASS.repeat(30), true, 4),
    bash('git log --oneline -5', 'a1b2c3d fix cart total\n'.repeat(5)),
    bash('cd app/server && uv run ruff check .', 'All checks passed!\n', true, 1),
  ],
];

export interface Line {
  text: string;
  /** seconds after the previous line */
  delay: number;
}

/** The transcript lines of one session (assistant tool_use with usage, then the user tool_result). */
export function transcriptLines(script: Step[], sessionId: string, start: Date, cwd: string): Line[] {
  const lines: Line[] = [];
  let t = start.getTime();
  const iso = (): string => new Date(t).toISOString();
  script.forEach((s, i) => {
    const toolId = `toolu_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    t += 2000;
    lines.push({
      delay: 2,
      text: JSON.stringify({
        type: 'assistant',
        uuid: randomUUID(),
        sessionId,
        timestamp: iso(),
        cwd,
        version: '2.1.119',
        requestId: `req_${randomUUID().slice(0, 18)}`,
        message: {
          id: `msg_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
          model: 'claude-sonnet-4-5-20250929',
          role: 'assistant',
          type: 'message',
          content: [{ type: 'tool_use', id: toolId, name: s.tool, input: s.input }],
          stop_reason: 'tool_use',
          usage: {
            input_tokens: 6,
            output_tokens: 90 + i * 7,
            cache_creation_input_tokens: 1800,
            cache_read_input_tokens: 24_000 + i * 2500,
          },
        },
      }),
    });
    t += s.seconds * 1000;
    const content = s.ok ? s.output : `Exit code 1\n${s.output}`;
    lines.push({
      delay: Math.max(1, s.seconds),
      text: JSON.stringify({
        type: 'user',
        uuid: randomUUID(),
        sessionId,
        timestamp: iso(),
        cwd,
        version: '2.1.119',
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolId, content, is_error: !s.ok }] },
        toolUseResult:
          s.tool === 'Bash' ? { stdout: s.output, stderr: '', interrupted: false, isImage: false } : s.output,
      }),
    });
  });
  return lines;
}
