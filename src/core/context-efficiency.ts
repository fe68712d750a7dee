/**
 * Context efficiency of one session or one ADW workflow (pass all its calls, ordered by time):
 * which files entered the context versus which files the agent went on to use.
 *
 * Loaded (tokens are `measured`: ceil(bytes / 4) of the responses that brought the file in):
 * - Read / NotebookRead: the target gets the whole response bytes. An error Read (`isError`, or a
 *   `<tool_use_error>` / "File does not exist" response) loads nothing. Images and PDFs count their
 *   response bytes like text and are flagged `media: true`.
 * - Grep / Glob: the files named in `responseText` (else the call's `filePaths`); the response bytes
 *   are split evenly over them, the remainder one byte each to the first files listed. A
 *   `responseText` cut by the caller must end with a marker (`…`, `...`, `[truncated]`); its
 *   partial last line is then dropped (the text alone cannot show a cut: `responseBytes` may
 *   measure a structured response larger than the text).
 *   Reading a file twice, or naming it in a search and then reading it, adds the bytes up.
 * Used:
 * - the target of Edit / Write / MultiEdit / NotebookEdit (loaded or not, error or not), or
 * - a loaded file named in the input of a LATER call other than Read/Grep/Glob (a Bash command
 *   such as `pytest tests/test_cart.py::test_add`, a Task prompt, ...), as a whole path or as a
 *   path-suffix token (`tests/test_cart.py`, `cart.py`). Files never loaded are not searched for.
 * Paths: resolved against the call's cwd (else the session cwd), one file under any spelling
 * (abs/rel, `./`, backslashes; drive and UNC paths case-insensitively), reported relative to the
 * session cwd (`cwd` argument, else the first call's cwd) when under it.
 */
import type { Basis } from './types.js';
import { extOf, isAbsolutePath, isWindowsPath, normalizePath, relativeTo } from './paths.js';

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

export interface FileStat {
  path: string;
  tokens: number;
  loads: number;
  /** set when the file is an image or a PDF (tokens are still ceil(response bytes / 4)) */
  media?: boolean;
}

export interface Efficiency {
  filesLoaded: number;
  filesUsed: number;
  filesLoadedAndUsed: number;
  /** filesLoadedAndUsed / filesLoaded * 100, one decimal; 0 when nothing was loaded */
  efficiencyPct: number;
  tokensLoaded: number;
  tokensUsed: number;
  tokensWasted: number;
  basis: Extract<Basis, 'measured'>;
  loaded: FileStat[];
  used: string[];
  topWasted: { path: string; tokens: number }[];
}

