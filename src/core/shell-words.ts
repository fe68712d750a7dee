/**
 * A small, linear-time shell tokenizer: enough of POSIX sh to find the simple commands in what an agent
 * ran, never a full parser. Unquoted `&&`, `||`, `;`, `|`, `|&`, `&`, newlines and subshell parentheses
 * separate commands. Quotes are removed from top-level words; `$(...)`, backticks and `${...}` stay in their
 * word verbatim (separators inside them do not split). Redirections (`2>&1`, `> out`, `<in`) are dropped
 * together with their target, here-document bodies are skipped, `#` comments are ignored.
 *
 * Deliberate departure from sh: a backslash before a letter, digit, `.`, `_` or `-` is kept, so
 * `C:\Users\me\app` stays a Windows path instead of collapsing to `C:Usersmeapp`.
 */

import {
  afterNewline,
  copyRun,
  endCommand,
  endWord,
  newLexer,
  open,
  openQuote,
  readHeredoc,
  readInside,
  specials,
  take,
  type Lexer,
} from './shell-lexer.js';

export interface ShellParse {
  commands: string[][];
  /** a quote, substitution or here-document was still open at the end of the input */
  unterminated: boolean;
}

const KEEP_BACKSLASH = /[A-Za-z0-9._-]/;
/** Characters outside quotes and substitutions that need attention; the rest are copied in runs. */
const TOP = specials(' \t\r\n#;()|&<>\\\'"$`');

/** `#` starts a comment only at the start of a word; the comment runs to the newline. */
function comment(lx: Lexer): void {
  if (lx.inWord) {
    take(lx, '#');
    return;
  }
  const nl = lx.s.indexOf('\n', lx.i);
  lx.i = nl === -1 ? lx.s.length : nl;
}

/** `&>`, `&>>` redirect (their target is dropped); `&`, `&&` end the command. */
function ampersand(lx: Lexer, next: string): void {
  if (next === '>') {
    endWord(lx);
    lx.i += lx.s[lx.i + 2] === '>' ? 3 : 2;
    lx.skipNext = true;
  } else {
    endCommand(lx);
    lx.i += next === '&' ? 2 : 1;
  }
}

/** A word of digits right before `<` or `>` is the file descriptor redirected: dropped with it. */
function endWordBeforeRedirect(lx: Lexer): void {
  if (lx.inWord && !lx.quoted && /^\d+$/.test(lx.word)) {
    lx.word = '';
    lx.inWord = false;
  } else endWord(lx);
}

/** `<`, `>`, `>>`, `>|`, `<>`: the target word is dropped; `>&2`, `<&-` name a descriptor, read here. */
function redirection(lx: Lexer, c: string): void {
  const { s } = lx;
  let i = lx.i + 1;
  if (s[i] === '>' || s[i] === '|' || (c === '<' && s[i] === '>')) i++;
  if (s[i] === '&') {
    i++;
    while (i < s.length && /[0-9-]/.test(s[i] ?? '')) i++;
  } else lx.skipNext = true;
  lx.i = i;
}

/** `<(...)` and `>(...)` stay in the word; `<<<` drops its word; `<<` starts a here-document. */
function angle(lx: Lexer, c: string, next: string): void {
  if (next === '(') {
    open(lx, c + next, 'paren');
    return;
  }
  endWordBeforeRedirect(lx);
  if (c === '<' && next === '<' && lx.s[lx.i + 2] === '<') {
    lx.i += 3;
    lx.skipNext = true;
  } else if (c === '<' && next === '<') lx.i = readHeredoc(lx, lx.i);
  else redirection(lx, c);
}

/** An unquoted backslash escapes the next character (see the module comment); before a newline it joins lines. */
function topBackslash(lx: Lexer, next: string): void {
  if (next !== '\n' && next !== '') {
    lx.word += KEEP_BACKSLASH.test(next) ? `\\${next}` : next;
    lx.inWord = true;
  }
  lx.i += 2;
}

/** `$'...'`, `$"..."`, `$(...)`, `${...}`, or a plain `$`. */
function dollar(lx: Lexer, next: string): void {
  if (next === "'" || next === '"') openQuote(lx, next === "'" ? 'ansi' : 'dq', 2);
  else if (next === '(' || next === '{') open(lx, `$${next}`, next === '(' ? 'paren' : 'brace');
  else take(lx, '$');
}

