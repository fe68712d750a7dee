import { lstatSync, unlinkSync, type Stats } from 'node:fs';
import { isNodeError } from '../../core/errors.js';
import { classifyPath, type SourceInfo } from '../../core/records/source-kind.js';
import type { PendingFile } from './queue.js';
import type { SniffCache } from './sniff.js';

/** A queued path that is a regular file of a known kind. */
export interface ProbedFile {
  info: SourceInfo;
  st: Stats;
}

function describeNonFile(st: Stats): string {
  if (st.isDirectory()) return 'is a directory, not a file';
  if (st.isSymbolicLink()) return 'is a symbolic link (not followed)';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a file';
  if (st.isSocket()) return 'is a socket, not a file';
  return 'is not a regular file';
}

/**
 * What a queued path is: its kind from the layout, or sniffed from its first line when it was asked
 * for explicitly or is a `.jsonl`. Null when there is nothing to read (gone, not a regular file,
 * unknown kind); a non-file that was asked for or looks like a source is warned about.
 */
export function probeFile(
  path: string,
  p: PendingFile,
  spoolDir: string,
  sniffer: SniffCache,
  warn: (msg: string) => void,
): ProbedFile | null {
  let info = classifyPath(path, spoolDir);
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (e) {
    if (isNodeError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return null; // gone before we got to it
    throw e;
  }
  if (!st.isFile()) {
    if (info || p.sniff || st.isSymbolicLink()) warn(`${path} ${describeNonFile(st)}; skipped`);
    return null;
  }
  if (!info && (p.sniff || /\.jsonl$/i.test(path))) info = sniffer.kindOf(path, st);
  return info ? { info, st } : null;
}

export function mtimeIso(st: Stats): string | null {
  const t = st.mtime.getTime();
  return Number.isFinite(t) ? st.mtime.toISOString() : null;
}

/** A spool file whose rows are committed. */
export function removeConsumed(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
