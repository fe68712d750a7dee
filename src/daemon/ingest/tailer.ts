import { closeSync, constants, openSync, readSync } from 'node:fs';
import type { Checkpoint } from '../store/offsets-repo.js';
import { hashPrefix, hashTail, PREFIX_BYTES, planTail, type TailPlan } from './tail-plan.js';

/** Lines are read, parsed and committed in batches of about this many bytes (one transaction each). */
export const CHUNK_BYTES = 8 * 1024 * 1024;
/** A single line larger than this is quarantined and skipped, not buffered. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

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
  const state = new TailState(fd, path, kind, plan, prev, onBatch);
  const pos = readChunks(fd, state, opts);
  const reachedEnd = pos >= plan.identity.size;
  const pendingTail = state.finish(pos, reachedEnd && opts.final === true);
  state.emit();
  return { ...plan, reachedEnd, pendingTail };
}

/**
 * Reads from the plan's start to the end of the file, or until the byte budget is spent, handing
 * the lines out in batches as they fill. Returns the offset read up to.
 */
function readChunks(fd: number, state: TailState, opts: TailOptions): number {
  const { start, identity } = state.plan;
  const chunk = opts.chunkBytes ?? CHUNK_BYTES;
  const maxLine = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const buf = chunk === CHUNK_BYTES ? readBuffer() : Buffer.allocUnsafe(chunk);
  const limit = opts.maxBytes ?? Infinity;
  let pos = start;
  while (pos < identity.size) {
    // once the budget is spent, stop after the last complete line (a partial one is read again
    // next time); a single line longer than the budget is read to its end
    if (pos - start >= limit && state.committed > start && !state.skipping) break;
    const n = readSync(fd, buf, 0, Math.min(buf.length, identity.size - pos), pos);
    if (n <= 0) break;
    const from = state.takeLines(buf, n, pos);
    if (from < n) state.keepRest(buf.subarray(from, n), maxLine);
    pos += n;
    if (state.batchBytes >= chunk || state.oversized.length > 0) state.emit();
  }
  return pos;
}

/**
 * One read of one file: the line in progress, the batch being filled and the checkpoint last
 * handed out. One instance per read, so the per-line work allocates no closures.
 */
class TailState {
  /** offset just after the last complete line handed out (the next checkpoint) */
  committed: number;
  /** the line in progress passed the longest line kept: drop bytes until its newline */
  skipping = false;
  oversized: TailBatch['oversized'] = [];
  batchBytes = 0;
  private lines: Line[] = [];
  /** bytes of the line in progress (from earlier chunks) */
  private carry: Buffer[] = [];
  private carryLen = 0;
  private lineStart: number;
  private excerpt: Buffer | null = null;
  private savedOffset: number;
  private prefixHash: string | null;
  private prefixLen: number;

  constructor(
    private readonly fd: number,
    private readonly path: string,
    private readonly kind: string,
    readonly plan: TailPlan,
    prev: Checkpoint | null,
    private readonly onBatch: (b: TailBatch, p: TailPlan) => void,
  ) {
    this.committed = plan.start;
    this.lineStart = plan.start;
    const resumed = plan.reason === 'resume' ? prev : null;
    // a checkpoint taken over from the file's old name (rotation) is saved under the new name at once
    this.savedOffset = resumed && resumed.path === path ? resumed.offset : -1;
    this.prefixHash = resumed ? resumed.prefixHash : null;
    this.prefixLen = resumed ? Math.min(resumed.offset, PREFIX_BYTES) : 0;
  }

  /** Takes the complete lines in buf[0, n), read at file offset `pos`; returns where the rest starts. */
  takeLines(buf: Buffer, n: number, pos: number): number {
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, from);
      if (nl === -1 || nl >= n) return from;
      const end = pos + nl + 1;
      if (this.skipping) {
        this.oversized.push({
          offset: this.lineStart,
          length: end - this.lineStart,
          excerpt: this.excerpt ?? Buffer.alloc(0),
        });
        this.skipping = false;
        this.excerpt = null;
      } else {
        const piece = buf.subarray(from, nl);
        const text =
          this.carryLen > 0 ? Buffer.concat([...this.carry, piece]).toString('utf8') : piece.toString('utf8');
        this.lines.push({ offset: this.lineStart, text });
        this.batchBytes += end - this.lineStart;
      }
      this.carry = [];
      this.carryLen = 0;
      this.committed = end;
      this.lineStart = end;
      from = nl + 1;
    }
  }

  /** Keeps the start of a line that goes on in the next chunk, or starts skipping it once too long. */
  keepRest(rest: Buffer, maxLine: number): void {
    if (this.skipping) return;
    if (this.carryLen + rest.length > maxLine) {
      this.excerpt = Buffer.concat([...this.carry.slice(0, 4), rest]).subarray(0, 200);
      this.carry = [];
      this.carryLen = 0;
      this.skipping = true;
    } else {
      this.carry.push(Buffer.from(rest));
      this.carryLen += rest.length;
    }
  }

  /**
   * Bytes of the unterminated last line left for later. With `takeWholeJson` (explicit ingest at
   * the end of the file) such a line that is a whole JSON value is taken as a line instead.
   */
  finish(pos: number, takeWholeJson: boolean): number {
    if (takeWholeJson && this.carryLen > 0) {
      const text = Buffer.concat(this.carry).toString('utf8');
      if (isWholeJson(text)) {
        this.lines.push({ offset: this.lineStart, text });
        this.committed = this.lineStart + this.carryLen;
        return 0;
      }
    }
    return this.skipping ? pos - this.lineStart : this.carryLen;
  }

  /** Hands out the batch with its checkpoint, unless there is nothing new to store. */
  emit(): void {
    if (this.committed === this.savedOffset && this.lines.length === 0 && this.oversized.length === 0) return;
    this.onBatch({ lines: this.lines, oversized: this.oversized, checkpoint: this.checkpoint() }, this.plan);
    this.savedOffset = this.committed;
    this.lines = [];
    this.oversized = [];
    this.batchBytes = 0;
  }

  /** The checkpoint at `committed`; the prefix is hashed again only when its length changes. */
  private checkpoint(): Checkpoint {
    const want = Math.min(this.committed, PREFIX_BYTES);
    if (want !== this.prefixLen) {
      this.prefixHash = hashPrefix(this.fd, this.committed);
      this.prefixLen = want;
    }
    const { dev, ino, size } = this.plan.identity;
    return {
      path: this.path,
      kind: this.kind,
      dev,
      ino,
      size,
      offset: this.committed,
      prefixHash: this.prefixHash,
      tailHash: hashTail(this.fd, this.committed),
      contentHash: null,
      items: 0,
    };
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
