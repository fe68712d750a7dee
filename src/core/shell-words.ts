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

export interface ShellParse {
  commands: string[][];
  /** a quote, substitution or here-document was still open at the end of the input */
  unterminated: boolean;
}

type Ctx = 'sq' | 'dq' | 'ansi' | 'paren' | 'bt' | 'brace';
interface Heredoc {
  delim: string;
  strip: boolean;
}

const KEEP_BACKSLASH = /[A-Za-z0-9._-]/;
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

/** Characters that need attention, per context; everything else is copied in runs. */
function specials(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
}
const TOP = specials(' \t\r\n#;()|&<>\\\'"$`');
const IN_DQ = specials('"\\$`');
const IN_SUB = specials('()}\'"\\$`<\n');
const IN_BT = specials('`\\');
const IN_ANSI = specials("'\\");

function runEnd(s: string, i: number, table: Uint8Array): number {
  let j = i;
  for (let c = s.charCodeAt(j); j < s.length && (c >= 128 || table[c] === 0); c = s.charCodeAt(++j));
  return j;
}

export function parseShell(input: string): ShellParse {
  const s = input;
  const n = s.length;
  const commands: string[][] = [];
  const stack: Ctx[] = [];
  let heredocs: Heredoc[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  let skipNext = false;
  let rawDepth = 0;
  let unterminated = false;

  const endWord = (): void => {
    if (!inWord) return;
    if (skipNext) skipNext = false;
    else words.push(word);
    word = '';
    inWord = false;
    quoted = false;
  };
  const endCommand = (): void => {
    endWord();
    skipNext = false;
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const push = (c: Ctx): void => {
    stack.push(c);
    if (c === 'paren' || c === 'bt' || c === 'brace') rawDepth++;
  };
  const pop = (): void => {
    const c = stack.pop();
    if (c === 'paren' || c === 'bt' || c === 'brace') rawDepth--;
  };
  const newlineHeredocs = (i: number): number => {
    if (heredocs.length === 0) return i + 1;
    const r = skipHeredocBodies(s, i + 1, heredocs);
    if (!r.ok) unterminated = true;
    heredocs = [];
    return r.pos;
  };

  let i = 0;
  while (i < n) {
    const top = stack.length === 0 ? undefined : stack[stack.length - 1];
    const table = top === undefined ? TOP : top === 'dq' ? IN_DQ : top === 'bt' ? IN_BT : IN_SUB;
    if (top === 'sq' || top === 'ansi') {
      const close = top === 'sq' ? s.indexOf("'", i) : runEnd(s, i, IN_ANSI);
      const end = close === -1 ? n : close;
      word += s.slice(i, end);
      i = end;
      if (i >= n) break;
      if (s[i] === '\\') {
        word += s.slice(i, i + 2);
        i += 2;
        continue;
      }
      pop();
      if (rawDepth > 0) word += "'";
      i++;
      continue;
    }
    const j = runEnd(s, i, table);
    if (j > i) {
      word += s.slice(i, j);
      inWord = true;
      i = j;
      continue;
    }
    const c = s[i] ?? '';
    const next = s[i + 1] ?? '';

    if (top === undefined) {
      if (c === ' ' || c === '\t' || c === '\r') {
        endWord();
        i++;
      } else if (c === '\n') {
        endCommand();
        i = newlineHeredocs(i);
      } else if (c === '#') {
        if (inWord) {
          word += c;
          i++;
        } else {
          const nl = s.indexOf('\n', i);
          i = nl === -1 ? n : nl;
        }
      } else if (c === ';' || c === '(' || c === ')') {
        endCommand();
        i++;
      } else if (c === '|') {
        endCommand();
        i += next === '|' || next === '&' ? 2 : 1;
      } else if (c === '&' && next === '>') {
        endWord();
        i += s[i + 2] === '>' ? 3 : 2;
        skipNext = true;
      } else if (c === '&') {
        endCommand();
        i += next === '&' ? 2 : 1;
      } else if ((c === '<' || c === '>') && next === '(') {
        word += c + next;
        inWord = true;
        push('paren');
        i += 2;
      } else if (c === '<' || c === '>') {
        if (inWord && !quoted && /^\d+$/.test(word)) {
          word = '';
          inWord = false;
        } else endWord();
        if (c === '<' && next === '<' && s[i + 2] === '<') {
          i += 3;
          skipNext = true;
        } else if (c === '<' && next === '<') {
          const r = readHeredocDelim(s, i + 2);
          if (r.doc) heredocs.push(r.doc);
          i = r.end;
        } else {
          i++;
          if (s[i] === '>' || s[i] === '|' || (c === '<' && s[i] === '>')) i++;
          if (s[i] === '&') {
            i++;
            while (i < n && /[0-9-]/.test(s[i] ?? '')) i++;
          } else skipNext = true;
        }
      } else if (c === '\\') {
        if (next !== '\n' && next !== '') {
          word += KEEP_BACKSLASH.test(next) ? c + next : next;
          inWord = true;
        }
        i += 2;
      } else if (c === "'" || c === '"') {
        push(c === "'" ? 'sq' : 'dq');
        inWord = quoted = true;
        i++;
      } else if (c === '$' && (next === "'" || next === '"')) {
        push(next === "'" ? 'ansi' : 'dq');
        inWord = quoted = true;
        i += 2;
      } else if (c === '$' && (next === '(' || next === '{')) {
        word += c + next;
        inWord = true;
        push(next === '(' ? 'paren' : 'brace');
        i += 2;
      } else if (c === '`') {
        word += c;
        inWord = true;
        push('bt');
        i++;
      } else {
        word += c;
        inWord = true;
        i++;
      }
      continue;
    }

    // inside double quotes, `$(...)`, `${...}` or backticks: text accumulates into the current word
    if (c === '\\') {
      if (top === 'dq' && rawDepth === 0) {
        if (next !== '\n') word += DQ_ESCAPABLE.includes(next) ? next : c + next;
      } else word += c + next;
      i += 2;
    } else if (top === 'bt') {
      word += c;
      pop();
      i++;
    } else if (c === '"' && top === 'dq') {
      pop();
      if (rawDepth > 0) word += c;
      i++;
    } else if (c === '$' && (next === '(' || next === '{')) {
      word += c + next;
      push(next === '(' ? 'paren' : 'brace');
      i += 2;
    } else if (c === '`') {
      word += c;
      push('bt');
      i++;
    } else if (top !== 'dq' && (c === "'" || c === '"')) {
      word += c;
      push(c === "'" ? 'sq' : 'dq');
      i++;
    } else if (top === 'paren' && (c === '(' || c === ')')) {
      word += c;
      if (c === '(') push('paren');
      else pop();
      i++;
    } else if (top === 'brace' && c === '}') {
      word += c;
      pop();
      i++;
    } else if (top === 'paren' && c === '<' && next === '<' && s[i + 2] !== '<') {
      const r = readHeredocDelim(s, i + 2);
      if (r.doc) heredocs.push(r.doc);
      word += s.slice(i, r.end);
      i = r.end;
    } else if (top === 'paren' && c === '\n') {
      word += c;
      i = newlineHeredocs(i);
    } else {
      word += c;
      i++;
    }
  }
  if (stack.length > 0 || heredocs.length > 0) unterminated = true;
  endCommand();
  return { commands, unterminated };
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
