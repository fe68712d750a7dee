import { homedir } from 'node:os';
import { join } from 'node:path';

export type Env = Record<string, string | undefined>;

/** Longest socket path we accept (sun_path is 108 bytes on Linux, 104 on macOS). */
export const MAX_SOCKET_PATH_BYTES = 100;

/** `$OUTLOOP_HOME`, else `$XDG_STATE_HOME/outloop`, else `~/.local/state/outloop`. */
export function resolveStateDir(env: Env = process.env): string {
  const home = env['OUTLOOP_HOME'];
  if (home) return home;
  const xdg = env['XDG_STATE_HOME'];
  if (xdg) return join(xdg, 'outloop');
  return join(env['HOME'] || homedir(), '.local', 'state', 'outloop');
}

/** `$OUTLOOP_SOCKET`, else `$XDG_RUNTIME_DIR/outloop/outloop.sock`, else `<state dir>/outloop.sock`. */
export function resolveSocketPath(env: Env = process.env): string {
  const explicit = env['OUTLOOP_SOCKET'];
  if (explicit) return explicit;
  const runtime = env['XDG_RUNTIME_DIR'];
  if (runtime) return join(runtime, 'outloop', 'outloop.sock');
  return join(resolveStateDir(env), 'outloop.sock');
}

export class SocketPathTooLongError extends Error {
  constructor(readonly socketPath: string) {
    super(
      `socket path is ${Buffer.byteLength(socketPath)} bytes, over the ${MAX_SOCKET_PATH_BYTES}-byte limit of Unix sockets: ` +
        `${socketPath}\nset OUTLOOP_SOCKET to a shorter path (for example /tmp/outloop-$USER.sock)`,
    );
    this.name = 'SocketPathTooLongError';
  }
}

export function assertSocketPathLength(socketPath: string): void {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) throw new SocketPathTooLongError(socketPath);
}

export function spoolDir(stateDir: string): string {
  return join(stateDir, 'spool');
}

/** `<state dir>/offload.json`: what is offloaded, written by the daemon, read by the hook and `outloop run`. */
export function offloadFilePath(stateDir: string): string {
  return join(stateDir, 'offload.json');
}
