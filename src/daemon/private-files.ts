/**
 * Everything the daemon writes is private to its user: files 0600, directories 0700. The daemon's
 * umask makes new files so; files that already exist (a database made under another umask, a log
 * the CLI opened first) are narrowed here, and a state dir others may read is reported, not changed
 * (it may be a directory the user shares on purpose).
 */
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isNodeError } from '../core/errors.js';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_UMASK = 0o077;

/** Narrows one regular file to 0600 when group or others have any access; absent files are fine. */
export function restrictFile(path: string): void {
  try {
    const st = lstatSync(path);
    if (st.isFile() && st.mode & 0o077) chmodSync(path, PRIVATE_FILE_MODE);
  } catch (e) {
    if (!isNodeError(e) || e.code !== 'ENOENT') throw e;
  }
}

/** The database with its WAL and shared-memory files. */
export function restrictDatabaseFiles(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) restrictFile(`${dbPath}${suffix}`);
}

/** Every regular file directly in the state dir and in the folders the daemon writes into. */
export function restrictStateFiles(stateDir: string, subdirs: readonly string[] = ['suggestions']): void {
  for (const dir of [stateDir, ...subdirs.map((s) => join(stateDir, s))]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) restrictFile(join(dir, name));
  }
}

/** A warning when the state dir lets group or others in, else null. */
export function stateDirWarning(stateDir: string): string | null {
  try {
    const mode = lstatSync(stateDir).mode & 0o777;
    if ((mode & 0o077) === 0) return null;
    return `state dir ${stateDir} is open to other users (mode 0${mode.toString(8)}); run: chmod 700 ${stateDir}`;
  } catch {
    return null;
  }
}
