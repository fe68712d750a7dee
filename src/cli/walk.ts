import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isSkippedDir } from '../core/records/source-kind.js';

/**
 * Regular files below the roots with their sizes (symlinks not followed), for progress. Symlinks,
 * FIFOs and other special files are reported through `onProblem` and listed too (size 0), so the
 * daemon records them as warnings in `status` instead of them vanishing silently.
 */
export function listFiles(
  roots: string[],
  onProblem: (path: string, reason: string) => void,
): { path: string; size: number }[] {
  const out: { path: string; size: number }[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const p = stack.pop();
    if (p === undefined) break;
    try {
      const st = lstatSync(p);
      if (st.isFile()) out.push({ path: p, size: st.size });
      else if (st.isDirectory()) {
        for (const e of readdirSync(p).sort().reverse()) if (!isSkippedDir(e)) stack.push(join(p, e));
      } else {
        onProblem(
          p,
          st.isSymbolicLink()
            ? 'a symbolic link (not followed)'
            : st.isFIFO()
              ? 'a FIFO, not a file'
              : 'not a regular file',
        );
        out.push({ path: p, size: 0 });
      }
    } catch (e) {
      onProblem(p, e instanceof Error ? e.message : String(e));
    }
  }
  return out;
}
