import { isSkippedDir } from '../../core/records/source-kind.js';
import { walkTree } from '../../sys/walk.js';

/**
 * Every regular file below the given paths (files are taken as they are). Symlinks are not
 * followed, so a symlink loop cannot trap the walk; symlinks, FIFOs, sockets and unreadable
 * directories are reported through `onProblem` (they become warnings in `status`).
 */
export function walkFiles(paths: string[], onProblem: (path: string, reason: string) => void): string[] {
  const out: string[] = [];
  walkTree(paths, {
    skip: isSkippedDir,
    onError: onProblem,
    visit: (p, st) => {
      if (st.isFile()) out.push(p);
      else if (st.isSymbolicLink()) onProblem(p, 'symbolic link, not followed');
      else onProblem(p, st.isFIFO() ? 'a FIFO (named pipe), not a file' : 'not a regular file');
    },
  });
  return out;
}
