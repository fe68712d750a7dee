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
 *
 * Two stages: `callFacts` (context-facts.ts) works out each call alone, once (the daemon stores
 * the facts with the call); `efficiencyFromFacts` goes through a session's facts in time order.
 * `contextEfficiency(calls, cwd)` is `efficiencyFromFacts(calls.map(callFacts), cwd)`.
 */
import type { Basis } from './types.js';
import { isPlainPath, isWindowsPath, normalizePath, relativizer } from './paths.js';
import {
  callFacts,
  fileKey,
  posixPrefix,
  tokenFact,
  type CallFacts,
  type ContextCall,
  type TokenFact,
} from './context-facts.js';

export type { CallFacts, ContextCall } from './context-facts.js';
export { callFacts } from './context-facts.js';

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

/** A loaded file. */
interface FileEntry {
  /** its path after `${root}/` when under the session cwd (`inRoot`), else `fileKey` of its path */
  key: string;
  inRoot: boolean;
  /** the path as first loaded (built when needed for a file under the session cwd) */
  abs: string | null;
  bytes: number;
  loads: number;
  media: boolean;
  /** a drive or UNC path (suffixes compare case-insensitively) */
  win: boolean;
}

const NONE: readonly never[] = [];

/** baseOf for a path that is already normalized */
const lastSegment = (np: string): string => np.slice(np.lastIndexOf('/') + 1);
const tokensOf = (bytes: number): number => Math.ceil(bytes / 4);

/** Resolves the facts of calls without a cwd against the session cwd (memoized per run). */
function resolver(root: string | null): (f: CallFacts) => CallFacts {
  const normCache = new Map<string, string>();
  const tokenCache = new Map<string, TokenFact | null>();
  const norm = (p: string): string => {
    let v = normCache.get(p);
    if (v === undefined) {
      v = normalizePath(p, root);
      normCache.set(p, v);
    }
    return v;
  };
  return (f) => {
    const tokens: (string | null)[] = [];
    for (const m of f.mentions) {
      let t = tokenCache.get(m);
      if (t === undefined) {
        t = tokenFact(m, root);
        tokenCache.set(m, t);
      }
      if (t !== null) tokens.push(t.exact, t.tail);
    }
    return { ...f, rel: false, loads: f.loads.map(norm), uses: f.uses.map(norm), tokens, mentions: NONE };
  };
}

/**
 * Context efficiency from the facts of the calls (`callFacts`), in time order: the part that
 * depends on the other calls (a mention counts only for files loaded before it).
 *
 * Files under the session cwd are known by their path after it (one string: a call under that
 * cwd stores exactly that), the others by their key; which one depends on the path alone, so a
 * file is never known twice.
 */
