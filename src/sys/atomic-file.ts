/**
 * Writes a whole file under a temporary name and renames it into place, so a reader sees the old file or the
 * new one, never a partial one. The temporary file is opened with flag wx (never an existing file: a name
 * another writer holds is refused, not reused) and removed when anything after its creation fails.
 *
 * Import graph: node:fs and node:path only (the bundled hook and `outloop run` start as cheaply as bare node).
 */
import { closeSync, fchmodSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AtomicWrite {
  /** the temporary file, in the target's directory so the rename stays on one filesystem */
  tmp: string;
  /** the file's mode, set on the open file as well, so the umask narrows it no further */
  mode: number;
  /** when set, a missing directory is made with this mode (recursively) and the open tried once more */
  dirMode?: number;
}

/** Opens `tmp` with wx; a missing directory is made when `dirMode` says so, and the open tried once more. */
function openNew(w: AtomicWrite): number {
  try {
    return openSync(w.tmp, 'wx', w.mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || w.dirMode === undefined) throw e;
    mkdirSync(dirname(w.tmp), { recursive: true, mode: w.dirMode });
    return openSync(w.tmp, 'wx', w.mode);
  }
}

/** Writes `text` (UTF-8) to `target` through `w.tmp` and a rename. Throws what failed. */
export function writeFileAtomic(target: string, text: string, w: AtomicWrite): void {
  const fd = openNew(w);
  try {
    try {
      fchmodSync(fd, w.mode);
      const data = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(w.tmp, target);
  } catch (e) {
    try {
      unlinkSync(w.tmp);
    } catch {
      // already gone
    }
    throw e;
  }
}
