import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { fnv1a64 } from '../../core/hash.js';
import { recoverJsonArray } from '../../core/json-array-recover.js';
import type { SourceInfo } from '../../core/source-kind.js';
import { streamJsonArrayLines } from '../../core/stream-json.js';
import { transcriptContextFromPath } from '../../core/transcript.js';
import type { Store } from '../store/store.js';
import { tailLines } from './tailer.js';
import type { RowWriter } from './writer.js';

function mtimeIso(path: string): string | null {
  try {
    return statSync(path).mtime.toISOString();
  } catch {
    return null;
  }
}

export interface FileResult {
  /** false when more remains to read (the caller re-queues the file) */
  done: boolean;
  bytes: number;
  restarted: string | null;
}

/** Line sources (transcripts, hook JSONL logs, stream-json outputs): tail from the checkpoint. */
export function ingestLineFile(
  store: Store,
  path: string,
  info: SourceInfo,
  makeWriter: () => RowWriter,
  opts: { final: boolean },
): FileResult {
  const prev = store.offsets.get(path);
  let bytes = 0;
  const ctx = info.kind === 'transcript' ? transcriptContextFromPath(path) : null;
  const streamCtx = { adwId: info.adwId, agentName: info.agentName, path, fallbackTs: mtimeIso(path) };
  const plan = tailLines(
    path,
    info.kind,
    prev,
    (batch, started) => {
      const w = makeWriter();
      store.tx(() => {
        for (const q of batch.oversized) w.quarantine(path, batch.checkpoint.ino, q.offset, 'line too long', q.excerpt);
        for (const line of batch.lines) {
          if (line.text.trim() === '') continue;
          if (info.kind === 'transcript' && ctx) w.transcriptLine(line.text, ctx, batch.checkpoint.ino, line.offset);
          else if (info.kind === 'stream-jsonl') w.streamLine(line.text, streamCtx, batch.checkpoint.ino, line.offset);
          else w.hookPayload(line.text, `jsonl:${path}:${line.offset}:${fnv1a64(line.text)}`, { path, ino: batch.checkpoint.ino, offset: line.offset, receivedAt: null });
        }
        store.offsets.save(batch.checkpoint);
      });
      bytes = batch.checkpoint.offset - started.start;
    },
    { final: opts.final, maxBytes: 32 * 1024 * 1024 },
  );
  return { done: plan.reachedEnd, bytes: Math.max(0, bytes), restarted: plan.reason === 'resume' || plan.reason === 'new' ? null : plan.reason };
}

/**
 * Whole-file arrays (`logs/<event>.json` hook logs, `raw_output.json`): rewritten on every event,
 * so only elements not seen before are new. Each element's key is its content hash plus how many
 * identical elements came before it in the file, which survives shifts and rewrites.
 */
export function ingestArrayFile(store: Store, path: string, info: SourceInfo, w: RowWriter): FileResult {
  const st = statSync(path);
  const prev = store.offsets.get(path);
  if (prev && prev.ino === st.ino && prev.size === st.size && prev.contentHash !== null) {
    const text = readFileSync(path, 'utf8');
    if (fnv1a64(text) === prev.contentHash) return { done: true, bytes: 0, restarted: null };
    return processArray(store, path, info, w, text, st);
  }
  return processArray(store, path, info, w, readFileSync(path, 'utf8'), st);
}

function processArray(
  store: Store,
  path: string,
  info: SourceInfo,
  w: RowWriter,
  text: string,
  st: { dev: number; ino: number; size: number },
): FileResult {
  const contentHash = fnv1a64(text);
  store.tx(() => {
    if (info.kind === 'stream-array') {
      const lines = streamJsonArrayLines(text);
      const ctx = { adwId: info.adwId, agentName: info.agentName, path, fallbackTs: mtimeIso(path) };
      lines.forEach((line, i) => w.streamLine(line, ctx, st.ino, i));
    } else {
      const rec = recoverJsonArray(text);
      const seen = new Map<string, number>();
      for (const el of rec.elements) {
        const h = fnv1a64(el);
        const nth = seen.get(h) ?? 0;
        seen.set(h, nth + 1);
        w.hookPayload(el, `arr:${path}:${h}:${nth}`, { path, ino: st.ino, offset: 0, receivedAt: null });
      }
      if (rec.rejectedBytes > 0 && text.trim() !== '') {
        const at = Buffer.byteLength(text) - rec.rejectedBytes;
        w.quarantine(path, st.ino, at, `invalid JSON after ${rec.elements.length} array element(s): ${rec.rejectedBytes} byte(s) rejected`, Buffer.from(text).subarray(at));
      }
    }
    store.offsets.save({ path, kind: info.kind, dev: st.dev, ino: st.ino, size: st.size, offset: st.size, prefixHash: null, contentHash, items: 0 });
  });
  return { done: true, bytes: st.size, restarted: null };
}

/**
 * A spool file written by `outloop hook`: `{"v":1,"receivedAt":ISO,"payload":"<stdin as received>"}`.
 * Its rows are committed first; only then is the file removed (a crash in between re-reads it,
 * and the dedup key makes that a no-op).
 */
export function ingestSpoolFile(store: Store, path: string, w: RowWriter): FileResult {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return { done: true, bytes: 0, restarted: null };
  }
  const name = basename(path);
  const st = statSync(path);
  store.tx(() => {
    let envelope: { receivedAt?: unknown; payload?: unknown } | null = null;
    try {
      envelope = JSON.parse(raw) as { receivedAt?: unknown; payload?: unknown };
    } catch {
      envelope = null;
    }
    if (!envelope || typeof envelope !== 'object' || typeof envelope.payload !== 'string') {
      w.quarantine(path, st.ino, 0, 'spool file is not an outloop envelope', raw);
      return;
    }
    const receivedAt = typeof envelope.receivedAt === 'string' ? envelope.receivedAt : null;
    w.hookPayload(envelope.payload, `spool:${name}`, { path, ino: st.ino, offset: 0, receivedAt });
  });
  try {
    unlinkSync(path);
  } catch {
    // already consumed by an earlier pass
  }
  return { done: true, bytes: raw.length, restarted: null };
}