/** A special character outside any quote or substitution. */
function topLevel(lx: Lexer, c: string, next: string): void {
  switch (c) {
    case ' ':
    case '\t':
    case '\r':
      endWord(lx);
      lx.i++;
      return;
    case '\n':
      endCommand(lx);
      lx.i = afterNewline(lx, lx.i);
      return;
    case ';':
    case '(':
    case ')':
      endCommand(lx);
      lx.i++;
      return;
    case '|':
      endCommand(lx);
      lx.i += next === '|' || next === '&' ? 2 : 1;
      return;
    case '#':
      return comment(lx);
    case '&':
      return ampersand(lx, next);
    case '<':
    case '>':
      return angle(lx, c, next);
    case '\\':
      return topBackslash(lx, next);
    case "'":
    case '"':
      return openQuote(lx, c === "'" ? 'sq' : 'dq', 1);
    case '$':
      return dollar(lx, next);
    case '`':
      return open(lx, c, 'bt');
    default:
      return take(lx, c);
  }
}

/** Reads one run of ordinary characters or one special character. */
function step(lx: Lexer): void {
  const top = lx.stack[lx.stack.length - 1];
  if (top !== undefined) readInside(lx, top);
  else if (!copyRun(lx, TOP)) topLevel(lx, lx.s[lx.i] ?? '', lx.s[lx.i + 1] ?? '');
}

export function parseShell(input: string): ShellParse {
  const lx = newLexer(input);
  while (lx.i < input.length) step(lx);
  if (lx.stack.length > 0 || lx.heredocs.length > 0) lx.unterminated = true;
  endCommand(lx);
  return { commands: lx.commands, unterminated: lx.unterminated };
}

/** The words of each simple command in `cmd` (see the module comment for what is understood). */
export function splitCommands(cmd: string): string[][] {
  return parseShell(cmd).commands;
}

/** `NAME=value` (an environment assignment prefix). */
export function isEnvAssignment(word: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(word);
}

/** Last path segment, with `/` or `\\` as separators. */
export function baseName(path: string): string {
  let end = path.length;
  while (end > 0 && isSep(path.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > 0 && !isSep(path.charCodeAt(start - 1))) start--;
  return start === 0 && end === path.length ? path : path.slice(start, end);
}
const isSep = (c: number): boolean => c === 47 || c === 92;

/** Quotes a word for display only when it needs it (single quotes, `'` escaped the sh way). */
export function quoteWord(word: string): string {
  if (word !== '' && !/[\s'"`;&|<>()#\\]/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Display text of a command: words quoted where needed, whitespace runs inside a word collapsed to one
 * space (so multi-line arguments stay on one line), cut at `maxChars` with an ellipsis.
 */
export function joinWords(words: readonly string[], maxChars: number): string {
  let out = '';
  for (const w of words) {
    out += (out === '' ? '' : ' ') + quoteWord(w.length > maxChars ? w.slice(0, maxChars) : w).replace(/\s+/g, ' ');
    if (out.length > maxChars) return `${out.slice(0, Math.max(0, maxChars - 1))}…`;
  }
  return out;
}

const KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'do',
  'while',
  'until',
  '!',
  '{',
  'exec',
  'command',
  'builtin',
  'nohup',
]);
const WRAPPERS = new Set(['env', 'sudo', 'nice', 'cross-env', 'dotenv', 'timeout']);
const WRAPPER_VALUES = new Set(['-u', '-g', '-n', '-s', '-k', '-e', '-C', '-f', '-o', '--signal', '--kill-after']);

/**
 * Index of the word that names the program: skips env assignments, shell keywords (`if`, `do`, `!`, `{`,
 * `exec`, `nohup`, ...), `time` and wrappers (`env`, `sudo`, `nice`, `cross-env`, `dotenv`, `timeout N`)
 * with their options. Returns `words.length` when there is no program (only assignments).
 */
export function commandStart(words: readonly string[]): number {
  let i = 0;
  while (i < words.length) {
    const w = words[i] ?? '';
    const b = baseName(w);
    if (isEnvAssignment(w) || KEYWORDS.has(w)) i++;
    else if (b === 'time' || WRAPPERS.has(b)) {
      i++;
      for (let f = words[i] ?? ''; f.startsWith('-') && f.length > 1; f = words[i] ?? '') {
        i += f === '--' ? 1 : 1 + (b !== 'time' || f === '-f' || f === '-o' ? Number(WRAPPER_VALUES.has(f)) : 0);
        if (f === '--') break;
      }
      if (b === 'timeout' && /^\d/.test(words[i] ?? '')) i++;
    } else break;
  }
  return i;
}
