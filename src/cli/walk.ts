import type { Stats } from 'node:fs';
import { isSkippedDir } from '../core/records/source-kind.js';
import { walkTree } from '../sys/walk.js';

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
  walkTree(roots, {
    skip: isSkippedDir,
    onError: onProblem,
    visit: (p, st) => {
      if (!st.isFile()) onProblem(p, specialFileReason(st));
      out.push({ path: p, size: st.isFile() ? st.size : 0 });
    },
  });
  return out;
}

function specialFileReason(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link (not followed)';
  return st.isFIFO() ? 'a FIFO, not a file' : 'not a regular file';
}
