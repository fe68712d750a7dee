import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const DRIVER = join(ROOT, 'test', 'helpers', 'pty-drive.py');

function session(sessionId: string, day: number): string {
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

const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasPython)('the real TUI under a pseudo-terminal', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]): string => execFileSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ol-tui-'));
    env = {
      ...process.env,
      OUTLOOP_HOME: join(root, 'state'),
      OUTLOOP_SOCKET: join(root, 's.sock'),
      HOME: join(root, 'home'),
      NO_COLOR: '1',
    };
    const dir = join(root, 'data', 'projects', '-home-dev-shop');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 3; i++)
      writeFileSync(
        join(dir, `5e55${i}000-0000-4000-8000-00000000000${i}.jsonl`),
        session(`5e55${i}000-0000-4000-8000-00000000000${i}`, 10 + i),
      );
    cli('ingest', join(root, 'data'), '--json');
  });

  afterAll(() => {
    spawnSync(process.execPath, [CLI, 'stop'], { env });
    rmSync(root, { recursive: true, force: true });
  });

  it('approves the selected pattern with `a` and the CLI sees it approved', () => {
    const before = JSON.parse(cli('patterns', '--json')) as { signature: string; status: string }[];
    expect(before.find((p) => p.signature === 'test:pytest:backend')?.status).toBe('detected');
    const script = [
      { expect: 'test:pytest:backend', timeout: 30 },
      { send: 'a' },
      { expect: 'approved', timeout: 20 },
      { send: 'q' },
    ];
    const r = spawnSync('python3', [DRIVER, JSON.stringify(script), '--', process.execPath, CLI, 'tui'], {
      env,
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const after = JSON.parse(cli('patterns', '--json')) as { signature: string; status: string }[];
    expect(after.find((p) => p.signature === 'test:pytest:backend')?.status).toBe('approved');
  });
});
