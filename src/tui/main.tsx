/**
 * `outloop tui`: connects first (exit 3 with one line on stderr when the daemon is unreachable
 * and cannot be started, without starting Ink), then renders the dashboard until `q`.
 */
import { render } from 'ink';
import { getErrorMessage } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { DaemonClient } from '../rpc/client.js';
import { App, type AppProps } from './App.js';
import { DaemonProvider } from './client-context.js';
import type { Backoff } from './hooks/use-connection.js';

export interface RunTuiOptions {
  /** Opens a connection, starting the daemon when needed; also used to reconnect. */
  connect: () => Promise<DaemonClient>;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  /** For tests: reconnect delays and data throttles. */
  backoff?: Backoff;
  /** Route stray console output through Ink (default true; test runners that replace `console` turn it off). */
  patchConsole?: boolean;
  app?: AppProps;
}

export async function runTui(opts: RunTuiOptions): Promise<number> {
  const stderr = opts.stderr ?? process.stderr;
  let client: DaemonClient;
  try {
    client = await opts.connect();
  } catch (e) {
    stderr.write(`outloop tui: cannot reach the daemon: ${getErrorMessage(e).split('\n')[0] ?? ''}\n`);
    return EXIT.unreachable;
  }
  const instance = render(
    <DaemonProvider initialClient={client} connect={opts.connect} {...(opts.backoff ? { backoff: opts.backoff } : {})}>
      <App {...opts.app} />
    </DaemonProvider>,
    {
      stdout: opts.stdout ?? process.stdout,
      stdin: opts.stdin ?? process.stdin,
      stderr,
      exitOnCtrlC: false,
      patchConsole: opts.patchConsole ?? true,
      maxFps: 10,
    },
  );
  try {
    await instance.waitUntilExit();
    return EXIT.ok;
  } finally {
    client.close();
  }
}
