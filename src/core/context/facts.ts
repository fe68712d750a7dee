/**
 * The per-call half of context efficiency (see context-efficiency.ts for the rules): what one tool
 * call loads, edits and mentions, worked out without looking at any other call, so it can be
 * computed once when the call is stored and read back cheaply (`encodeFacts` / `decodeFacts`).
 *
 * Paths of a call with a cwd are resolved against it here. A call without a cwd is resolved
 * against the session cwd, known only when the session is read: its facts keep the paths and
 * tokens as written (`cwd: null`) and `efficiencyFromFacts` resolves them.
 */
import { extOf, isAbsolutePath, isWindowsPath, normalizePath } from '../paths.js';
import { EDIT_TOOLS, READ_TOOLS, SEARCH_TOOLS } from '../records/tool-call-input.js';

export interface ContextCall {
  toolName: string;
  /** compact JSON of tool_input; may be cut at 4096 chars (then fields are found by regex) */
  inputJson: string | null;
  command: string | null;
  responseBytes: number;
  responseText: string | null;
  isError: boolean | null;
  cwd: string | null;
  filePaths: readonly string[];
}

/** A path-like token of an input, pre-normalized for matching loaded files (see `tokenFact`). */
export interface TokenFact {
  /** the file key (see `fileKey`) of the token resolved against the call cwd, when absolute */
  exact: string | null;
  /** the token normalized alone, when a relative path that may be a loaded file's suffix */
  tail: string | null;
}

/**
 * Everything about one call that does not depend on the other calls of its session. Lists, not
 * objects, so that a stored copy parses straight into this shape (see context-facts-codec.ts).
 * Paths under the call cwd are kept without it (`rel`), so a session's files under its cwd are
 * known by those short names until they are shown.
 */
export interface CallFacts {
  /** the call's own cwd; null: paths are as written, and `mentions` stand for `tokens` */
  cwd: string | null;
  /** `loads` and `uses` are relative to `cwd`: each stands for `${cwd}/${path}` */
  rel: boolean;
  /** files the response brought in, in order, normalized against the call cwd */
  loads: readonly string[];
  /**
   * the response bytes the loads share: one load counts them all; several split them evenly,
   * the remainder one byte each to the first ones
   */
  bytes: number;
  /** the loads are images or PDFs (a Read of one) */
  media: boolean;
  /** files edited or written, normalized like `loads` */
  uses: readonly string[];
  /**
   * path-like tokens of the input, in order, deduplicated, as pairs `exact, tail` (`TokenFact`;
   * `exact` is '' for `${cwd}/${tail}`)
   */
  tokens: readonly (string | null)[];
  /** the raw path-like tokens of a call without a cwd (resolved when the session is read) */
  mentions: readonly string[];
}

/**
 * `${cwd}/`, when paths under `cwd` can be known by what follows it: `cwd` is `/` and more, not
 * `//` (paths under it are neither drive nor UNC paths: their key is the path itself).
 */
export function posixPrefix(cwd: string): string | null {
  return cwd.length > 1 && cwd.charCodeAt(0) === 47 && cwd.charCodeAt(1) !== 47 ? `${cwd}/` : null;
}

const MEDIA_EXT = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'pdf']);
const ERROR_TEXT = /^\s*(<tool_use_error>|File does not exist|File content \(.*exceeds maximum|Error: ENOENT|EISDIR)/i;

/** A tool input parsed once: the object, or the raw (maybe truncated) JSON text. */
export interface CallInput {
  obj: Record<string, unknown> | null;
  raw: string;
}

export function parseCallInput(json: string | null): CallInput {
  if (json === null) return { obj: null, raw: '' };
  try {
    const v: unknown = JSON.parse(json);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return { obj: v as Record<string, unknown>, raw: json };
    }
  } catch {
    // truncated JSON: fall back to regex extraction
  }
  return { obj: null, raw: json };
}

