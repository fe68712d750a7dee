import {
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { isNodeError } from '../core/errors.js';
import { assertOurSocket, assertTrustedSocketDir } from '../rpc/socket-trust.js';
import { processRunning } from '../sys/process.js';

export class AlreadyRunningError extends Error {
  constructor(
    readonly pid: number | null,
    readonly where: string,
  ) {
    super(`the outloop daemon is already running${pid ? ` (pid ${pid})` : ''} for ${where}`);
    this.name = 'AlreadyRunningError';
  }
}

/** True when something answers on the socket path. */
export function socketAnswers(socketPath: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socketPath);
    const done = (v: boolean): void => {
      clearTimeout(t);
      s.destroy();
      resolve(v);
    };
    const t = setTimeout(() => done(false), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** How long a breaker file may be held before it is taken as left by a starter that died holding it. */
const BREAKER_STALE_MS = 5000;
const LOCK_ATTEMPTS = 200;
const LOCK_RETRY_MS = 5;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * One daemon per state dir: an exclusive pid file. A pid file left by a crashed daemon (its pid no
 * longer alive) is replaced, by one starter at a time: several starting at once after a crash get
 * exactly one daemon.
 */
export function acquireLock(stateDir: string): () => void {
  const lockPath = join(stateDir, 'daemon.pid');
  const breakerPath = `${lockPath}.break`;
  const release = (): void => {
    try {
      if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
  // The pid file appears complete or not at all: written aside, then hard-linked into place (link
  // fails when the name exists), so a concurrent start never reads it empty and takes it as stale.
  const tmpPath = `${lockPath}.${process.pid}.tmp`;
  writeFileSync(tmpPath, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      if (attempt > 0) sleepSync(LOCK_RETRY_MS);
      try {
        linkSync(tmpPath, lockPath);
        return release;
      } catch (e) {
        if (!isNodeError(e) || e.code !== 'EEXIST') throw e;
      }
      const held = readIfThere(lockPath);
      if (held === null) continue; // released meanwhile: try again
      const pid = Number.parseInt(held.trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processRunning(pid)) {
        throw new AlreadyRunningError(pid, stateDir);
      }
      // Left by a daemon that is gone. Removing it is a read-then-unlink, so it is done holding the
      // breaker (taken by link, like the lock): whoever holds it removes the file only if it still is
      // the stale one, never a lock another starter has just taken.
      if (!takeBreaker(tmpPath, breakerPath)) continue;
      try {
        if (readIfThere(lockPath) === held) unlinkSync(lockPath);
      } finally {
        rmSync(breakerPath, { force: true });
      }
    }
  } finally {
    rmSync(tmpPath, { force: true });
  }
  throw new Error(`could not take the daemon lock ${lockPath}`);
}

function readIfThere(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (isNodeError(e) && e.code === 'ENOENT') return null;
    throw e;
  }
}

/** Takes the breaker; false when another starter holds it (one left behind long ago is cleared). */
function takeBreaker(ours: string, breakerPath: string): boolean {
  try {
    linkSync(ours, breakerPath);
    return true;
  } catch (e) {
    if (!isNodeError(e) || e.code !== 'EEXIST') throw e;
  }
  try {
    if (Date.now() - statSync(breakerPath).mtimeMs > BREAKER_STALE_MS) rmSync(breakerPath, { force: true });
  } catch {
    // released meanwhile
  }
  return false;
}

/**
 * Prepares the socket path: its directory private to us (created 0700 when missing; one that
 * exists but others may write, or another user owns, is refused), and a stale socket of ours from
 * a crashed daemon removed. Anything else at the path (a file, a symlink, another user's socket)
 * is refused, never removed: it is not ours to delete.
 */
export async function prepareSocket(socketPath: string): Promise<void> {
  makeSocketDir(dirname(socketPath));
  assertTrustedSocketDir(socketPath);
  let st: Stats;
  try {
    st = lstatSync(socketPath);
  } catch {
    return; // nothing there
  }
  assertOurSocket(socketPath, st);
  // A socket that answers belongs to a live daemon; our socket that does not is stale.
  if (await socketAnswers(socketPath)) throw new AlreadyRunningError(null, socketPath);
  rmSync(socketPath, { force: true });
}

/** Creates the socket's directory 0700 when missing; an existing one is left to the trust check. */
function makeSocketDir(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if (!isNodeError(e)) throw e;
    if (e.code === 'EEXIST') return;
    if (e.code !== 'ENOENT') throw e;
    mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (again) {
      if (!isNodeError(again) || again.code !== 'EEXIST') throw again;
    }
  }
}
