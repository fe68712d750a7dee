/**
 * Pure, posix-style path handling for paths written by agents on any OS (no node:path).
 *
 * Normal form: forward slashes, NFC unicode, `.`/`..` resolved, no `./` prefix, no trailing slash,
 * Windows drive letters lower-cased (`c:/Users/...`), the `\\?\` long-path prefix dropped, UNC
 * roots kept as `//server/share`. Spaces, `)` and non-ASCII letters are kept as written.
 */

const DRIVE = /^([A-Za-z]):(?:\/|$)/;

/** The root of an absolute normalized-slash path (`/`, `c:/`, `//`), or '' when relative. */
function rootOf(p: string): string {
  const drive = DRIVE.exec(p);
  if (drive) return `${(drive[1] ?? '').toLowerCase()}:/`;
  if (p.startsWith('//')) return '//';
  if (p.startsWith('/')) return '/';
  return '';
}

/** True for `/x`, `c:/x`, `C:\x` and UNC paths. */
export function isAbsolutePath(p: string): boolean {
  return rootOf(p.includes('\\') ? p.replace(/\\/g, '/') : p) !== '';
}

/** True when the (normalized) path is a Windows drive or UNC path: compared case-insensitively. */
export function isWindowsPath(p: string): boolean {
  // DRIVE.test(p) || p.startsWith('//'), by char codes (hot in context efficiency)
  const c0 = p.charCodeAt(0);
  if (c0 === 47) return p.charCodeAt(1) === 47;
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122)) || p.charCodeAt(1) !== 58) return false;
  return p.length === 2 || p.charCodeAt(2) === 47;
}

function resolveSegments(root: string, rest: string): string {
  const out: string[] = [];
  for (const seg of rest.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      const last = out[out.length - 1];
      if (last !== undefined && last !== '..') out.pop();
      else if (root === '') out.push('..');
      // `..` above an absolute root stays at the root
      continue;
    }
    out.push(seg);
  }
  const body = out.join('/');
  if (root !== '') return root + body;
  return body === '' ? '.' : body;
}

/** `p.slice(from, to)` is `.` or `..` */
function isDotSegment(p: string, from: number, to: number): boolean {
  const n = to - from;
  return (n === 1 || n === 2) && p.charCodeAt(from) === 46 && (n === 1 || p.charCodeAt(from + 1) === 46);
}

/**
 * Printable ASCII, no edge spaces, no `\\`, no `//`, no `.`/`..` segment, no trailing `/`, no drive
 * (one pass over the chars: hot in context efficiency).
 */
function isPlain(p: string): boolean {
  const n = p.length;
  if (n === 0) return false;
  const first = p.charCodeAt(0);
  const last = p.charCodeAt(n - 1);
  if (first <= 0x20 || first > 0x7e || last <= 0x20 || last > 0x7e || last === 47) return false;
  const letter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122);
  if (letter && p.charCodeAt(1) === 58) return false;
  let segment = 0;
  for (let i = 0; i < n; i++) {
    const c = p.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 92) return false;
    if (c === 47) {
      if (p.charCodeAt(i + 1) === 47 || isDotSegment(p, segment, i)) return false;
      segment = i + 1;
    }
  }
  return !isDotSegment(p, segment, n);
}

/**
 * True when `p` is printable ASCII with nothing to normalize (no `.`/`..` segment, `//`, `\\`,
 * drive, edge spaces or trailing `/`): `normalizePath(p) === p`.
 */
export const isPlainPath = (p: string): boolean => isPlain(p);

/**
 * Normalize `p`; a relative `p` is resolved against `cwd` when one is given.
 * `normalizePath('.\\src\\a.py', 'C:\\Repo')` → `c:/Repo/src/a.py`.
 */
export function normalizePath(p: string, cwd?: string | null): string {
  // fast paths (hot in context efficiency): printable ASCII with nothing to resolve is already normal
  if (isPlain(p)) {
    if (p.startsWith('/')) return p;
    if (cwd === undefined || cwd === null || cwd.trim() === '') return p;
    if (cwd.startsWith('/') && isPlain(cwd)) return `${cwd}/${p}`;
  }
  let s = p.normalize('NFC').trim().replace(/\\/g, '/');
  if (s.startsWith('//?/') || s.startsWith('//./')) s = s.slice(4);
  let root = rootOf(s);
  if (root === '' && cwd !== undefined && cwd !== null && cwd.trim() !== '') {
    const base = normalizePath(cwd);
    if (rootOf(base) !== '') {
      s = `${base}/${s}`;
      root = rootOf(s);
    }
  }
  let rest = s;
  if (root === '//') rest = s.slice(2);
  else if (root !== '') rest = s.slice(root.length - 1);
  return resolveSegments(root, rest);
}

/**
 * `p` relative to `root` when `p` is `root` (→ `.`) or lies under it; otherwise `p` normalized and
 * unchanged. Drive and UNC paths compare case-insensitively.
 */
export function relativeTo(p: string, root: string): string {
  return relativizer(root)(p);
}

/** `(p) => relativeTo(p, root)`, with the work on `root` done once. */
export function relativizer(root: string): (p: string) => string {
  const nr = normalizePath(root);
  const win = isWindowsPath(nr);
  const lowerRoot = nr.toLowerCase();
  const prefix = nr.endsWith('/') ? nr : `${nr}/`;
  const lowerPrefix = prefix.toLowerCase();
  return (p) => {
    const np = normalizePath(p, root);
    if (np === nr || (win && np.toLowerCase() === lowerRoot)) return '.';
    if (nr !== '.' && (win ? np.toLowerCase().startsWith(lowerPrefix) : np.startsWith(prefix))) {
      return np.slice(prefix.length);
    }
    return np;
  };
}

/** The directory of `p`: `a/b/c.py` → `a/b`, `c.py` → `.`, `/c.py` → `/`, `c:/x` → `c:/`. */
export function dirOf(p: string): string {
  const np = normalizePath(p);
  const root = rootOf(np);
  const i = np.lastIndexOf('/');
  if (i < 0) return '.';
  if (i < root.length) return root === '' ? '.' : root;
  return np.slice(0, i);
}

/** The last segment of `p`. */
export function baseOf(p: string): string {
  const np = normalizePath(p);
  const i = np.lastIndexOf('/');
  return i < 0 ? np : np.slice(i + 1);
}

/** Lower-cased extension without the dot (`a/b.Test.TS` → `ts`), '' when none (`Makefile`, `.env`). */
export function extOf(p: string): string {
  const base = baseOf(p);
  const i = base.lastIndexOf('.');
  if (i <= 0 || i === base.length - 1) return '';
  return base.slice(i + 1).toLowerCase();
}
