import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isSkippedDir } from '../../core/records/source-kind.js';

/**
 * Every regular file below the given paths (files are taken as they are). Symlinks are not
 * followed, so a symlink loop cannot trap the walk; symlinks, FIFOs, sockets and unreadable
 * directories are reported through `onProblem` (they become warnings in `status`).
 */
export function walkFiles(paths: string[], onProblem: (path: string, reason: string) => void): string[] {
  const out: string[] = [];
  const stack = [...paths].reverse();
  while (stack.length > 0) {
    const p = stack.pop();
    if (p === undefined) break;
    let st;
    try {
      st = lstatSync(p);
    } catch (e) {
      onProblem(p, (e as Error).message);
      continue;
    }
    if (st.isFile()) out.push(p);
    else if (st.isDirectory()) {
      let entries: string[];
      try {
        entries = readdirSync(p);
      } catch (e) {
        onProblem(p, (e as Error).message);
        continue;
      }
      for (const e of entries.sort().reverse()) if (!isSkippedDir(e)) stack.push(join(p, e));
    } else if (st.isSymbolicLink()) onProblem(p, 'symbolic link, not followed');
    else onProblem(p, st.isFIFO() ? 'a FIFO (named pipe), not a file' : 'not a regular file');
  }
  return out;
}
