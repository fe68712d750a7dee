import { afterEach, expect } from 'vitest';
import { killStarted, runCli, type CliResult, type DaemonTarget } from './cli.js';
import type { RawConnection } from './raw-socket.js';
import { removeShortSockets, shortSocketPath } from './short-socket.js';
import { tempDirs, type TempDirs } from './temp-dir.js';

/** What one e2e test file starts; everything in it is ended after each test. */
export interface E2eDaemons {
  readonly dirs: TempDirs;
  /** Daemon targets whose daemons are ended after each test. */
  readonly targets: DaemonTarget[];
  /** State dirs of daemons started without a target kept here. */
  readonly stateDirs: string[];
  /** Raw connections closed after each test. */
  readonly connections: RawConnection[];
  /** A target in a new temp state dir (`prefix…`) with a short socket, ended after the test. */
  newTarget(prefix: string, env?: Record<string, string>): DaemonTarget & { socket: string };
}

/**
 * Registers the afterEach of an e2e file: closes its connections, asks each target's daemon to stop when
 * `stopGracefully` (so its shutdown path runs), kills whatever is left, removes the short sockets and the
 * temp dirs.
 */
export function e2eDaemons(opts: { stopGracefully: boolean }): E2eDaemons {
  const d: E2eDaemons = {
    dirs: tempDirs(),
    targets: [],
    stateDirs: [],
    connections: [],
    newTarget(prefix, env) {
      const t = { stateDir: d.dirs.make(prefix), socket: shortSocketPath(), ...(env ? { env } : {}) };
      d.targets.push(t);
      return t;
    },
  };
  afterEach(async () => {
    for (const c of d.connections.splice(0)) c.destroy();
    if (opts.stopGracefully) for (const t of d.targets) await runCli(['stop'], t).catch(() => undefined);
    await killStarted([...d.targets.splice(0).map((t) => t.stateDir), ...d.stateDirs.splice(0)]);
    removeShortSockets();
    d.dirs.removeAll();
  });
  return d;
}

/** The JSON a CLI command printed, after checking it succeeded with nothing on stderr. */
export function okJson<T>(r: CliResult): T {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}
