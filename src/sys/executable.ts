/**
 * Executables on disk: whether a path is one, and where a command name is found on a PATH.
 * Import graph: node:fs and node:path only.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** True when `path` is a regular file (symlinks followed) that this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first executable regular file called `name` in the directories of a PATH value, or null.
 * Empty entries are skipped; a relative entry is taken against `cwd` when one is given, else skipped
 * (the daemon's own PATH must not depend on where it happens to run).
 */
export function findOnPath(name: string, pathValue: string | undefined, cwd?: string): string | null {
  for (const dir of (pathValue ?? '').split(delimiter)) {
    if (dir === '') continue;
    if (!isAbsolute(dir) && cwd === undefined) continue;
    const candidate = cwd === undefined ? join(dir, name) : resolve(cwd, join(dir, name));
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}
