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
  return rootOf(p.replace(/\\/g, '/')) !== '';
}

/** True when the (normalized) path is a Windows drive or UNC path: compared case-insensitively. */
export function isWindowsPath(p: string): boolean {
  return DRIVE.test(p) || p.startsWith('//');
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

/** Printable ASCII, no edge spaces, no `\\`, no `//`, no `.`/`..` segment, no trailing `/`, no drive. */
const PLAIN_RE = /^(?!\/\/)[!-~](?:[ -~]*[!-~])?$/;
const UNPLAIN_RE = /\\|\/\/|(?:^|\/)\.\.?(?:\/|$)|\/$|^[A-Za-z]:/;

function isPlain(p: string): boolean {
  return PLAIN_RE.test(p) && !UNPLAIN_RE.test(p);
}

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

function samePrefix(p: string, root: string): boolean {
  if (isWindowsPath(root)) return p.toLowerCase().startsWith(root.toLowerCase());
  return p.startsWith(root);
}

/**
 * `p` relative to `root` when `p` is `root` (→ `.`) or lies under it; otherwise `p` normalized and
 * unchanged. Drive and UNC paths compare case-insensitively.
 */
export function relativeTo(p: string, root: string): string {
  const np = normalizePath(p, root);
  const nr = normalizePath(root);
  if (np === nr || (isWindowsPath(nr) && np.toLowerCase() === nr.toLowerCase())) return '.';
  const prefix = nr.endsWith('/') ? nr : `${nr}/`;
  if (nr !== '.' && samePrefix(np, prefix)) return np.slice(prefix.length);
  return np;
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