export function efficiencyFromFacts(facts: readonly CallFacts[], cwd?: string | null): Efficiency {
  let root = cwd ?? null;
  if (root === null) {
    for (const f of facts) {
      if (f.cwd !== null) {
        root = f.cwd;
        break;
      }
    }
  }
  const prefix = root === null ? null : posixPrefix(root);
  const inRoot = new Map<string, FileEntry>();
  const outside = new Map<string, FileEntry>();
  const order: FileEntry[] = [];
  const byBase = new Map<string, FileEntry[]>();
  const usedIn = new Set<string>();
  const usedOut = new Map<string, string>();
  /** the used files in order: a key of `usedIn`, or a path as first used (`usedOut`) */
  const usedList: string[] = [];
  const usedListIn: boolean[] = [];
  let resolve: ((f: CallFacts) => CallFacts) | null = null;

  const absOf = (e: FileEntry): string => (e.abs ??= `${prefix ?? ''}${e.key}`);
  const add = (map: Map<string, FileEntry>, e: FileEntry, base: string): void => {
    map.set(e.key, e);
    order.push(e);
    const b = lastSegment(base).toLowerCase();
    const list = byBase.get(b);
    if (list) list.push(e);
    else byBase.set(b, [e]);
  };
  /** a load of `${root}/${rk}` */
  const loadIn = (rk: string, bytes: number, media: boolean): void => {
    const cur = inRoot.get(rk);
    if (cur) {
      cur.bytes += bytes;
      cur.loads += 1;
      cur.media ||= media;
    } else add(inRoot, { key: rk, inRoot: true, abs: null, bytes, loads: 1, media, win: false }, rk);
  };
  const load = (abs: string, bytes: number, media: boolean): void => {
    if (prefix !== null && abs.startsWith(prefix)) {
      loadIn(abs.slice(prefix.length), bytes, media);
      return;
    }
    const key = fileKey(abs);
    const cur = outside.get(key);
    if (cur) {
      cur.bytes += bytes;
      cur.loads += 1;
      cur.media ||= media;
    } else add(outside, { key, inRoot: false, abs, bytes, loads: 1, media, win: isWindowsPath(key) }, abs);
  };
  const useIn = (rk: string): void => {
    if (usedIn.has(rk)) return;
    usedIn.add(rk);
    usedList.push(rk);
    usedListIn.push(true);
  };
  const useOut = (key: string, abs: string): void => {
    if (usedOut.has(key)) return;
    usedOut.set(key, abs);
    usedList.push(abs);
    usedListIn.push(false);
  };
  const use = (abs: string): void => {
    if (prefix !== null && abs.startsWith(prefix)) useIn(abs.slice(prefix.length));
    else useOut(fileKey(abs), abs);
  };
  const useFile = (e: FileEntry): void => (e.inRoot ? useIn(e.key) : useOut(e.key, absOf(e)));
  /** a token that is the key of a loaded file */
  const matchExact = (key: string): void => {
    const e = prefix !== null && key.startsWith(prefix) ? inRoot.get(key.slice(prefix.length)) : outside.get(key);
    if (e) useFile(e);
  };
  /** a token names a loaded file as its whole path, or as a path suffix */
  const matchToken = (exact: string | null, rel: string | null, callCwd: string | null, atRoot: boolean): void => {
    const files = rel === null ? undefined : byBase.get(lastSegment(rel).toLowerCase());
    if (exact === '') {
      // `${callCwd}/${rel}`: no loaded file has its name unless `files` has one
      if (files !== undefined && rel !== null) {
        if (atRoot) {
          // the file `${root}/${rel}` is known as `rel`, and is among `files` when loaded
          for (const e of files) {
            if (e.inRoot && e.key === rel) {
              useFile(e);
              break;
            }
          }
        } else matchExact(`${callCwd ?? ''}/${rel}`);
      }
    } else if (exact !== null) matchExact(exact);
    if (files === undefined || rel === null) return;
    let lower: string | null = null;
    for (const e of files) {
      const key = e.key;
      let hit: boolean;
      if (e.inRoot) {
        // the file is `${root}/${key}`: does it end with `/${rel}`?
        if (key.length > rel.length) hit = key.endsWith(rel) && key.charCodeAt(key.length - rel.length - 1) === 47;
        else if (key.length === rel.length) hit = key === rel;
        else hit = absOf(e).endsWith(`/${rel}`);
      } else {
        const tail = e.win ? (lower ??= rel.toLowerCase()) : rel;
        hit = key === tail || (key.endsWith(tail) && key.charCodeAt(key.length - tail.length - 1) === 47);
      }
      if (hit) useFile(e);
    }
  };

  for (const given of facts) {
    const f = given.cwd === null ? (resolve ??= resolver(root))(given) : given;
    const { tokens, loads, uses, media } = f;
    const atRoot = prefix !== null && f.cwd === root;
    for (let i = 0; i + 1 < tokens.length; i += 2) matchToken(tokens[i] ?? null, tokens[i + 1] ?? null, f.cwd, atRoot);
    // the response bytes: all to one file, else split evenly, the remainder one byte each to the first
    const n = loads.length;
    const share = n > 1 ? Math.floor(f.bytes / n) : f.bytes;
    const rest = n > 1 ? f.bytes - share * n : 0;
    const at = f.rel ? (atRoot ? '' : `${f.cwd ?? ''}/`) : null;
    for (let i = 0; i < n; i++) {
      const p = loads[i] ?? '';
      const bytes = i < rest ? share + 1 : share;
      if (at === '') loadIn(p, bytes, media);
      else load(at === null ? p : at + p, bytes, media);
    }
    for (const u of uses) {
      if (at === '') useIn(u);
      else use(at === null ? u : at + u);
    }
  }

  const show = root !== null ? relativizer(root) : (abs: string): string => abs;
  // `${root}/${rk}` shows as `rk` when both are already normal (no `.`, `..`, `//`, `\\`, edge spaces)
  const plainRoot = prefix !== null && root !== null && isPlainPath(root);
  const showIn = (rk: string): string =>
    plainRoot && rk.charCodeAt(0) !== 47 && isPlainPath(rk) ? rk : show(`${prefix ?? ''}${rk}`);
  const loadedStats: FileStat[] = [];
  const top: { path: string; tokens: number }[] = [];
  let tokensLoaded = 0;
  let tokensUsed = 0;
  let both = 0;
  for (const e of order) {
    const path = e.inRoot ? showIn(e.key) : show(absOf(e));
    const tokens = tokensOf(e.bytes);
    loadedStats.push(e.media ? { path, tokens, loads: e.loads, media: true } : { path, tokens, loads: e.loads });
    tokensLoaded += tokens;
    if (e.inRoot ? usedIn.has(e.key) : usedOut.has(e.key)) {
      tokensUsed += tokens;
      both += 1;
    } else if (tokens > 0) keepTop(top, path, tokens);
  }
  const filesLoaded = order.length;
  return {
    filesLoaded,
    filesUsed: usedList.length,
    filesLoadedAndUsed: both,
    efficiencyPct: filesLoaded === 0 ? 0 : Math.round((both / filesLoaded) * 1000) / 10,
    tokensLoaded,
    tokensUsed,
    tokensWasted: tokensLoaded - tokensUsed,
    basis: 'measured',
    loaded: loadedStats,
    used: usedList.map((u, i) => (usedListIn[i] ? showIn(u) : show(u))),
    topWasted: top,
  };
}

const TOP_WASTED = 10;

/**
 * Keeps `top` the first TOP_WASTED files by tokens (largest first), then path, then order seen:
 * what a stable sort of all of them would start with.
 */
function keepTop(top: { path: string; tokens: number }[], path: string, tokens: number): void {
  let i = top.length;
  for (; i > 0; i--) {
    const t = top[i - 1];
    // goes before `t`: more tokens, or as many and a smaller path (after it when equal: stable)
    if (t === undefined || !(tokens > t.tokens || (tokens === t.tokens && path < t.path))) break;
  }
  if (i >= TOP_WASTED) return;
  top.splice(i, 0, { path, tokens });
  if (top.length > TOP_WASTED) top.pop();
}

export function contextEfficiency(calls: readonly ContextCall[], cwd?: string | null): Efficiency {
  return efficiencyFromFacts(
    calls.map((c) => callFacts(c)),
    cwd,
  );
}
