/** Renders the whole dashboard against a `FakeDaemon` with colours off and fast throttles. */
import { render as inkRender } from 'ink';
import { render as renderTesting } from 'ink-testing-library';
import { vi } from 'vitest';
import { App, type AppProps } from '../../src/tui/App.js';
import { DaemonProvider } from '../../src/tui/client-context.js';
import { createTheme, ThemeContext } from '../../src/tui/theme.js';
import { FakeDaemon, type FakeDaemonClient } from './fake-client.js';
import { FakeStdin, FakeStdout } from './streams.js';

export const FAST = { refreshMinIntervalMs: 20, eventFlushMs: 5 } as const;

export interface Rendered {
  daemon: FakeDaemon;
  client: FakeDaemonClient;
  lastFrame: () => string;
  press: (...keys: string[]) => void;
  /** Waits until the frame contains `text` (polling, no fixed sleeps). */
  waitForFrame: (text: string | RegExp, timeout?: number) => Promise<string>;
  unmount: () => void;
  stdout: FakeStdout | null;
}

export interface RenderOptions {
  daemon?: FakeDaemon;
  /** Uses sized fake streams instead of ink-testing-library's 100-column stdout. */
  size?: { columns: number; rows: number };
  app?: AppProps;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]/g;

export async function renderApp(opts: RenderOptions = {}): Promise<Rendered> {
  const daemon = opts.daemon ?? new FakeDaemon();
  const client = await daemon.connect();
  const tree = (
    <ThemeContext.Provider value={createTheme({ NO_COLOR: '1' })}>
      <DaemonProvider initialClient={client} connect={daemon.connect} backoff={{ minMs: 5, maxMs: 40 }}>
        <App dataOptions={FAST} {...opts.app} />
      </DaemonProvider>
    </ThemeContext.Provider>
  );
  let lastFrameRaw: () => string | undefined;
  let write: (s: string) => void;
  let unmount: () => void;
  let stdout: FakeStdout | null = null;
  if (opts.size) {
    stdout = new FakeStdout(opts.size.columns, opts.size.rows);
    const stdin = new FakeStdin();
    const inst = inkRender(tree, {
      stdout: stdout.asStream(),
      stdin: stdin.asStream(),
      stderr: new FakeStdout().asStream(),
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    lastFrameRaw = stdout.lastFrame;
    write = stdin.write;
    unmount = () => inst.unmount();
  } else {
    const r = renderTesting(tree);
    lastFrameRaw = r.lastFrame;
    write = (s) => r.stdin.write(s);
    unmount = r.unmount;
  }
  const lastFrame = (): string => (lastFrameRaw() ?? '').replace(ANSI, '');
  const rendered: Rendered = {
    daemon,
    client,
    lastFrame,
    press: (...keys) => {
      for (const k of keys) write(k);
    },
    waitForFrame: (text, timeout = 2000) =>
      vi.waitFor(
        () => {
          const f = lastFrame();
          const ok = typeof text === 'string' ? f.includes(text) : text.test(f);
          if (!ok) throw new Error(`frame does not contain ${String(text)}:\n${f}`);
          return f;
        },
        { timeout, interval: 5 },
      ),
    unmount,
    stdout,
  };
  return rendered;
}
