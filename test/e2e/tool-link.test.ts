/** A tool registered before its pattern exists is that pattern's tool everywhere: tools list, patterns, TUI data. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type DaemonTarget } from '../helpers/cli.js';
import { session } from '../helpers/pytest-session.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, targets } = e2eDaemons({ stopGracefully: true });

describe('the link between a tool and its pattern', () => {
  it('holds when the tool was registered before the pattern was learned', async () => {
    const t: DaemonTarget = { stateDir: dirs.make('ol-link-'), socket: shortSocketPath() };
    targets.push(t);
    const reg = await runCli(
      [
        'tools',
        'register',
        '--name',
        'backend-tests',
        '--signature',
        'test:pytest:backend',
        '--trigger',
        'run the backend tests',
        '--json',
        '--',
        '/bin/true',
      ],
      t,
    );
    expect(reg.stderr).toBe('');
    const dir = join(dirs.make('ol-link-data-'), 'projects', '-home-dev-shop');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 3; i++) {
      const id = `5e55${i}000-0000-4000-8000-00000000000${i}`;
      writeFileSync(join(dir, `${id}.jsonl`), session(id, 10 + i));
    }
    expect((await runCli(['ingest', dir, '--json'], t)).code).toBe(0);
    const patterns = JSON.parse((await runCli(['patterns', '--json'], t)).stdout) as {
      signature: string;
      toolName: string | null;
      id: number;
    }[];
    const p = patterns.find((x) => x.signature === 'test:pytest:backend');
    expect(p?.toolName).toBe('backend-tests');
    expect((await runCli(['approve', String(p?.id), '--json'], t)).code).toBe(0);
    const after = JSON.parse((await runCli(['patterns', '--json'], t)).stdout) as {
      signature: string;
      toolName: string | null;
    }[];
    expect(after.find((x) => x.signature === 'test:pytest:backend')?.toolName).toBe('backend-tests');
    const tools = JSON.parse((await runCli(['tools', 'list', '--json'], t)).stdout) as {
      name: string;
      routable: boolean;
    }[];
    expect(tools.find((x) => x.name === 'backend-tests')?.routable).toBe(true);
  });
});