const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);
const READ_TOOLS = new Set(['Read', 'NotebookRead']);
const SEARCH_TOOLS = new Set(['Grep', 'Glob']);
const MEDIA_EXT = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'pdf']);
const ERROR_TEXT = /^\s*(<tool_use_error>|File does not exist|File content \(.*exceeds maximum|Error: ENOENT|EISDIR)/i;

interface Input {
  obj: Record<string, unknown> | null;
  raw: string;
}

function parseInput(json: string | null): Input {
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

function field(input: Input, names: readonly string[]): string | null {
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
function namedFiles(call: ContextCall, input: Input): string[] {
  if (call.responseText === null) return [...call.filePaths];
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
  let quote: string | null = null;
  // UTF-16 units: a surrogate half is never a quote or a delimiter, so pairs are appended whole
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const code = text.charCodeAt(i);
    if (quote !== null) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '\\' && text[i + 1] === ' ') {
      cur += ' ';
      i++;
    } else if (code < 128 ? DELIMS.has(code) : SPACE_RE.test(ch)) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}

function cleanToken(t: string): string | null {
  const s = t
    .trim()
    .replace(/^@/, '')
    .replace(/::.*$/, '')
    .replace(/:\d+(:\d+)?$/, '')
    .replace(/[.,:;!?]+$/, '');
  if (s.length < 2 || s.includes('://') || s.includes('\n') || !looksLikePath(s)) return null;
  return s;
}

/** Path-like tokens of one text (memoized per contextEfficiency run: commands repeat). */
function textTokens(text: string, cache: Map<string, string[]>): string[] {
  const hit = cache.get(text);
  if (hit) return hit;
  const tokens: string[] = [];
  const whole = cleanToken(text);
  if (whole !== null && text.length < 1024) tokens.push(whole);
  for (const t of shellTokens(text)) {
    const c = cleanToken(t);
    if (c !== null) tokens.push(c);
  }
  cache.set(text, tokens);
  return tokens;
}

/** Path-like tokens named in a call's command and input. */
function mentionedTokens(call: ContextCall, input: Input, cache: Map<string, string[]>): string[] {
  const texts: string[] = [];
  if (call.command !== null) texts.push(call.command);
  if (input.obj) collectStrings(input.obj, texts);
  else
    for (const m of input.raw.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      const v = m[1] === undefined ? null : unescapeJson(m[1]);
      if (v !== null) texts.push(v);
    }
  const tokens = new Set<string>();
  for (const text of texts) for (const t of textTokens(text, cache)) tokens.add(t);
  return [...tokens];
}

interface Loaded {
  abs: string;
  bytes: number;
  loads: number;
  media: boolean;
}

/** baseOf for a path that is already normalized */
const lastSegment = (np: string): string => np.slice(np.lastIndexOf('/') + 1);
const keyOf = (p: string): string => (isWindowsPath(p) ? p.toLowerCase() : p);
const tokensOf = (bytes: number): number => Math.ceil(bytes / 4);

export function contextEfficiency(calls: readonly ContextCall[], cwd?: string | null): Efficiency {
  const root = cwd ?? calls.find((c) => c.cwd !== null)?.cwd ?? null;
  const loaded = new Map<string, Loaded>();
  const byBase = new Map<string, string[]>();
  const used = new Map<string, string>();
  const tokenCache = new Map<string, string[]>();
  const normCache = new Map<string | null, Map<string, string>>();
  /** normalizePath, memoized for this run (the same paths and tokens recur in every call) */
  const norm = (p: string, cwd: string | null): string => {
    let byPath = normCache.get(cwd);
    if (byPath === undefined) {
      byPath = new Map();
      normCache.set(cwd, byPath);
    }
    let v = byPath.get(p);
    if (v === undefined) {
      v = normalizePath(p, cwd);
      byPath.set(p, v);
    }
    return v;
  };

  const load = (abs: string, bytes: number, media: boolean): void => {
    const key = keyOf(abs);
    const cur = loaded.get(key);
    if (cur) {
      cur.bytes += bytes;
      cur.loads += 1;
      cur.media ||= media;
      return;
    }
    loaded.set(key, { abs, bytes, loads: 1, media });
    const b = lastSegment(abs).toLowerCase();
    byBase.set(b, [...(byBase.get(b) ?? []), key]);
  };
  const use = (abs: string): void => {
    if (!used.has(keyOf(abs))) used.set(keyOf(abs), abs);
  };
  const matchToken = (token: string, callCwd: string | null): void => {
    const abs = norm(token, callCwd);
    if (isAbsolutePath(abs) && loaded.has(keyOf(abs))) use(loaded.get(keyOf(abs))?.abs ?? abs);
    const rel = norm(token, null);
    if (isAbsolutePath(rel) || rel.startsWith('..') || rel === '.') return;
    for (const key of byBase.get(lastSegment(rel).toLowerCase()) ?? []) {
      const tail = isWindowsPath(key) ? rel.toLowerCase() : rel;
      const file = loaded.get(key);
      if (file && (key === tail || key.endsWith(`/${tail}`))) use(file.abs);
    }
  };

  for (const call of calls) {
    const callCwd = call.cwd ?? root;
    const input = parseInput(call.inputJson);
    const resolve = (p: string): string => norm(p, callCwd);
    if (!READ_TOOLS.has(call.toolName) && !SEARCH_TOOLS.has(call.toolName)) {
      for (const t of mentionedTokens(call, input, tokenCache)) matchToken(t, callCwd);
    }
    if (READ_TOOLS.has(call.toolName)) {
      const target = field(input, ['file_path', 'notebook_path', 'path']) ?? call.filePaths[0];
      if (target !== undefined && !isErrorRead(call)) {
        load(resolve(target), Math.max(0, call.responseBytes), MEDIA_EXT.has(extOf(target)));
      }
    } else if (SEARCH_TOOLS.has(call.toolName) && call.isError !== true) {
      const files = namedFiles(call, input);
      const total = Math.max(0, Math.floor(call.responseBytes));
      const share = files.length > 0 ? Math.floor(total / files.length) : 0;
      const rest = total - share * files.length;
      files.forEach((f, i) => load(resolve(f), share + (i < rest ? 1 : 0), false));
    } else if (EDIT_TOOLS.has(call.toolName)) {
      const target = field(input, ['file_path', 'notebook_path']);
      for (const t of target !== null ? [target] : call.filePaths) use(resolve(t));
    }
  }

  const show = (abs: string): string => (root !== null ? relativeTo(abs, root) : abs);
  const stats: (FileStat & { used: boolean })[] = [...loaded.entries()].map(([key, f]) => ({
    path: show(f.abs),
    tokens: tokensOf(f.bytes),
    loads: f.loads,
    ...(f.media ? { media: true } : {}),
    used: used.has(key),
  }));
  const tokensLoaded = stats.reduce((n, s) => n + s.tokens, 0);
  const tokensUsed = stats.reduce((n, s) => n + (s.used ? s.tokens : 0), 0);
  const both = stats.filter((s) => s.used).length;
  return {
    filesLoaded: loaded.size,
    filesUsed: used.size,
    filesLoadedAndUsed: both,
    efficiencyPct: loaded.size === 0 ? 0 : Math.round((both / loaded.size) * 1000) / 10,
    tokensLoaded,
    tokensUsed,
    tokensWasted: tokensLoaded - tokensUsed,
    basis: 'measured',
    loaded: stats.map(({ used: _u, ...s }) => s),
    used: [...used.values()].map(show),
    topWasted: stats
      .filter((s) => !s.used && s.tokens > 0)
      .sort((a, b) => b.tokens - a.tokens || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .slice(0, 10)
      .map((s) => ({ path: s.path, tokens: s.tokens })),
  };
}
