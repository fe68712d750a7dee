import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session } from '../helpers/pytest-session.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const DRIVER = join(ROOT, 'test', 'helpers', 'pty-drive.py');

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
