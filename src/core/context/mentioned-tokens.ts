/** The path-like tokens a tool call names in its command and input. */
import { unescapeJson, type CallInput } from './call-input.js';
import type { ContextCall } from './facts-types.js';

/** A token that reads as a path: it has a separator or ends in an extension. */
export const looksLikePath = (t: string): boolean => /[/\\]/.test(t) || /\.[A-Za-z0-9]{1,10}$/.test(t);

function collectStrings(v: unknown, out: string[], depth = 0): void {
  if (depth > 6) return;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out, depth + 1);
  else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) collectStrings(x, out, depth + 1);
  }
}

/** ASCII word delimiters of shellTokens (the rest of `\s` is matched by SPACE_RE). */
const DELIMS = new Set([...' \t\n\r\v\f;|&<>(),='].map((c) => c.charCodeAt(0)));
const SPACE_RE = /\s/;

function shellTokens(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = -1; // the char code of the open quote
  let from = 0; // start of the chars not yet added to `cur`
  // UTF-16 units: a surrogate half is never a quote or a delimiter, so pairs are kept whole
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (quote !== -1) {
      if (code === quote) {
        cur += text.slice(from, i);
        quote = -1;
        from = i + 1;
      }
    } else if (code === 34 || code === 39 || code === 96) {
      cur += text.slice(from, i);
      quote = code;
      from = i + 1;
    } else if (code === 92 && text.charCodeAt(i + 1) === 32) {
      // `\ `: an escaped space
      cur += `${text.slice(from, i)} `;
      i++;
      from = i + 1;
    } else if (code < 128 ? DELIMS.has(code) : SPACE_RE.test(text.charAt(i))) {
      cur += text.slice(from, i);
      if (cur !== '') out.push(cur);
      cur = '';
      from = i + 1;
    }
  }
  cur += text.slice(from);
  if (cur !== '') out.push(cur);
  return out;
}

const TRAILING_PUNCTUATION = new Set([...'.,:;!?'].map((c) => c.charCodeAt(0)));

function cleanToken(t: string): string | null {
  let s = t.trim();
  // each replace only when it can match (the same result, without running every pattern)
  if (s.charCodeAt(0) === 64) s = s.slice(1); // ^@
  if (s.includes(':')) s = s.replace(/::.*$/, '').replace(/:\d+(:\d+)?$/, '');
  if (TRAILING_PUNCTUATION.has(s.charCodeAt(s.length - 1))) s = s.replace(/[.,:;!?]+$/, '');
  if (s.length < 2 || s.includes('://') || s.includes('\n') || !looksLikePath(s)) return null;
  return s;
}

/** Path-like tokens named in a call's command and input, deduplicated, in order. */
export function mentionedTokens(call: ContextCall, input: CallInput): Set<string> {
  const texts: string[] = [];
  if (call.command !== null) texts.push(call.command);
  if (input.obj) collectStrings(input.obj, texts);
  else
    for (const m of input.raw.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      const v = m[1] === undefined ? null : unescapeJson(m[1]);
      if (v !== null) texts.push(v);
    }
  const tokens = new Set<string>();
  const seen = new Set<string>();
  for (const text of texts) {
    if (seen.has(text)) continue;
    seen.add(text);
    const whole = cleanToken(text);
    if (whole !== null && text.length < 1024) tokens.add(whole);
    for (const t of shellTokens(text)) {
      const c = cleanToken(t);
      if (c !== null) tokens.add(c);
    }
  }
  return tokens;
}
