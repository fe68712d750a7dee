import { closeSync, constants, openSync, readSync, type Stats } from 'node:fs';
import { isNodeError } from '../../core/errors.js';
import { sniffKind, type SourceInfo } from '../../core/records/source-kind.js';

const SNIFF_BYTES = 64 * 1024;

/** The kind of a file whose layout does not say, from its first non-empty line. */
export function sniffFile(path: string): SourceInfo | null {
  if (!/\.jsonl?$/i.test(path)) return null;
  let fd: number | null = null;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
    const kind = sniffKind(first);
    return kind && kind !== 'spool' && kind !== 'adw-state' && kind !== 'adw-prompt'
      ? { kind, adwId: null, agentName: null, adwDir: null }
      : null;
  } catch (e) {
    // out of descriptors says nothing about the file: the caller reads it again later
    if (isNodeError(e) && (e.code === 'EMFILE' || e.code === 'ENFILE')) throw e;
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Sniff results per file. A file that could not be told yet (empty, or its first line still
 * being written) is looked at again once it has grown.
 */
export class SniffCache {
  private readonly known = new Map<string, { ino: number; info: SourceInfo | null; size: number }>();

  kindOf(path: string, st: Stats): SourceInfo | null {
    const hit = this.known.get(path);
    if (hit && hit.ino === st.ino && (hit.info !== null || st.size === hit.size || hit.size >= SNIFF_BYTES))
      return hit.info;
    const info = sniffFile(path);
    if (this.known.size > 20_000) this.known.clear();
    this.known.set(path, { ino: st.ino, info, size: st.size });
    return info;
  }
}
