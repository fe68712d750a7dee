import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { recoverJsonArray } from '../../core/records/json-array-recover.js';
import type { SourceInfo } from '../../core/records/source-kind.js';
import { parseSpoolEnvelope } from '../../core/records/spool-envelope.js';
import type { Checkpoint } from '../store/offsets-repo.js';
import type { Store } from '../store/store.js';
import { lineParser, type LineSource, type ParsedItem } from './line-parse.js';
import { CHUNK_BYTES, tailLines, type TailResult } from './tailer.js';
import { contentHash, type RowWriter } from './writer.js';

export interface FileResult {
  /** false when more remains to read (the caller re-queues the file) */
  done: boolean;
  /** bytes consumed by this call */
  bytes: number;
  /** why reading started over from the beginning, if it did */
  restarted: string | null;
  /** bytes of an unterminated last line (or array tail) left waiting */
  pendingTail: number;
  /** an array file whose end is incomplete: read it again once it has settled */
  unsettled: boolean;
}

const result = (r: Partial<FileResult> = {}): FileResult => ({
  done: true,
  bytes: 0,
  restarted: null,
  pendingTail: 0,
  unsettled: false,
  ...r,
});

/** A batch of parsed lines with the checkpoint to store with their rows. */
export interface ParsedBatch {
  checkpoint: Checkpoint;
  oversized: { offset: number; length: number; excerpt: Uint8Array }[];
  items: ParsedItem[];
}

/** Rows of one batch and its checkpoint, in one transaction (a savepoint inside an outer one). */
export function commitLineBatch(store: Store, src: LineSource, w: RowWriter, b: ParsedBatch): void {
  const ino = b.checkpoint.ino;
  store.tx(() => {
    for (const q of b.oversized)
      w.quarantine(src.path, ino, q.offset, `line too long (${q.length} bytes)`, Buffer.from(q.excerpt));
    for (const item of b.items) w.parsedLine(src, ino, item);
    w.flush();
    store.offsets.save(b.checkpoint);
  });
}

/** Line sources (transcripts, hook JSONL logs, stream-json outputs), read and parsed here: tail from the checkpoint. */
export function ingestLineFile(
  store: Store,
  src: LineSource,
  prev: Checkpoint | null,
  makeWriter: () => RowWriter,
  opts: { final: boolean },
): FileResult {
  let bytes = 0;
  let from = prev?.offset ?? 0;
  const parse = lineParser(src);
  const plan = tailLines(
    src.path,
    src.kind,
    prev,
    (batch, started) => {
      if (bytes === 0) from = started.start;
      commitLineBatch(store, src, makeWriter(), {
        checkpoint: batch.checkpoint,
        oversized: batch.oversized,
        items: parse(batch.lines),
      });
      bytes = batch.checkpoint.offset - from;
    },
    { final: opts.final, maxBytes: CHUNK_BYTES },
  );
  return lineFileResult(plan, bytes);
}

export function lineFileResult(plan: TailResult, bytes: number): FileResult {
  return result({
    done: plan.reachedEnd,
    bytes: Math.max(0, bytes),
    restarted: plan.reason === 'resume' || plan.reason === 'new' ? null : plan.reason,
    pendingTail: plan.pendingTail,
  });
}

/** Reads a whole file through one descriptor: its identity and content belong together. */
function readWhole(path: string): { text: string; dev: number; ino: number; size: number } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    const buf = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < st.size) {
      const r = readSync(fd, buf, n, st.size - n, n);
      if (r <= 0) break;
      n += r;
    }
    return { text: buf.subarray(0, n).toString('utf8'), dev: st.dev, ino: st.ino, size: n };
  } finally {
    closeSync(fd);
  }
}

/**
 * Whole-file arrays (`logs/<event>.json` hook logs, `raw_output.json`): rewritten on every event,
 * so only elements not seen before are new. Each element's key is its content hash plus how many
 * identical elements came before it in the file, which survives shifts and rewrites; when the
 * elements read last time are still the file's prefix, they are skipped without being parsed.
 * A truncated or padded tail is quarantined once the file has settled (`final`).
 */
