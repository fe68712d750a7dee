import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fnv1a64 } from '../../core/hash.js';
import type { Checkpoint } from '../store/offsets-repo.js';

/** Bytes hashed at the start of a file to notice a rewrite in place. */
export const PREFIX_BYTES = 1024;
/** Bytes hashed just before a checkpoint's offset to notice a rewrite in place after the prefix. */
export const TAIL_BYTES = 4096;
/** Lines are read, parsed and committed in batches of about this many bytes (one transaction each). */
export const CHUNK_BYTES = 8 * 1024 * 1024;
/** A single line larger than this is quarantined and skipped, not buffered. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
}

export interface Line {
  /** byte offset of the line's first byte */
  offset: number;
  text: string;
}

export interface TailBatch {
  lines: Line[];
  /** lines skipped for their size: offset, length and first bytes */
  oversized: { offset: number; length: number; excerpt: Buffer }[];
  /** the checkpoint to store with the rows made from these lines */
  checkpoint: Checkpoint;
}

export type StartReason = 'new' | 'resume' | 'truncated' | 'rotated' | 'rewritten';

export interface TailPlan {
  identity: FileIdentity;
  start: number;
  reason: StartReason;
}

export interface TailResult extends TailPlan {
  /** everything up to the end of the file (as of the read) was consumed or is a partial last line */
  reachedEnd: boolean;
  /** bytes of an unterminated last line left for later (0 when none) */
  pendingTail: number;
}

/** One reusable read buffer: the daemon reads one file at a time, synchronously. */
let shared: Buffer | null = null;
function readBuffer(): Buffer {
  shared ??= Buffer.allocUnsafe(CHUNK_BYTES);
  return shared;
}

/** Hash of the first min(offset, PREFIX_BYTES) bytes: how a checkpoint recognises its file. */
export function hashPrefix(fd: number, offset: number): string | null {
  const length = Math.min(offset, PREFIX_BYTES);
  if (length <= 0) return null;
  const buf = Buffer.allocUnsafe(length);
  const n = readSync(fd, buf, 0, length, 0);
  return fnv1a64(buf.subarray(0, n).toString('latin1'));
}

/** Hash of the min(offset, TAIL_BYTES) bytes ending at offset: what the checkpoint saw last. */
export function hashTail(fd: number, offset: number): string | null {
  const length = Math.min(offset, TAIL_BYTES);
  if (length <= 0) return null;
  const buf = Buffer.allocUnsafe(length);
  const n = readSync(fd, buf, 0, length, offset - length);
  return fnv1a64(buf.subarray(0, n).toString('latin1'));
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

export interface TailOptions {
  /** explicit ingest: a partial last line that is a whole JSON value counts as a line */
  final?: boolean;
  /** stop after about this many bytes (a line in progress is always finished) */
  maxBytes?: number;
  /** batch size (tests use small ones) */
  chunkBytes?: number;
  /** longest line kept (tests use small ones) */
  maxLineBytes?: number;
}

/**
 * Reads complete lines from the checkpoint to the end of the file, in batches of about
 * CHUNK_BYTES, calling `onBatch` for each: the caller commits the rows and the batch's checkpoint
 * in one transaction. A checkpoint never points inside a line, so a crash at any moment resumes
 * exactly. A partial last line waits for its newline (unless `final` and it is whole JSON).
 */
export function tailLines(
  path: string,
  kind: string,
  prev: Checkpoint | null,
  onBatch: (batch: TailBatch, plan: TailPlan) => void,
  opts: TailOptions = {},
): TailResult {
  // O_NONBLOCK: should the path have become a FIFO since it was looked at, opening it must not hang
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    return tailFd(fd, path, kind, prev, onBatch, opts);
  } finally {
    closeSync(fd);
  }
}

