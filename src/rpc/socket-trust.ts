/**
 * Who may stand behind the socket path. A client talks only to a socket its own user owns, in a
 * directory nobody else can write; the daemon listens only in such a directory. Without this, any
 * user who can write where `$OUTLOOP_SOCKET` points could start an impostor: `outloop start` would
 * call it "already running" and `route`/`preflight` would send it the request texts.
 *
 * Rules, for the socket's directory resolved through symlinks:
 * - the directory itself is owned by the current user (or root) and not writable by group/others;
 * - every directory above it is owned by the current user or root, and one that others may write
 *   (like /tmp) has the sticky bit, so nobody else can rename or replace what it holds;
 * - the socket is a socket (not a file, a symlink or a directory) owned by the current user.
 * Node's fs only (no json-rpc-2.0): the status line's fast path imports this too.
 */
import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { AppError, isNodeError } from '../core/errors.js';

const GROUP_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

/** A socket path the client refuses to talk to (or the daemon refuses to listen on). */
export class UntrustedSocketError extends AppError {
  constructor(
    readonly socketPath: string,
    reason: string,
  ) {
    super('unavailable', `refusing the socket ${socketPath}: ${reason}`, { socket: socketPath });
    this.name = 'UntrustedSocketError';
  }
}

function currentUid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}

function modeText(st: Stats): string {
  return `0${(st.mode & 0o7777).toString(8)}`;
}

function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a fifo';
  return 'not a socket';
}

/** Why this directory may not hold our socket, or null. `dir` must already be resolved. */
function socketDirProblem(dir: string, uid: number): string | null {
  const st = lstatSync(dir);
  if (!st.isDirectory()) return `${dir} is not a directory`;
  if (st.uid !== uid && st.uid !== 0) return `its directory ${dir} is owned by uid ${st.uid}, not by you (uid ${uid})`;
  if (st.mode & GROUP_OTHER_WRITE) {
    return `its directory ${dir} is writable by others (mode ${modeText(st)}); use a directory only you can write`;
  }
  for (let d = dirname(dir), prev = dir; d !== prev; prev = d, d = dirname(d)) {
    const up = lstatSync(d);
    if (up.uid !== uid && up.uid !== 0) return `${d}, above its directory, is owned by uid ${up.uid}`;
    if (up.mode & GROUP_OTHER_WRITE && !(up.mode & STICKY)) {
      return `${d}, above its directory, is writable by others without the sticky bit (mode ${modeText(up)})`;
    }
  }
  return null;
}

/** The socket's directory resolved through symlinks; null when it does not exist. */
function resolvedDir(socketPath: string): string | null {
  try {
    return realpathSync(dirname(socketPath));
  } catch (e) {
    if (isNodeError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return null;
    throw e;
  }
}

/** Throws UntrustedSocketError when the socket's (existing) directory is not private to us. */
export function assertTrustedSocketDir(socketPath: string): void {
  const uid = currentUid();
  const dir = resolvedDir(socketPath);
  if (uid === null || dir === null) return;
  const problem = socketDirProblem(dir, uid);
  if (problem) throw new UntrustedSocketError(socketPath, problem);
}

/** Throws UntrustedSocketError when something other than our own socket sits at the path. */
export function assertOurSocket(socketPath: string, st: Stats): void {
  if (!st.isSocket()) {
    throw new UntrustedSocketError(
      socketPath,
      `socket path is taken by something that is not our socket (${kindOf(st)}); remove it or set OUTLOOP_SOCKET`,
    );
  }
  const uid = currentUid();
  if (uid !== null && st.uid !== uid) {
    throw new UntrustedSocketError(socketPath, `it is owned by uid ${st.uid}, not by you (uid ${uid})`);
  }
}

/**
 * The check a client makes before connecting: 'absent' when there is no socket (the daemon is not
 * running), 'ok' when it is ours in a private directory; throws UntrustedSocketError otherwise.
 */
export function checkSocketBeforeConnect(socketPath: string): 'ok' | 'absent' {
  if (resolvedDir(socketPath) === null) return 'absent';
  assertTrustedSocketDir(socketPath);
  let st: Stats;
  try {
    st = lstatSync(socketPath);
  } catch (e) {
    if (isNodeError(e) && e.code === 'ENOENT') return 'absent';
    throw e;
  }
  assertOurSocket(socketPath, st);
  return 'ok';
}
