import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../core/errors.js';
import { connectDaemon, type DaemonClient } from '../rpc/client.js';
import { UntrustedSocketError } from '../rpc/socket-trust.js';
import { assertSocketPathLength, resolveSocketPath, resolveStateDir, type Env } from '../rpc/paths.js';
import type { StatusResult } from '../rpc/protocol.js';
import { METHODS } from '../rpc/protocol.js';
import { EXIT } from '../core/exit-codes.js';

export interface Target {
  stateDir: string;
  socketPath: string;
}

export function resolveTarget(env: Env = process.env): Target {
  return { stateDir: resolveStateDir(env), socketPath: resolveSocketPath(env) };
}

/**
 * A client, or null when no daemon answers. A path no socket can have, or a socket we must not
 * trust (another user's, a file squatting the path), is an error, never a daemon that is down:
 * starting one would not help, and reporting "not running" would hide the impostor.
 */
export async function tryConnect(target: Target, timeoutMs = 1000): Promise<DaemonClient | null> {
  assertSocketPathLength(target.socketPath);
  try {
    return await connectDaemon(target.socketPath, { connectTimeoutMs: timeoutMs });
  } catch (e) {
    if (e instanceof UntrustedSocketError) throw e;
    return null;
  }
}

export async function fetchStatus(target: Target): Promise<StatusResult | null> {
  const client = await tryConnect(target);
  if (!client) return null;
  try {
    return await client.request(METHODS.daemonStatus, {}, { timeoutMs: 5000 });
  } catch {
    return null;
  } finally {
    client.close();
  }
}

function lastLogLines(stateDir: string, n: number): string {
  try {
    const text = readFileSync(join(stateDir, 'daemon.log'), 'utf8');
    return text.trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

const ALREADY_RUNNING_GRACE_MS = 3000;
const REDUNDANT_EXIT_WAIT_MS = 5000;

export interface StartResult {
  status: StatusResult;
  alreadyRunning: boolean;
}

/**
 * Starts the daemon detached (logging to `<state dir>/daemon.log`) and returns once its socket
 * answers. When one is already running, returns its status with alreadyRunning set.
 */
export async function startDaemon(
  target: Target,
  opts: { watch?: string[]; env?: Env; timeoutMs?: number } = {},
): Promise<StartResult> {
  // Fail here, with the hint about OUTLOOP_SOCKET, rather than in a detached child.
  assertSocketPathLength(target.socketPath);
  const existing = await fetchStatus(target);
  if (existing) return { status: existing, alreadyRunning: true };
  mkdirSync(target.stateDir, { recursive: true, mode: 0o700 });
  const logFd = openSync(join(target.stateDir, 'daemon.log'), 'a', 0o600);
  const entry = fileURLToPath(new URL('./main.js', import.meta.url));
  const args = [entry, 'daemon', ...(opts.watch ?? []).flatMap((w) => ['--watch', w])];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'ignore', logFd],
    env: { ...(opts.env ?? process.env), OUTLOOP_HOME: target.stateDir, OUTLOOP_SOCKET: target.socketPath },
  });
  closeSync(logFd);
  let exit: { code: number; at: number } | null = null;
  const childExited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exit = { code: code ?? 1, at: Date.now() };
      resolve();
    }),
  );
  child.unref();

  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetchStatus(target);
    if (status) {
      const alreadyRunning = status.pid !== child.pid;
      // Another start won the race: ours is about to exit 4. Wait for it, so that no redundant
      // daemon is still starting after we return (it would take over if the winner died first).
      if (alreadyRunning) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([childExited, new Promise((r) => (timer = setTimeout(r, REDUNDANT_EXIT_WAIT_MS)))]);
        clearTimeout(timer);
      }
      return { status, alreadyRunning };
    }
    const exited = exit as { code: number; at: number } | null;
    if (exited !== null) {
      const tail = lastLogLines(target.stateDir, 3);
      const log = tail ? `:\n${tail}` : '';
      // 4: another daemon holds this state dir; it may still be starting, so give its socket a moment.
      if (exited.code !== EXIT.alreadyRunning) {
        throw new AppError('internal', `the daemon exited during start (code ${exited.code})${log}`);
      }
      if (Date.now() - exited.at > ALREADY_RUNNING_GRACE_MS) {
        throw new AppError(
          'internal',
          `another outloop daemon holds ${target.stateDir} but does not answer on ${target.socketPath}${log}`,
        );
      }
    }
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new AppError(
    'unavailable',
    `the daemon did not answer on ${target.socketPath} within ${Math.round(timeoutMs / 1000)} s; see ${join(target.stateDir, 'daemon.log')}`,
  );
}

/** Connects, auto-starting the daemon unless refused. Throws an 'unavailable' AppError otherwise. */
export async function connectOrStart(target: Target, autostart: boolean): Promise<DaemonClient> {
  const client = await tryConnect(target);
  if (client) return client;
  if (!autostart) {
    throw new AppError(
      'unavailable',
      `the outloop daemon is not running (socket ${target.socketPath}); start it with 'outloop start'`,
    );
  }
  await startDaemon(target);
  const again = await tryConnect(target, 3000);
  if (!again)
    throw new AppError('unavailable', `the daemon started but its socket ${target.socketPath} does not answer`);
  return again;
}

/** Opens a client for the duration of fn. */
export async function withDaemon<T>(autostart: boolean, fn: (client: DaemonClient) => Promise<T>): Promise<T> {
  const client = await connectOrStart(resolveTarget(), autostart);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