function tailFd(
  fd: number,
  path: string,
  kind: string,
  prev: Checkpoint | null,
  onBatch: (b: TailBatch, p: TailPlan) => void,
  opts: TailOptions,
): TailResult {
  const plan = planTail(fd, prev);
  const { identity } = plan;
  const chunk = opts.chunkBytes ?? CHUNK_BYTES;
  const maxLine = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const buf = chunk === CHUNK_BYTES ? readBuffer() : Buffer.allocUnsafe(chunk);
  const limit = opts.maxBytes ?? Infinity;
  let pos = plan.start;
  /** offset just after the last complete line handed out (the next checkpoint) */
  let committed = plan.start;
  // a checkpoint taken over from the file's old name (rotation) is saved under the new name at once
  let savedOffset = plan.reason === 'resume' && prev && prev.path === path ? prev.offset : -1;
  let prefixHash = plan.reason === 'resume' && prev ? prev.prefixHash : null;
  let prefixLen = plan.reason === 'resume' && prev ? Math.min(prev.offset, PREFIX_BYTES) : 0;
  /** bytes of the line in progress (from earlier chunks) */
  let carry: Buffer[] = [];
  let carryLen = 0;
  let lineStart = plan.start;
  /** the line in progress passed MAX_LINE_BYTES: drop bytes until its newline */
  let skipping = false;
  let excerpt: Buffer | null = null;
  let lines: Line[] = [];
  let oversized: TailBatch['oversized'] = [];
  let batchBytes = 0;

  const emit = (): void => {
    if (committed === savedOffset && lines.length === 0 && oversized.length === 0) return;
    const want = Math.min(committed, PREFIX_BYTES);
    if (want !== prefixLen) {
      prefixHash = hashPrefix(fd, committed);
      prefixLen = want;
    }
    onBatch(
      {
        lines,
        oversized,
        checkpoint: {
          path,
          kind,
          dev: identity.dev,
          ino: identity.ino,
          size: identity.size,
          offset: committed,
          prefixHash,
          tailHash: hashTail(fd, committed),
          contentHash: null,
          items: 0,
        },
      },
      plan,
    );
    savedOffset = committed;
    lines = [];
    oversized = [];
    batchBytes = 0;
  };

  while (pos < identity.size) {
    // once the budget is spent, stop after the last complete line (a partial one is read again
    // next time); a single line longer than the budget is read to its end
    if (pos - plan.start >= limit && committed > plan.start && !skipping) break;
    const n = readSync(fd, buf, 0, Math.min(buf.length, identity.size - pos), pos);
    if (n <= 0) break;
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, from);
      if (nl === -1 || nl >= n) break;
      const end = pos + nl + 1;
      if (skipping) {
        oversized.push({ offset: lineStart, length: end - lineStart, excerpt: excerpt ?? Buffer.alloc(0) });
        skipping = false;
        excerpt = null;
      } else {
        const piece = buf.subarray(from, nl);
        const text = carryLen > 0 ? Buffer.concat([...carry, piece]).toString('utf8') : piece.toString('utf8');
        lines.push({ offset: lineStart, text });
        batchBytes += end - lineStart;
      }
      carry = [];
      carryLen = 0;
      committed = end;
      lineStart = end;
      from = nl + 1;
    }
    if (from < n) {
      const rest = buf.subarray(from, n);
      if (!skipping) {
        if (carryLen + rest.length > maxLine) {
          excerpt = Buffer.concat([...carry.slice(0, 4), rest]).subarray(0, 200);
          carry = [];
          carryLen = 0;
          skipping = true;
        } else {
          carry.push(Buffer.from(rest));
          carryLen += rest.length;
        }
      }
    }
    pos += n;
    if (batchBytes >= chunk || oversized.length > 0) emit();
  }
  let pendingTail = skipping ? pos - lineStart : carryLen;
  const reachedEnd = pos >= identity.size;
  if (reachedEnd && opts.final && carryLen > 0) {
    const text = Buffer.concat(carry).toString('utf8');
    if (isWholeJson(text)) {
      lines.push({ offset: lineStart, text });
      committed = lineStart + carryLen;
      pendingTail = 0;
    }
  }
  emit();
  return { ...plan, reachedEnd, pendingTail };
}

function isWholeJson(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}
