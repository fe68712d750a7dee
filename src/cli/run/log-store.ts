/**
 * Kept run logs: `<state dir>/runs/<id>.log`, one per `outloop run`, the whole output as it arrived.
 * The directory is 0700 and every log 0600 whatever the umask (both are set explicitly after
 * creation). Ids are `r-` + the start time in hex + random hex, so their names sort by age.
 */
import { chmodSync, fchmodSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_ID } from '../../core/offload/run-report.js';
import { randomHex } from '../spool.js';

export function runsDir(stateDir: string): string {
  return join(stateDir, 'runs');
}

/** A new run id: `r-` + 12 hex digits of epoch ms + 8 random hex digits. */
export function newRunId(nowMs: number = Date.now()): string {
  return `r-${nowMs.toString(16).padStart(12, '0')}${randomHex().slice(0, 8)}`;
}

/** The log of `id`, or null when `id` is not a run id (never a path outside the runs dir). */
export function runLogPath(stateDir: string, id: string): string | null {
  return RUN_ID.test(id) ? join(runsDir(stateDir), `${id}.log`) : null;
}

/** Creates the log of a new run (and the runs dir) and returns its descriptor, open for writing. */
export function createRunLog(stateDir: string, id: string): number {
  const dir = runsDir(stateDir);
  // made here: its mode is set as well, since mkdir's is cut by the umask
  if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dir, 0o700);
  const fd = openSync(join(dir, `${id}.log`), 'wx', 0o600);
  fchmodSync(fd, 0o600);
  return fd;
}

export interface KeptRun {
  id: string;
  path: string;
  bytes: number;
  /** when the log was last written (the run's end) */
  mtimeMs: number;
}

/** Every kept log, oldest first (by id, which starts with the start time). A missing dir is an empty list. */
export function listRuns(stateDir: string): KeptRun[] {
  const dir = runsDir(stateDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const runs: KeptRun[] = [];
  for (const name of names.sort()) {
    const id = name.endsWith('.log') ? name.slice(0, -'.log'.length) : '';
    if (!RUN_ID.test(id)) continue;
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.isFile()) runs.push({ id, path, bytes: st.size, mtimeMs: st.mtimeMs });
    } catch {
      // pruned meanwhile
    }
  }
  return runs;
}
