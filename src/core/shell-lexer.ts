/**
 * The state of the shell tokenizer (`parseShell` in shell-words.ts) and the reading of everything inside a
 * word's quotes and substitutions: `'...'`, `$'...'`, `"..."`, `$(...)`, `${...}`, backticks, and the
 * here-documents opened inside `$(...)`. Ordinary characters are copied in runs, found through one
 * lookup table per context.
 */

export type Ctx = 'sq' | 'dq' | 'ansi' | 'paren' | 'bt' | 'brace';
interface Heredoc {
  delim: string;
  strip: boolean;
}

const DELIM_STOP = /[\s;|&()<>]/;
const DQ_ESCAPABLE = '$`"\\\n';

/** Reads a here-document delimiter starting right after `<<`; quotes around it are removed. */
function readHeredocDelim(s: string, start: number): { doc: Heredoc | null; end: number } {
  let i = start;
  const strip = s[i] === '-';
  if (strip) i++;
  while (s[i] === ' ' || s[i] === '\t') i++;
  let delim = '';
  while (i < s.length && !DELIM_STOP.test(s[i] ?? '')) {
    const c = s[i] ?? '';
    if (c === "'" || c === '"') {
      const close = s.indexOf(c, i + 1);
      const stop = close === -1 ? s.length : close;
      delim += s.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '\\') {
      delim += s[i + 1] ?? '';
      i += 2;
    } else {
      delim += c;
      i++;
    }
  }
  return { doc: delim === '' ? null : { delim, strip }, end: Math.min(i, s.length) };
}

/** Skips here-document bodies that start at `pos`; returns the position after the last delimiter line. */
function skipHeredocBodies(s: string, pos: number, docs: readonly Heredoc[]): { pos: number; ok: boolean } {
  let p = pos;
  for (const doc of docs) {
    for (;;) {
      if (p >= s.length) return { pos: s.length, ok: false };
      const nl = s.indexOf('\n', p);
      const end = nl === -1 ? s.length : nl;
      let line = s.slice(p, end);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (doc.strip) line = line.replace(/^\t+/, '');
      p = end + 1;
      if (line === doc.delim) break;
    }
  }
  return { pos: Math.min(p, s.length), ok: true };
}

/** A lookup table of the characters that need attention in one context; everything else is copied in runs. */
export function specials(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
}
const IN_DQ = specials('"\\$`');
const IN_SUB = specials('()}\'"\\$`<\n');
const IN_BT = specials('`\\');
const IN_ANSI = specials("'\\");

function runEnd(s: string, i: number, table: Uint8Array): number {
  let j = i;
  for (let c = s.charCodeAt(j); j < s.length && (c >= 128 || table[c] === 0); c = s.charCodeAt(++j));
  return j;
}

/** The tokenizer's state while it walks the input once, left to right. */
export interface Lexer {
  readonly s: string;
  /** the next character to read */
  i: number;
  readonly commands: string[][];
  /** open quotes and substitutions, innermost last */
  readonly stack: Ctx[];
  /** here-documents whose bodies start after the next newline */
  heredocs: Heredoc[];
  /** the words of the command being read */
  words: string[];
  word: string;
  inWord: boolean;
  /** part of the current word was quoted (so `"2">x` names no file descriptor) */
  quoted: boolean;
  /** the next word is a redirection target, which is dropped */
  skipNext: boolean;
  /** open `$(...)`, `${...}` and backticks: quotes inside them stay in the word verbatim */
  rawDepth: number;
  unterminated: boolean;
}

export function newLexer(s: string): Lexer {
  return {
    s,
    i: 0,
    commands: [],
    stack: [],
    heredocs: [],
    words: [],
    word: '',
    inWord: false,
    quoted: false,
    skipNext: false,
    rawDepth: 0,
    unterminated: false,
  };
}

const isRaw = (c: Ctx): boolean => c === 'paren' || c === 'bt' || c === 'brace';

function push(lx: Lexer, c: Ctx): void {
  lx.stack.push(c);
  if (isRaw(c)) lx.rawDepth++;
}

function pop(lx: Lexer): void {
  const c = lx.stack.pop();
  if (c !== undefined && isRaw(c)) lx.rawDepth--;
}

export function endWord(lx: Lexer): void {
  if (!lx.inWord) return;
  if (lx.skipNext) lx.skipNext = false;
  else lx.words.push(lx.word);
  lx.word = '';
  lx.inWord = false;
  lx.quoted = false;
}

export function endCommand(lx: Lexer): void {
  endWord(lx);
  lx.skipNext = false;
  if (lx.words.length > 0) lx.commands.push(lx.words);
  lx.words = [];
}

/** Appends `text` to the current word and reads past it. */
export function take(lx: Lexer, text: string): void {
  lx.word += text;
  lx.inWord = true;
  lx.i += text.length;
}

