/**
 * The files a session loaded and used, for context efficiency. Files under the session cwd
 * (`root`) are known by their path after it (one string: a call under that cwd stores exactly
 * that), the others by their `fileKey`; which one depends on the path alone, so a file is never
 * known twice. Tokens of later calls are matched here against the loaded files, as whole paths
 * or as path suffixes, by the files' last segment.
 */
import { isWindowsPath } from '../paths.js';
import { fileKey, posixPrefix } from './facts.js';

/** A loaded file. */
export interface FileEntry {
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

/** baseOf for a path that is already normalized */
export const lastSegment = (np: string): string => np.slice(np.lastIndexOf('/') + 1);

export class FileTable {
  /** `${root}/` in POSIX form, or null without a session cwd */
  readonly prefix: string | null;
  private readonly inRoot = new Map<string, FileEntry>();
  private readonly outside = new Map<string, FileEntry>();
  private readonly order: FileEntry[] = [];
  private readonly byBase = new Map<string, FileEntry[]>();
  private readonly usedIn = new Set<string>();
  private readonly usedOut = new Map<string, string>();
  /** the used files in order: a key of `usedIn`, or a path as first used (`usedOut`) */
  private readonly usedList: string[] = [];
  private readonly usedListIn: boolean[] = [];

  constructor(readonly root: string | null) {
    this.prefix = root === null ? null : posixPrefix(root);
  }

  /** The loaded files, in the order first loaded. */
  get loaded(): readonly FileEntry[] {
    return this.order;
  }

  /** The used files in the order first used: a path after the root, or a whole path (see `usedInRoot`). */
  get used(): readonly string[] {
    return this.usedList;
  }

  /** For each of `used`: true when it is a path after the root. */
  get usedInRoot(): readonly boolean[] {
    return this.usedListIn;
  }

  isUsed(e: FileEntry): boolean {
    return e.inRoot ? this.usedIn.has(e.key) : this.usedOut.has(e.key);
  }

  absOf(e: FileEntry): string {
    return (e.abs ??= `${this.prefix ?? ''}${e.key}`);
  }

  /** Adds a new file; `base` is the path its last segment is indexed by. */
  addEntry(e: FileEntry, base: string): void {
    (e.inRoot ? this.inRoot : this.outside).set(e.key, e);
    this.order.push(e);
    const b = lastSegment(base).toLowerCase();
    const list = this.byBase.get(b);
    if (list) list.push(e);
    else this.byBase.set(b, [e]);
  }

  /** a load of `${root}/${rk}` */
  loadIn(rk: string, bytes: number, media: boolean): void {
    const cur = this.inRoot.get(rk);
    if (cur) {
      cur.bytes += bytes;
      cur.loads += 1;
      cur.media ||= media;
    } else this.addEntry({ key: rk, inRoot: true, abs: null, bytes, loads: 1, media, win: false }, rk);
  }

  load(abs: string, bytes: number, media: boolean): void {
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
    } else this.addEntry({ key, inRoot: false, abs, bytes, loads: 1, media, win: isWindowsPath(key) }, abs);
  }

  /** a use of `${root}/${rk}` */
  useIn(rk: string): void {
    if (this.usedIn.has(rk)) return;
    this.usedIn.add(rk);
    this.usedList.push(rk);
    this.usedListIn.push(true);
  }

  /** a use of `abs`, a path outside the root whose `fileKey` is `key` */
  useOut(key: string, abs: string): void {
    if (this.usedOut.has(key)) return;
    this.usedOut.set(key, abs);
    this.usedList.push(abs);
    this.usedListIn.push(false);
  }

  use(abs: string): void {
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
  matchToken(exact: string | null, rel: string | null, callCwd: string | null, atRoot: boolean): void {
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
