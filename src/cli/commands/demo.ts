import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getErrorMessage } from '../../core/errors.js';
import type { DaemonClient } from '../../rpc/client.js';
import { METHODS } from '../../rpc/protocol.js';
import { connectOrStart, startDaemon, type Target } from '../daemon-control.js';
import { DemoGenerator } from '../demo/generator.js';
import { COMMON_OPTIONS, EXIT, parseCommand } from '../shared.js';
import { socketGone } from '../wait.js';

const spec = {
  name: 'demo',
  usage: 'outloop demo [--keep]',
  summary:
    'Shows outloop on generated activity: a temporary state dir, the daemon, a generator writing realistic agent sessions live, and the TUI on top. Approve the test pattern with `a` and watch routed runs save tokens. --keep leaves the temp dir behind.',
  options: { ...COMMON_OPTIONS, keep: { type: 'boolean', default: false } },
  positionals: { max: 0 },
} as const;

const TOOL_SCRIPT = `#!/usr/bin/env node
// Demo tool: what a deterministic "run the backend tests" script returns instead of an LLM turn.
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify({ success: true, summary: '24 passed in 2.27s', failures: [] }) + '\\n');
});
`;

/** Routes a request now and then, so approving the pattern shows savings moving. */
function startRouting(client: DaemonClient): NodeJS.Timeout {
  const asks = ['run the backend tests', 'run backend tests', 'run the server tests with pytest'];
  let i = 0;
  return setInterval(() => {
    const input = asks[i++ % asks.length] ?? 'run the backend tests';
    client.request(METHODS.route, { input }).catch(() => undefined);
  }, 4000);
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const root = mkdtempSync(join(tmpdir(), 'outloop-demo-'));
  const home = join(root, 'home');
  const target: Target = { stateDir: join(root, 'state'), socketPath: join(root, 'd.sock') };
  const env = { ...process.env, HOME: home, OUTLOOP_QUOTA_LIMIT: process.env['OUTLOOP_QUOTA_LIMIT'] ?? '20000000' };
  const gen = new DemoGenerator(home);
  let client: DaemonClient | null = null;
  let routing: NodeJS.Timeout | null = null;
  try {
    gen.writeHistory();
    await startDaemon(target, { env });
    client = await connectOrStart(target, false);
    const tool = join(root, 'run-backend-tests.mjs');
    writeFileSync(tool, TOOL_SCRIPT);
    chmodSync(tool, 0o755);
    await client
      .request(METHODS.toolsRegister, {
        name: 'backend-tests',
        signature: 'test:pytest:backend',
        triggers: ['run the backend tests', 'run pytest for the server'],
        argv: [tool],
        timeoutMs: 30_000,
      })
      .catch((e: unknown) => process.stderr.write(`outloop demo: could not register the demo tool: ${getErrorMessage(e)}\n`));
    gen.start();
    routing = startRouting(client);
    // React's development build is many times slower per frame; users get the production one.
    process.env['NODE_ENV'] ??= 'production';
    const { runTui } = await import('../../tui/main.js');
    return await runTui({ connect: () => connectOrStart(target, false) });
  } catch (e) {
    process.stderr.write(`outloop demo: ${getErrorMessage(e)}\n`);
    return EXIT.failure;
  } finally {
    gen.stop();
    if (routing) clearInterval(routing);
    if (client) {
      await client.request(METHODS.daemonShutdown, {}).catch(() => undefined);
      client.close();
      await socketGone(target.socketPath, 10_000);
    }
    if (parsed.values.keep) process.stderr.write(`outloop demo: state kept in ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }
}