/** Appends `text` (the opening of a substitution or a quote inside one) and enters `c`. */
export function open(lx: Lexer, text: string, c: Ctx): void {
  take(lx, text);
  push(lx, c);
}

/** Appends the closing character `c` and leaves the innermost context. */
function close(lx: Lexer, c: string): void {
  take(lx, c);
  pop(lx);
}

/** Opens a quote whose marks are removed from the word (`length`: 1 for `'` or `"`, 2 for `$'`, `$"`). */
export function openQuote(lx: Lexer, c: 'sq' | 'dq' | 'ansi', length: number): void {
  push(lx, c);
  lx.inWord = lx.quoted = true;
  lx.i += length;
}

/** Position after the newline at `i`, past the bodies of the here-documents it starts. */
export function afterNewline(lx: Lexer, i: number): number {
  if (lx.heredocs.length === 0) return i + 1;
  const r = skipHeredocBodies(lx.s, i + 1, lx.heredocs);
  if (!r.ok) lx.unterminated = true;
  lx.heredocs = [];
  return r.pos;
}

/** Registers the here-document whose `<<` is at `i`; returns the position after its delimiter. */
export function readHeredoc(lx: Lexer, i: number): number {
  const r = readHeredocDelim(lx.s, i + 2);
  if (r.doc) lx.heredocs.push(r.doc);
  return r.end;
}

/** Inside `'...'` or `$'...'`: copies up to the closing quote (in `$'...'`, `\'` does not close). */
function singleQuoted(lx: Lexer, top: 'sq' | 'ansi'): void {
  const { s } = lx;
  const found = top === 'sq' ? s.indexOf("'", lx.i) : runEnd(s, lx.i, IN_ANSI);
  const end = found === -1 ? s.length : found;
  lx.word += s.slice(lx.i, end);
  lx.i = end;
  if (end >= s.length) return;
  if (s[end] === '\\') {
    lx.word += s.slice(end, end + 2);
    lx.i = end + 2;
    return;
  }
  pop(lx);
  if (lx.rawDepth > 0) lx.word += "'";
  lx.i = end + 1;
}

/** A backslash inside double quotes escapes only `$`, `` ` ``, `"`, `\` and newline; inside substitutions it stays. */
function nestedBackslash(lx: Lexer, top: Ctx, next: string): void {
  if (top === 'dq' && lx.rawDepth === 0) {
    if (next !== '\n') lx.word += DQ_ESCAPABLE.includes(next) ? next : `\\${next}`;
  } else lx.word += `\\${next}`;
  lx.i += 2;
}

/** Inside `$(...)`: nested parentheses, here-documents and the newlines that start their bodies. */
function inParen(lx: Lexer, c: string, next: string): void {
  if (c === '(') open(lx, c, 'paren');
  else if (c === ')') close(lx, c);
  else if (c === '<' && next === '<' && lx.s[lx.i + 2] !== '<') {
    const end = readHeredoc(lx, lx.i);
    lx.word += lx.s.slice(lx.i, end);
    lx.i = end;
  } else if (c === '\n') {
    lx.word += c;
    lx.i = afterNewline(lx, lx.i);
  } else take(lx, c);
}

/** A special character inside double quotes, `$(...)`, `${...}` or backticks: it joins the current word. */
function nested(lx: Lexer, top: 'dq' | 'paren' | 'bt' | 'brace', c: string, next: string): void {
  if (c === '\\') nestedBackslash(lx, top, next);
  else if (top === 'bt') close(lx, c);
  else if (c === '"' && top === 'dq') {
    pop(lx);
    if (lx.rawDepth > 0) lx.word += c;
    lx.i++;
  } else if (c === '$' && (next === '(' || next === '{')) open(lx, c + next, next === '(' ? 'paren' : 'brace');
  else if (c === '`') open(lx, c, 'bt');
  else if (top !== 'dq' && (c === "'" || c === '"')) open(lx, c, c === "'" ? 'sq' : 'dq');
  else if (top === 'paren') inParen(lx, c, next);
  else if (top === 'brace' && c === '}') close(lx, c);
  else take(lx, c);
}

/** Copies the run of ordinary characters at the current position; false when there is none. */
export function copyRun(lx: Lexer, table: Uint8Array): boolean {
  const j = runEnd(lx.s, lx.i, table);
  if (j === lx.i) return false;
  lx.word += lx.s.slice(lx.i, j);
  lx.inWord = true;
  lx.i = j;
  return true;
}

/** Reads one run of ordinary characters or one special character inside the context `top`. */
export function readInside(lx: Lexer, top: Ctx): void {
  if (top === 'sq' || top === 'ansi') singleQuoted(lx, top);
  else if (!copyRun(lx, top === 'dq' ? IN_DQ : top === 'bt' ? IN_BT : IN_SUB))
    nested(lx, top, lx.s[lx.i] ?? '', lx.s[lx.i + 1] ?? '');
}
