import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getErrorMessage } from '../../core/errors.js';
import type { DaemonClient } from '../../rpc/client.js';
import { METHODS } from '../../rpc/protocol.js';
import { connectOrStart, startDaemon, type Target } from '../daemon-control.js';
import { DemoGenerator } from '../demo/generator.js';
import { COMMON_OPTIONS, EXIT, parseCommand } from '../shared.js';
import { processExited, socketGone } from '../wait.js';

const spec = {
  name: 'demo',
  usage: 'outloop demo [--keep] [--headless]',
  summary:
    "Shows outloop on generated activity: a temporary state dir, the daemon, a generator writing realistic agent sessions live, and the TUI on top. Approve the test pattern (test:pytest:backend) with `a` and, within a few seconds, routed runs show measured savings in the Savings pane. The demo's daemon and temp dir end with the demo however it ends (q, Ctrl-C, a closed terminal, a signal). --keep leaves the temp dir behind. --headless runs without the TUI and prints the socket to use with other outloop commands (OUTLOOP_SOCKET=…) until interrupted.",
  options: {
    ...COMMON_OPTIONS,
    keep: { type: 'boolean', default: false },
    headless: { type: 'boolean', default: false },
  },
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

/** How often the demo asks the daemon to route a request. */
const ROUTE_EVERY_MS = 4000;

/** Routes a request now and then from the demo project, so approving the pattern shows savings moving. */
function startRouting(client: DaemonClient, cwd: string): NodeJS.Timeout {
  const asks = ['run the backend tests', 'run backend tests', 'run the server tests with pytest'];
  let i = 0;
  return setInterval(() => {
    const input = asks[i++ % asks.length] ?? 'run the backend tests';
    client.request(METHODS.route, { input, cwd }).catch(() => undefined);
  }, ROUTE_EVERY_MS);
}

interface Demo {
  root: string;
  target: Target;
  client: DaemonClient;
  stop(): Promise<void>;
}

/**
 * Starts the demo's daemon in a fresh temp dir, writes a week of history, registers the demo tool and starts
 * the live generator and the routing. The daemon is told to exit once this process is gone and to remove the
 * temp dir then (unless kept), so nothing outlives the demo.
 */
async function startDemo(keep: boolean): Promise<Demo> {
  const root = mkdtempSync(join(tmpdir(), 'outloop-demo-'));
  const home = join(root, 'home');
  const project = join(root, 'shop');
  mkdirSync(project, { recursive: true });
  const target: Target = { stateDir: join(root, 'state'), socketPath: join(root, 'd.sock') };
  const env = {
    ...process.env,
    HOME: home,
    OUTLOOP_QUOTA_LIMIT: process.env['OUTLOOP_QUOTA_LIMIT'] ?? '20000000',
    OUTLOOP_EXIT_WITH_PID: String(process.pid),
    ...(keep ? {} : { OUTLOOP_REMOVE_ON_EXIT: root }),
  };
  const gen = new DemoGenerator(home);
  let client: DaemonClient | null = null;
  let routing: NodeJS.Timeout | null = null;
  let stopped: Promise<void> | null = null;
  let daemonPid: number | null = null;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      gen.stop();
      if (routing) clearInterval(routing);
      if (client) {
        await client.request(METHODS.daemonShutdown, {}).catch(() => undefined);
        client.close();
        await socketGone(target.socketPath, 10_000);
      }
      if (daemonPid !== null) await processExited(daemonPid, 10_000);
      if (keep) process.stderr.write(`outloop demo: state kept in ${root}\n`);
      else rmSync(root, { recursive: true, force: true });
    })());
  try {
    gen.writeHistory();
    daemonPid = (await startDaemon(target, { env })).status.pid;
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
        cwdPolicy: 'fixed',
        cwd: project,
        timeoutMs: 30_000,
      })
      .catch((e: unknown) =>
        process.stderr.write(`outloop demo: could not register the demo tool: ${getErrorMessage(e)}\n`),
      );
    gen.start();
    routing = startRouting(client, project);
    return { root, target, client, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Resolves with the signal's exit code once SIGINT, SIGTERM or SIGHUP arrives. */
function untilSignal(): { done: Promise<number>; fired(): boolean; dispose(): void } {
  let dispose = (): void => {};
  let fired = false;
  const done = new Promise<number>((resolve) => {
    const codes: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
    const on = (sig: NodeJS.Signals): void => {
      fired = true;
      resolve(codes[sig] ?? 1);
    };
    for (const sig of Object.keys(codes) as NodeJS.Signals[]) process.on(sig, on);
    dispose = () => {
      for (const sig of Object.keys(codes) as NodeJS.Signals[]) process.off(sig, on);
    };
  });
  return { done, fired: () => fired, dispose: () => dispose() };
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const { keep, headless } = parsed.values;
  if (!headless && !process.stdin.isTTY) {
    process.stderr.write('outloop demo: the TUI needs a terminal; use --headless to run the demo without one\n');
    return EXIT.usage;
  }
  const signals = untilSignal();
  let demo: Demo;
  try {
    demo = await startDemo(keep);
  } catch (e) {
    signals.dispose();
    process.stderr.write(`outloop demo: ${getErrorMessage(e)}\n`);
    return EXIT.failure;
  }
  try {
    if (headless) {
      process.stderr.write(
        `outloop demo: running without the TUI; state ${demo.target.stateDir}\n` +
          `outloop demo: OUTLOOP_SOCKET=${demo.target.socketPath}\n` +
          'outloop demo: stop it with Ctrl-C\n',
      );
      return await signals.done;
    }
    // React's development build is many times slower per frame; users get the production one.
    process.env['NODE_ENV'] ??= 'production';
    const { runTui } = await import('../../tui/main.js');
    return await Promise.race([runTui({ connect: () => connectOrStart(demo.target, false) }), signals.done]);
  } finally {
    signals.dispose();
    await demo.stop();
    // A signal ended the demo while the TUI still holds the terminal: leave now that all is cleaned up.
    if (signals.fired() && !headless) process.exit(await signals.done);
  }
}
