/**
 * Recover the elements of a `logs/<event>.json` array file (rewritten whole on every event).
 * A linear scanner tracks strings, escapes and nesting; it never JSON.parses the whole text.
 * - elements: raw text of each top-level element, in order (the caller parses each one);
 * - complete: the array's closing `]` was found (stray bytes after it do not change that);
 * - rejectedBytes: UTF-8 bytes that could not be used (a truncated last element, unbalanced
 *   input, stray bytes after `]`, or a file that is not an array), surrounding whitespace excluded.
 */
import { utf8ByteLength } from '../text.js';

export interface RecoveredArray {
  elements: string[];
  rejectedBytes: number;
  complete: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;
}

function rejected(text: string, from: number): number {
  return from >= text.length ? 0 : utf8ByteLength(text.slice(from).trim());
}

/** Index just after the closing quote of the string opening at `open`, or -1 if unterminated. */
function skipString(text: string, open: number): number {
  let i = open + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return -1;
    let bs = 0;
    for (let k = q - 1; k > open && text.charCodeAt(k) === BACKSLASH; k--) bs++;
    if (bs % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** End (exclusive) of the container opened at `open`; -1 if truncated, -2 if mismatched. */
function skipContainer(text: string, open: number): number {
  const stack: number[] = [];
  let i = open;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE) {
      const after = skipString(text, i);
      if (after < 0) return -1;
      i = after;
      continue;
    }
    if (ch === OPEN_BRACE || ch === OPEN_BRACKET) stack.push(ch);
    else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
      const top = stack.pop();
      if (top === undefined || (top === OPEN_BRACE) !== (ch === CLOSE_BRACE)) return -2;
      if (stack.length === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** End (exclusive) of a number/literal token starting at i. */
function skipToken(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (
      ch === COMMA ||
      ch === CLOSE_BRACKET ||
      ch === CLOSE_BRACE ||
      ch === OPEN_BRACE ||
      ch === OPEN_BRACKET ||
      ch === QUOTE ||
      isWs(ch)
    )
      break;
    i++;
  }
  return i;
}

export function recoverJsonArray(text: string): RecoveredArray {
  const n = text.length;
  const elements: string[] = [];
  const stop = (at: number, complete = false): RecoveredArray => ({
    elements,
    rejectedBytes: rejected(text, at),
    complete,
  });
  let i = 0;
  while (i < n && isWs(text.charCodeAt(i))) i++;
  if (i >= n || text.charCodeAt(i) !== OPEN_BRACKET) return stop(0);
  i++;
  let expectValue = true; // after `[` or `,`
  for (;;) {
    while (i < n && isWs(text.charCodeAt(i))) i++;
    if (i >= n) return stop(n);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACKET && (elements.length === 0 || !expectValue)) return stop(i + 1, true);
    if (!expectValue) {
      if (c !== COMMA) return stop(i);
      expectValue = true;
      i++;
      continue;
    }
    const start = i;
    let end: number;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) end = skipContainer(text, start);
    else if (c === QUOTE) end = skipString(text, start);
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET || c === COMMA) end = -2;
    else {
      end = skipToken(text, start);
      if (end >= n) end = -1; // a number cut at EOF may be incomplete
    }
    if (end < 0) return stop(start);
    elements.push(text.slice(start, end));
    expectValue = false;
    i = end;
  }
}