export function ingestArrayFile(
  store: Store,
  path: string,
  info: SourceInfo,
  prev: Checkpoint | null,
  w: RowWriter,
  opts: { final: boolean; mtime: string | null },
): FileResult {
  const f = readWhole(path);
  const hash = contentHash(f.text);
  if (prev && prev.contentHash === hash && prev.size === f.size) return result();
  const rec = recoverJsonArray(f.text);
  // element i's text is rec.elements[i]; find where each ends to hash the prefix read so far
  const hashes: string[] = rec.elements.map((el) => contentHash(el));
  const prefixHash = (n: number): string => contentHash(hashes.slice(0, n).join(','));
  const skip =
    prev && prev.items > 0 && prev.items <= hashes.length && prev.prefixHash === prefixHash(prev.items)
      ? prev.items
      : 0;
  const settled = rec.complete || rec.rejectedBytes === 0 || opts.final;
  const seen = new Map<string, number>();
  store.tx(() => {
    const ctx = { adwId: info.adwId, agentName: info.agentName, path, fallbackTs: opts.mtime };
    rec.elements.forEach((el, i) => {
      const h = hashes[i] ?? '';
      const nth = seen.get(h) ?? 0;
      seen.set(h, nth + 1);
      if (i < skip) return;
      if (info.kind === 'stream-array') w.streamLine(el, ctx, f.ino, i);
      else w.hookPayload(el, `arr:${path}:${h}:${nth}`, { path, ino: f.ino, offset: i, receivedAt: null });
    });
    if (rec.rejectedBytes > 0 && settled && f.text.trim() !== '') {
      const at = Buffer.byteLength(f.text) - rec.rejectedBytes;
      const what = rec.complete ? 'bytes after the closing ]' : 'an incomplete array';
      w.quarantine(
        path,
        f.ino,
        Math.max(0, at),
        `invalid JSON array: ${what} after ${rec.elements.length} element(s), ${rec.rejectedBytes} byte(s) rejected`,
        Buffer.from(f.text).subarray(Math.max(0, at)),
      );
    }
    w.flush();
    store.offsets.save({
      path,
      kind: info.kind,
      dev: f.dev,
      ino: f.ino,
      size: f.size,
      offset: f.size,
      prefixHash: prefixHash(rec.elements.length),
      // an unsettled file is read again on the next event, even if unchanged
      contentHash: settled ? hash : null,
      items: rec.elements.length,
    });
  });
  return result({ bytes: f.size, unsettled: !settled, pendingTail: settled ? 0 : rec.rejectedBytes });
}

/**
 * A spool file: one envelope (core/records/spool-envelope) written by `outloop hook` (a hook payload)
 * or `outloop run` (a run report). Its rows are committed first; only then does the caller remove the
 * file (a crash in between re-reads it, and the dedup keys make that a no-op). Anything else is
 * quarantined.
 */
export function ingestSpoolFile(store: Store, path: string, w: RowWriter): FileResult {
  const f = readWhole(path);
  const raw = f.text;
  const name = basename(path);
  store.tx(() => {
    const e = parseSpoolEnvelope(raw);
    if (e.kind === 'bad') return w.quarantine(path, f.ino, 0, e.reason, readFileSafe(path, raw));
    if (e.kind === 'run') w.runReport(e.run);
    else w.hookPayload(e.payload, `spool:${name}`, { path, ino: f.ino, offset: 0, receivedAt: e.receivedAt });
    w.flush();
  });
  return result({ bytes: f.size });
}

/** The raw bytes for a quarantine excerpt (the text may have lost invalid UTF-8). */
function readFileSafe(path: string, fallback: string): Buffer {
  try {
    return readFileSync(path).subarray(0, 200);
  } catch {
    return Buffer.from(fallback.slice(0, 200));
  }
}
