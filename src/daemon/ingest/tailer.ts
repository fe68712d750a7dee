import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { fnv1a64 } from '../../core/hash.js';
import type { Checkpoint } from '../store/offsets-repo.js';

/** Bytes hashed at the start of a file to notice a rewrite in place. */
const PREFIX_BYTES = 1024;
const CHUNK_BYTES = 8 * 1024 * 1024;
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
  /** lines skipped for their size: offset and first bytes */
  oversized: { offset: number; excerpt: Buffer }[];
  /** the checkpoint to store with the rows made from these lines */
  checkpoint: Checkpoint;
}

export type StartReason = 'new' | 'resume' | 'truncated' | 'rotated' | 'rewritten';

export interface TailPlan {
  identity: FileIdentity;
  start: number;
  reason: StartReason;
}

function hashPrefix(fd: number, length: number): string {
  const buf = Buffer.alloc(Math.min(length, PREFIX_BYTES));
  const n = readSync(fd, buf, 0, buf.length, 0);
  return fnv1a64(buf.subarray(0, n).toString('latin1'));
}

/** Decides where reading resumes: the stored offset, or 0 after truncation, rotation or rewrite. */
export function planTail(fd: number, prev: Checkpoint | null): TailPlan {
  const st = fstatSync(fd);
  const identity = { dev: st.dev, ino: st.ino, size: st.size };
  if (!prev) return { identity, start: 0, reason: 'new' };
  if (prev.ino !== st.ino || prev.dev !== st.dev) return { identity, start: 0, reason: 'rotated' };
  if (st.size < prev.offset) return { identity, start: 0, reason: 'truncated' };
  if (prev.prefixHash !== null && prev.offset > 0 && hashPrefix(fd, Math.min(prev.offset, PREFIX_BYTES)) !== prev.prefixHash) {
    return { identity, start: 0, reason: 'rewritten' };
  }
  return { identity, start: prev.offset, reason: 'resume' };
}

/**
 * Reads complete lines from `start` to the end of the file, in batches of about CHUNK_BYTES, calling
 * `onBatch` for each (the caller commits rows and checkpoint together). A partial last line is left
 * for later unless `final` is set and it is a whole JSON value.
 */
export function tailLines(
  path: string,
  kind: string,
  prev: Checkpoint | null,
  onBatch: (batch: TailBatch, plan: TailPlan) => void,
  opts: { final?: boolean; maxBytes?: number } = {},
): TailPlan & { reachedEnd: boolean } {
  const fd = openSync(path, 'r');
  try {
    const plan = planTail(fd, prev);
    const { identity } = plan;
    let pos = plan.start;
    let carry: Buffer | null = null;
    let carryOffset = pos;
    let skipping = false;
    let prefixHash = prev && plan.reason === 'resume' ? prev.prefixHash : null;
    const buf = Buffer.alloc(CHUNK_BYTES);
    const limit = opts.maxBytes ?? Infinity;
    while (pos < identity.size && pos - plan.start < limit) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK_BYTES, identity.size - pos), pos);
      if (n <= 0) break;
      const chunk = buf.subarray(0, n);
      const lines: Line[] = [];
      const oversized: TailBatch['oversized'] = [];
      let lineStart = 0;
      let consumedTo = -1;
      for (;;) {
        const nl = chunk.indexOf(0x0a, lineStart);
        if (nl === -1) break;
        const absStart = carry ? carryOffset : pos + lineStart;
        if (skipping) {
          skipping = false;
        } else {
          const piece = chunk.subarray(lineStart, nl);
          const bytes = carry ? Buffer.concat([carry, piece]) : piece;
          lines.push({ offset: absStart, text: bytes.toString('utf8') });
        }
        carry = null;
        lineStart = nl + 1;
        consumedTo = pos + lineStart;
      }
      if (lineStart < n) {
        const rest = chunk.subarray(lineStart);
        if (!skipping) {
          if (!carry) carryOffset = pos + lineStart;
          const total = (carry?.length ?? 0) + rest.length;
          if (total > MAX_LINE_BYTES) {
            oversized.push({ offset: carryOffset, excerpt: Buffer.from((carry ?? rest).subarray(0, 200)) });
            carry = null;
            skipping = true;
          } else {
            carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
          }
        }
      }
      pos += n;
      const offset = consumedTo >= 0 ? consumedTo : skipping ? pos : carry ? carryOffset : pos;
      if (lines.length > 0 || oversized.length > 0 || offset !== (prev?.offset ?? -1)) {
        if (prefixHash === null && offset > 0) prefixHash = hashPrefix(fd, Math.min(offset, PREFIX_BYTES));
        onBatch(
          {
            lines,
            oversized,
            checkpoint: { path, kind, dev: identity.dev, ino: identity.ino, size: identity.size, offset, prefixHash, contentHash: null, items: 0 },
          },
          plan,
        );
      }
    }
    const reachedEnd = pos >= identity.size;
    if (reachedEnd && opts.final && carry && !skipping) {
      const text = carry.toString('utf8');
      if (isWholeJson(text)) {
        const offset = carryOffset + carry.length;
        prefixHash ??= hashPrefix(fd, Math.min(offset, PREFIX_BYTES));
        onBatch(
          {
            lines: [{ offset: carryOffset, text }],
            oversized: [],
            checkpoint: { path, kind, dev: identity.dev, ino: identity.ino, size: identity.size, offset, prefixHash, contentHash: null, items: 0 },
          },
          plan,
        );
      }
    }
    return { ...plan, reachedEnd };
  } finally {
    closeSync(fd);
  }
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
