/**
 * Where a line source is read from next: a checkpoint names its file by device, inode, and
 * hashes of the bytes at the start and just before its offset; a file that no longer matches is
 * read again from 0.
 */
import { fstatSync, readSync } from 'node:fs';
import { fnv1a64 } from '../../core/hash.js';
import type { Checkpoint } from '../store/offsets-repo.js';

/** Bytes hashed at the start of a file to notice a rewrite in place. */
export const PREFIX_BYTES = 1024;
/** Bytes hashed just before a checkpoint's offset to notice a rewrite in place after the prefix. */
export const TAIL_BYTES = 4096;

export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
}

export type StartReason = 'new' | 'resume' | 'truncated' | 'rotated' | 'rewritten';

export interface TailPlan {
  identity: FileIdentity;
  start: number;
  reason: StartReason;
}

/** Hash of the `length` bytes from `start` (as far as the file goes), or null for none. */
function hashRange(fd: number, start: number, length: number): string | null {
  if (length <= 0) return null;
  const buf = Buffer.allocUnsafe(length);
  const n = readSync(fd, buf, 0, length, start);
  return fnv1a64(buf.subarray(0, n).toString('latin1'));
}

/** Hash of the first min(offset, PREFIX_BYTES) bytes: how a checkpoint recognises its file. */
export function hashPrefix(fd: number, offset: number): string | null {
  return hashRange(fd, 0, Math.min(offset, PREFIX_BYTES));
}

/** Hash of the min(offset, TAIL_BYTES) bytes ending at offset: what the checkpoint saw last. */
export function hashTail(fd: number, offset: number): string | null {
  const length = Math.min(offset, TAIL_BYTES);
  return hashRange(fd, offset - length, length);
}

/** Decides where reading resumes: the stored offset, or 0 after truncation, rotation or rewrite. */
export function planTail(fd: number, prev: Checkpoint | null): TailPlan {
  const st = fstatSync(fd);
  if (!st.isFile()) throw new Error('not a regular file');
  const identity = { dev: st.dev, ino: st.ino, size: st.size };
  if (!prev) return { identity, start: 0, reason: 'new' };
  if (prev.ino !== st.ino || prev.dev !== st.dev) return { identity, start: 0, reason: 'rotated' };
  if (st.size < prev.offset) return { identity, start: 0, reason: 'truncated' };
  if (prev.offset > 0 && prev.prefixHash !== null && hashPrefix(fd, prev.offset) !== prev.prefixHash) {
    return { identity, start: 0, reason: 'rewritten' };
  }
  // the prefix alone misses a rewrite further in: the bytes just before the offset must be the same too
  if (prev.offset > 0 && prev.tailHash != null && hashTail(fd, prev.offset) !== prev.tailHash) {
    return { identity, start: 0, reason: 'rewritten' };
  }
  return { identity, start: prev.offset, reason: 'resume' };
}
