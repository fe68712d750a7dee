import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { isNodeError } from '../core/errors.js';

export class AlreadyRunningError extends Error {
  constructor(
    readonly pid: number | null,
    readonly where: string,
  ) {
    super(`the outloop daemon is already running${pid ? ` (pid ${pid})` : ''} for ${where}`);
    this.name = 'AlreadyRunningError';
  }
}

/**
 * True while the process runs. A zombie (killed, not yet reaped: PID 1 in a container may reap
 * late or never) does not count, or a crashed daemon would hold its state dir until reaped.
 */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return isNodeError(e) && e.code === 'EPERM';
  }
  try {
    // "pid (comm) S ...": the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return true; // no procfs (macOS): trust kill(0)
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

/**
 * One daemon per state dir: an exclusive pid file. A pid file left by a crashed daemon (its pid no
 * longer alive) is replaced.
 */
export function acquireLock(stateDir: string): () => void {
  const lockPath = join(stateDir, 'daemon.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if (!isNodeError(e) || e.code !== 'EEXIST') throw e;
      let pid = NaN;
      try {
        pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
      } catch {
        // vanished between open and read: retry
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processRunning(pid)) {
        throw new AlreadyRunningError(pid, stateDir);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not take the daemon lock ${lockPath}`);
}

/** Prepares the socket path: 0700 parent, and a stale socket file from a crashed daemon removed. */
export async function prepareSocket(socketPath: string): Promise<void> {
  mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
  let exists = false;
  try {
    exists = statSync(socketPath).isSocket() || true;
  } catch {
    exists = false;
  }
  if (!exists) return;
  if (await socketAnswers(socketPath)) throw new AlreadyRunningError(null, socketPath);
  rmSync(socketPath, { force: true });
}
