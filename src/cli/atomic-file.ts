/**
 * Writes a whole file under a temporary name (flag wx: never an existing file) and renames it into place, so a
 * reader sees the old file or the new one, never a partial one. The temporary file is removed when anything
 * fails. Import graph: node:fs only (the hook and `outloop run` start as cheaply as bare node).
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';

/** Opens `tmp` with wx and `mode`; a missing directory is made by `onMissingDir` and the open tried once more. */
function openNew(tmp: string, mode: number, onMissingDir?: () => void): number {
  try {
    return openSync(tmp, 'wx', mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || onMissingDir === undefined) throw e;
    onMissingDir();
    return openSync(tmp, 'wx', mode);
  }
}

export function writeViaRename(
  tmp: string,
  target: string,
  text: string,
  mode: number,
  onMissingDir?: () => void,
): void {
  const fd = openNew(tmp, mode, onMissingDir);
  try {
    try {
      const data = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
}
