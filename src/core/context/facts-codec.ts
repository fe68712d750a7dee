/**
 * The stored form of a call's CallFacts: one JSON array that a single JSON.parse turns straight
 * into the lists of CallFacts (no per-file objects to build when a session of thousands of calls
 * is read back):
 *
 *   [cwd, flags, bytes, tokens, loads, uses, mentions]
 *
 * `flags` is 1 for `media` plus 2 for `rel`; what is empty at the end is left out (`["/repo",0]`
 * loads, uses and mentions nothing). A stored copy is what `callFacts` gave when it was written:
 * should what `callFacts` computes ever change, a migration sets the stored copies to NULL so
 * they are computed again.
 */
import type { CallFacts } from './facts.js';

const NONE: readonly never[] = [];

export function encodeFacts(f: CallFacts): string {
  const parts: unknown[] = [f.cwd, (f.media ? 1 : 0) + (f.rel ? 2 : 0), f.bytes, f.tokens, f.loads, f.uses, f.mentions];
  let n = parts.length;
  while (n > 3 && (parts[n - 1] as readonly unknown[]).length === 0) n--;
  if (n === 3 && f.bytes === 0) n = 2;
  return JSON.stringify(n === parts.length ? parts : parts.slice(0, n));
}

const list = (v: unknown): readonly unknown[] | null => (v === undefined ? NONE : Array.isArray(v) ? v : null);

/** The facts of `encodeFacts`, or null when `s` is not such a copy (then compute them again). */
export function decodeFacts(s: string): CallFacts | null {
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length < 2 || v.length > 7) return null;
  const a = v as unknown[];
  const cwd = a[0];
  const flags = a[1];
  const bytes = a[2] ?? 0;
  const tokens = list(a[3]);
  const loads = list(a[4]);
  const uses = list(a[5]);
  const mentions = list(a[6]);
  if ((cwd !== null && typeof cwd !== 'string') || typeof flags !== 'number' || typeof bytes !== 'number') return null;
  if (tokens === null || loads === null || uses === null || mentions === null || tokens.length % 2 !== 0) return null;
  return {
    cwd,
    rel: (flags & 2) !== 0 && cwd !== null,
    loads: loads as readonly string[],
    bytes,
    media: (flags & 1) !== 0,
    uses: uses as readonly string[],
    tokens: tokens as readonly (string | null)[],
    mentions: mentions as readonly string[],
  };
}
