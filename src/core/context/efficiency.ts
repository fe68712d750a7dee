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
import type { Basis } from '../types.js';
import { isPlainPath, isWindowsPath, normalizePath, relativizer } from '../paths.js';
import {
  callFacts,
  fileKey,
  posixPrefix,
  tokenFact,
  type CallFacts,
  type ContextCall,
  type TokenFact,
} from './facts.js';

export type { CallFacts, ContextCall } from './facts.js';
export { callFacts } from './facts.js';

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
  const fold = new EfficiencyFold(root);
  for (const f of facts) fold.add(f);
  return fold.result();
}

/** The version of EfficiencyFold.save's form; a saved state of another version is not restored. */
const STATE_VERSION = 1;
const IN_ROOT = 1;
const MEDIA = 2;
const WIN = 4;

/**
 * The efficiency of a session's calls folded one at a time, in time order, from a session cwd
 * (`root`) fixed beforehand (efficiencyFromFacts takes the first call's cwd). `save` gives the
 * state as a string and `restore` takes it back, so a caller that keeps it only folds the calls
 * that came after: the result is the same as folding every call again.
 *
 * Files under the session cwd are known by their path after it (one string: a call under that
 * cwd stores exactly that), the others by their key; which one depends on the path alone, so a
 * file is never known twice.
 */
export class EfficiencyFold {
  private readonly prefix: string | null;
  private readonly inRoot = new Map<string, FileEntry>();
  private readonly outside = new Map<string, FileEntry>();
  private readonly order: FileEntry[] = [];
  private readonly byBase = new Map<string, FileEntry[]>();
  private readonly usedIn = new Set<string>();
  private readonly usedOut = new Map<string, string>();
  /** the used files in order: a key of `usedIn`, or a path as first used (`usedOut`) */
  private readonly usedList: string[] = [];
  private readonly usedListIn: boolean[] = [];
  private resolve: ((f: CallFacts) => CallFacts) | null = null;

  constructor(readonly root: string | null) {
    this.prefix = root === null ? null : posixPrefix(root);
  }

  /** Folds the facts of the next call. */
  add(given: CallFacts): void {
    const root = this.root;
    const f = given.cwd === null ? (this.resolve ??= resolver(root))(given) : given;
    const { tokens, loads, uses, media } = f;
    const atRoot = this.prefix !== null && f.cwd === root;
    for (let i = 0; i + 1 < tokens.length; i += 2)
      this.matchToken(tokens[i] ?? null, tokens[i + 1] ?? null, f.cwd, atRoot);
    // the response bytes: all to one file, else split evenly, the remainder one byte each to the first
    const n = loads.length;
    const share = n > 1 ? Math.floor(f.bytes / n) : f.bytes;
    const rest = n > 1 ? f.bytes - share * n : 0;
    const at = f.rel ? (atRoot ? '' : `${f.cwd ?? ''}/`) : null;
    for (let i = 0; i < n; i++) {
      const p = loads[i] ?? '';
      const bytes = i < rest ? share + 1 : share;
      if (at === '') this.loadIn(p, bytes, media);
      else this.load(at === null ? p : at + p, bytes, media);
    }
    for (const u of uses) {
      if (at === '') this.useIn(u);
      else this.use(at === null ? u : at + u);
    }
  }

  /** The state as one string (JSON): files in the order loaded, used files in the order used. */
  save(): string {
    const files: (string | number | null)[] = [];
    for (const e of this.order) {
      files.push(e.key, (e.inRoot ? IN_ROOT : 0) + (e.media ? MEDIA : 0) + (e.win ? WIN : 0), e.bytes, e.loads);
      if (!e.inRoot) files.push(e.abs);
    }
    const used: (string | number)[] = [];
    for (let i = 0; i < this.usedList.length; i++) used.push(this.usedList[i] ?? '', this.usedListIn[i] ? 1 : 0);
    return JSON.stringify([STATE_VERSION, this.root, files, used]);
  }

  /** A fold from `save`'s string, or null when it is not one (then fold every call again). */
  static restore(saved: string): EfficiencyFold | null {
    let v: unknown;
    try {
      v = JSON.parse(saved);
    } catch {
      return null;
    }
    if (!Array.isArray(v) || v.length !== 4 || v[0] !== STATE_VERSION) return null;
    const [, root, files, used] = v as unknown[];
    if ((root !== null && typeof root !== 'string') || !Array.isArray(files) || !Array.isArray(used)) return null;
    const fold = new EfficiencyFold(root);
    for (let i = 0; i < files.length;) {
      const key: unknown = files[i];
      const flags: unknown = files[i + 1];
      const bytes: unknown = files[i + 2];
      const loads: unknown = files[i + 3];
      if (
        typeof key !== 'string' ||
        typeof flags !== 'number' ||
        typeof bytes !== 'number' ||
        typeof loads !== 'number'
      )
        return null;
      const inRoot = (flags & IN_ROOT) !== 0;
      const abs: unknown = inRoot ? null : files[i + 4];
      if (!inRoot && typeof abs !== 'string') return null;
      i += inRoot ? 4 : 5;
      const e: FileEntry = {
        key,
        inRoot,
        abs: inRoot ? null : (abs as string),
        bytes,
        loads,
        media: (flags & MEDIA) !== 0,
        win: (flags & WIN) !== 0,
      };
      fold.addEntry(inRoot ? fold.inRoot : fold.outside, e, inRoot ? key : (abs as string));
    }
    for (let i = 0; i + 1 < used.length; i += 2) {
      const u: unknown = used[i];
      if (typeof u !== 'string') return null;
      if (used[i + 1] === 1) fold.useIn(u);
      else fold.useOut(fileKey(u), u);
    }
    return fold;
  }