function unescapeJson(s: string): string | null {
  try {
    const v: unknown = JSON.parse(`"${s}"`);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

function field(input: CallInput, names: readonly string[]): string | null {
  if (input.obj === null && input.raw === '') return null;
  for (const name of names) {
    if (input.obj) {
      const v = input.obj[name];
      if (typeof v === 'string' && v.trim() !== '') return v;
      continue;
    }
    const m = new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(input.raw);
    const v = m?.[1] === undefined ? null : unescapeJson(m[1]);
    if (v !== null && v.trim() !== '') return v;
  }
  return null;
}

const TRUNCATED = /(…|\.\.\.|\[truncated\]|\(truncated\))\s*$/;
const SKIP_LINE = /^(Found \d+ |No (files|matches) found|\(Results are truncated|--$)/;
const looksLikePath = (t: string): boolean => /[/\\]/.test(t) || /\.[A-Za-z0-9]{1,10}$/.test(t);

/** File names in a Grep/Glob response (files_with_matches, content and count output modes). */
function namedFiles(call: ContextCall, inputOf: () => CallInput): string[] {
  if (call.responseText === null) return [...call.filePaths];
  const input = inputOf();
  const cut = TRUNCATED.exec(call.responseText);
  const text = cut ? call.responseText.slice(0, cut.index) : call.responseText;
  const lines = text.split(/\r?\n/);
  if (cut && !text.endsWith('\n')) lines.pop();
  const mode = call.toolName === 'Grep' ? field(input, ['output_mode']) : null;
  const out: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (t === '' || SKIP_LINE.test(t)) continue;
    let name: string | null = null;
    if (mode === 'content') {
      const m = /^(.+?):\d+:/.exec(t) ?? /^(.+?)-\d+-/.exec(t) ?? /^(.+?\.[A-Za-z0-9]+):/.exec(t);
      name = m?.[1] ?? null;
    } else if (mode === 'count') {
      name = /^(.+):\d+$/.exec(t)?.[1] ?? null;
    } else if (looksLikePath(t)) {
      name = t;
    }
    if (name !== null && !out.includes(name)) out.push(name);
  }
  const searched = field(input, ['path']);
  if (out.length === 0 && mode === 'content' && searched !== null && extOf(searched) !== '') {
    out.push(searched);
  }
  return out;
}

function isErrorRead(call: ContextCall): boolean {
  if (call.isError === true) return true;
  return call.isError !== false && call.responseText !== null && ERROR_TEXT.test(call.responseText);
}

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
function mentionedTokens(call: ContextCall, input: CallInput): Set<string> {
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

/** The tokens of a call with a cwd (`exact, tail` pairs), or its raw mentions when it has none. */
function tokensOf(
  raw: Iterable<string>,
  cwd: string | null,
  prefix: string | null,
): Pick<CallFacts, 'tokens' | 'mentions'> {
  if (cwd === null) return { tokens: [], mentions: [...raw] };
  const tokens: (string | null)[] = [];
  const seen = new Set<string>();
  for (const t of raw) {
    const f = tokenFact(t, cwd);
    if (f === null) continue;
    // two spellings of one path match the same files: the first is enough
    const k = `${f.exact ?? ''}\0${f.tail ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    tokens.push(prefix !== null && f.tail !== null && f.exact === prefix + f.tail ? '' : f.exact, f.tail);
  }
  return { tokens, mentions: [] };
}

/** The key a normalized path is known by: drive and UNC paths compare case-insensitively. */
export const fileKey = (p: string): string => (isWindowsPath(p) ? p.toLowerCase() : p);

/** A token as matched from a call whose paths resolve against `cwd`; null when it can match nothing. */
export function tokenFact(token: string, cwd: string | null): TokenFact | null {
  const abs = normalizePath(token, cwd);
  const rel = normalizePath(token, null);
  const exact = isAbsolutePath(abs) ? fileKey(abs) : null;
  const tail = isAbsolutePath(rel) || rel.startsWith('..') || rel === '.' ? null : rel;
  return exact === null && tail === null ? null : { exact, tail };
}

/**
 * The facts of one call. `input`: `parseCallInput(call.inputJson)` when the caller parsed it
 * already (else it is parsed when needed, once). `mentioned`: the `tokens` and `mentions` of
 * facts computed before for the same tool name, command, input and cwd (only the outcome
 * changed), which are then not worked out again.
 */
export function callFacts(
  call: ContextCall,
  input?: CallInput,
  mentioned?: Pick<CallFacts, 'tokens' | 'mentions'>,
): CallFacts {
  let parsed = input;
  const inputOf = (): CallInput => (parsed ??= parseCallInput(call.inputJson));
  const cwd = call.cwd;
  const resolve = (p: string): string => (cwd === null ? p : normalizePath(p, cwd));
  let loads: string[] = [];
  let bytes = 0;
  let uses: string[] = [];
  let tokens: readonly (string | null)[] = [];
  let mentions: readonly string[] = [];
  let media = false;
  const prefix = cwd === null ? null : posixPrefix(cwd);
  const isRead = READ_TOOLS.has(call.toolName);
  const isSearch = SEARCH_TOOLS.has(call.toolName);
  if (mentioned !== undefined) ({ tokens, mentions } = mentioned);
  else if (!isRead && !isSearch) ({ tokens, mentions } = tokensOf(mentionedTokens(call, inputOf()), cwd, prefix));
  if (isRead) {
    const target = field(inputOf(), ['file_path', 'notebook_path', 'path']) ?? call.filePaths[0];
    if (target !== undefined && !isErrorRead(call)) {
      loads.push(resolve(target));
      bytes = Math.max(0, call.responseBytes);
      media = MEDIA_EXT.has(extOf(target));
    }
  } else if (isSearch && call.isError !== true) {
    loads = namedFiles(call, inputOf).map(resolve);
    bytes = loads.length > 0 ? Math.max(0, Math.floor(call.responseBytes)) : 0;
  } else if (EDIT_TOOLS.has(call.toolName)) {
    const target = field(inputOf(), ['file_path', 'notebook_path']);
    for (const t of target !== null ? [target] : call.filePaths) uses.push(resolve(t));
  }
  const under = (p: string): boolean => prefix !== null && p.startsWith(prefix);
  const rel = loads.length + uses.length > 0 && loads.every(under) && uses.every(under);
  if (rel) {
    const cut = (prefix ?? '').length;
    loads = loads.map((p) => p.slice(cut));
    uses = uses.map((p) => p.slice(cut));
  }
  return { cwd, rel, loads, bytes, media, uses, tokens, mentions };
}
