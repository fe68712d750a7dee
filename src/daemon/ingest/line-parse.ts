/**
 * Parsing of line sources (transcripts, stream-json outputs, hook JSONL logs), batch by batch.
 * No database here: this runs in the parser worker thread (or inline), and the writer turns the
 * results into rows on the main thread.
 */
import type { SourceInfo } from '../../core/records/source-kind.js';
import { parseStreamJsonLine } from '../../core/records/stream-json.js';
import {
  parseTranscriptLine,
  transcriptContextFromPath,
  type LineContext,
  type ParsedLine,
} from '../../core/records/transcript.js';
import type { Line } from './tailer.js';
import { contentHash } from './content-hash.js';

/** What the writer needs of a parsed line (the rest is not worth copying between threads). */
export type LineFacts = Pick<ParsedLine, 'usage' | 'fragments' | 'quota' | 'compaction'>;

export type ParsedItem =
  | { offset: number; t: 'facts'; facts: LineFacts }
  | { offset: number; t: 'bad'; reason: string; excerpt: string }
  /** hook payloads are normalized by the writer (pairing needs the database) */
  | { offset: number; t: 'hook'; text: string; hash: string };

export interface LineSource {
  path: string;
  kind: 'transcript' | 'stream-jsonl' | 'hook-jsonl';
  adwId: string | null;
  agentName: string | null;
  /** file mtime: the time of stream-json lines that carry none */
  mtime: string | null;
}

export function lineSource(path: string, info: SourceInfo, mtime: string | null): LineSource | null {
  if (info.kind !== 'transcript' && info.kind !== 'stream-jsonl' && info.kind !== 'hook-jsonl') return null;
  return { path, kind: info.kind, adwId: info.adwId, agentName: info.agentName, mtime };
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

const EXCERPT_CHARS = 200;

/** A parser for one source: keeps the per-file context (session/project hints) between batches. */
export function lineParser(src: LineSource): (lines: Line[]) => ParsedItem[] {
  const ctx: LineContext | null = src.kind === 'transcript' ? transcriptContextFromPath(src.path) : null;
  const streamCtx = { adwId: src.adwId, agentName: src.agentName, path: src.path, fallbackTs: src.mtime };
  return (lines) => {
    const out: ParsedItem[] = [];
    for (const line of lines) {
      const text = line.text;
      if (isBlank(text)) continue;
      if (src.kind === 'hook-jsonl') {
        out.push({ offset: line.offset, t: 'hook', text, hash: contentHash(text) });
        continue;
      }
      const r = ctx ? parseTranscriptLine(text, ctx) : parseStreamJsonLine(text, streamCtx);
      if (r.ok)
        out.push({
          offset: line.offset,
          t: 'facts',
          facts: {
            usage: r.value.usage,
            fragments: r.value.fragments,
            quota: r.value.quota,
            ...(r.value.compaction ? { compaction: r.value.compaction } : {}),
          },
        });
      else out.push({ offset: line.offset, t: 'bad', reason: r.reason, excerpt: text.slice(0, EXCERPT_CHARS) });
    }
    return out;
  };
}