  result(): Efficiency {
    const root = this.root;
    const prefix = this.prefix;
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
    for (const e of this.order) {
      const path = e.inRoot ? showIn(e.key) : show(this.absOf(e));
      const tokens = tokensOf(e.bytes);
      loadedStats.push(e.media ? { path, tokens, loads: e.loads, media: true } : { path, tokens, loads: e.loads });
      tokensLoaded += tokens;
      if (e.inRoot ? this.usedIn.has(e.key) : this.usedOut.has(e.key)) {
        tokensUsed += tokens;
        both += 1;
      } else if (tokens > 0) keepTop(top, path, tokens);
    }
    const filesLoaded = this.order.length;
    return {
      filesLoaded,
      filesUsed: this.usedList.length,
      filesLoadedAndUsed: both,
      efficiencyPct: filesLoaded === 0 ? 0 : Math.round((both / filesLoaded) * 1000) / 10,
      tokensLoaded,
      tokensUsed,
      tokensWasted: tokensLoaded - tokensUsed,
      basis: 'measured',
      loaded: loadedStats,
      used: this.usedList.map((u, i) => (this.usedListIn[i] ? showIn(u) : show(u))),
      topWasted: top,
    };
  }

  private absOf(e: FileEntry): string {
    return (e.abs ??= `${this.prefix ?? ''}${e.key}`);
  }

  private addEntry(map: Map<string, FileEntry>, e: FileEntry, base: string): void {
    map.set(e.key, e);
    this.order.push(e);
    const b = lastSegment(base).toLowerCase();
    const list = this.byBase.get(b);
    if (list) list.push(e);
    else this.byBase.set(b, [e]);
  }

  /** a load of `${root}/${rk}` */
  private loadIn(rk: string, bytes: number, media: boolean): void {
    const cur = this.inRoot.get(rk);
    if (cur) {
      cur.bytes += bytes;
      cur.loads += 1;
      cur.media ||= media;
    } else this.addEntry(this.inRoot, { key: rk, inRoot: true, abs: null, bytes, loads: 1, media, win: false }, rk);
  }

  private load(abs: string, bytes: number, media: boolean): void {
    const prefix = this.prefix;
    if (prefix !== null && abs.startsWith(prefix)) {
      this.loadIn(abs.slice(prefix.length), bytes, media);
      return;
    }
    const key = fileKey(abs);
    const cur = this.outside.get(key);
    if (cur) {
      cur.bytes += bytes;
      cur.loads += 1;
      cur.media ||= media;
    } else
      this.addEntry(this.outside, { key, inRoot: false, abs, bytes, loads: 1, media, win: isWindowsPath(key) }, abs);
  }

  private useIn(rk: string): void {
    if (this.usedIn.has(rk)) return;
    this.usedIn.add(rk);
    this.usedList.push(rk);
    this.usedListIn.push(true);
  }

  private useOut(key: string, abs: string): void {
    if (this.usedOut.has(key)) return;
    this.usedOut.set(key, abs);
    this.usedList.push(abs);
    this.usedListIn.push(false);
  }

  private use(abs: string): void {
    const prefix = this.prefix;
    if (prefix !== null && abs.startsWith(prefix)) this.useIn(abs.slice(prefix.length));
    else this.useOut(fileKey(abs), abs);
  }

  private useFile(e: FileEntry): void {
    if (e.inRoot) this.useIn(e.key);
    else this.useOut(e.key, this.absOf(e));
  }

  /** a token that is the key of a loaded file */
  private matchExact(key: string): void {
    const prefix = this.prefix;
    const e =
      prefix !== null && key.startsWith(prefix) ? this.inRoot.get(key.slice(prefix.length)) : this.outside.get(key);
    if (e) this.useFile(e);
  }

  /** a token names a loaded file as its whole path, or as a path suffix */
  private matchToken(exact: string | null, rel: string | null, callCwd: string | null, atRoot: boolean): void {
    const files = rel === null ? undefined : this.byBase.get(lastSegment(rel).toLowerCase());
    if (exact === '') {
      // `${callCwd}/${rel}`: no loaded file has its name unless `files` has one
      if (files !== undefined && rel !== null) {
        if (atRoot) {
          // the file `${root}/${rel}` is known as `rel`, and is among `files` when loaded
          for (const e of files) {
            if (e.inRoot && e.key === rel) {
              this.useFile(e);
              break;
            }
          }
        } else this.matchExact(`${callCwd ?? ''}/${rel}`);
      }
    } else if (exact !== null) this.matchExact(exact);
    if (files === undefined || rel === null) return;
    let lower: string | null = null;
    for (const e of files) {
      const key = e.key;
      let hit: boolean;
      if (e.inRoot) {
        // the file is `${root}/${key}`: does it end with `/${rel}`?
        if (key.length > rel.length) hit = key.endsWith(rel) && key.charCodeAt(key.length - rel.length - 1) === 47;
        else if (key.length === rel.length) hit = key === rel;
        else hit = this.absOf(e).endsWith(`/${rel}`);
      } else {
        const tail = e.win ? (lower ??= rel.toLowerCase()) : rel;
        hit = key === tail || (key.endsWith(tail) && key.charCodeAt(key.length - tail.length - 1) === 47);
      }
      if (hit) this.useFile(e);
    }
  }
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
