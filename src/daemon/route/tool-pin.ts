/**
 * A registered executable is pinned: the file it resolves to (realpath), its owner, mode, size,
 * change time and SHA-256. Registration refuses a file, or a directory on its resolved path, that
 * another user could change (writable by group/others, or owned by a user other than us or root;
 * a sticky directory such as /tmp is fine: others cannot replace what they do not own in it).
 * Before each run the pin is checked again: a cheap stat, and the hash when the file is small or
 * its size or change time moved. Any difference means the tool is not what a person registered.
 */
import { closeSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';

export interface ToolPin {
  realPath: string;
  uid: number;
  mode: number;
  size: number;
  ctimeMs: number;
  sha256: string;
}

const GROUP_OTHER_WRITE = 0o022;
const STICKY = 0o1000;
/** Files up to this size are hashed before every run; bigger ones when their size or ctime moved. */
const ALWAYS_HASH_BYTES = 1024 * 1024;
const HASH_CHUNK = 1024 * 1024;

function currentUid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : 0;
}

function modeText(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}

/** Why another user could change this file or directory, or null. */
function untrusted(path: string, st: Stats, isDir: boolean): string | null {
  const uid = currentUid();
  if (st.uid !== uid && st.uid !== 0) return `${path} is owned by uid ${st.uid}, not by you (uid ${uid}) or root`;
  if (st.mode & GROUP_OTHER_WRITE && !(isDir && st.mode & STICKY)) {
    return `${path} is writable by group or others (mode ${modeText(st.mode)})`;
  }
  return null;
}

/** SHA-256 of a file, read in chunks. */
export function hashFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(HASH_CHUNK);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Why the file at `path` (resolved) or a directory above it cannot be trusted, or null. */
function trustProblem(realPath: string, st: Stats): string | null {
  const own = untrusted(realPath, st, false);
  if (own) return own;
  for (let d = dirname(realPath), prev = realPath; d !== prev; prev = d, d = dirname(d)) {
    const problem = untrusted(d, statSync(d), true);
    if (problem) return `a directory on its path: ${problem}`;
  }
  return null;
}

/** Pins the executable `path` names; throws an Error saying why it cannot be trusted. */
export function pinExecutable(path: string): ToolPin {
  const realPath = realpathSync(path);
  const st = statSync(realPath);
  const problem = trustProblem(realPath, st);
  if (problem) throw new Error(problem);
  return {
    realPath,
    uid: st.uid,
    mode: st.mode & 0o7777,
    size: st.size,
    ctimeMs: st.ctimeMs,
    sha256: hashFile(realPath),
  };
}

/** Why the executable no longer matches its pin, or null when it is the file registered. */
export function pinMismatch(path: string, pin: ToolPin): string | null {
  let realPath: string;
  let st: Stats;
  try {
    realPath = realpathSync(path);
    st = statSync(realPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // gone is not changed: the run fails as any missing executable does (and counts against it)
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    return `${path} cannot be read (${code ?? 'error'})`;
  }
  if (realPath !== pin.realPath) return `${path} now resolves to ${realPath}, not ${pin.realPath}`;
  const problem = trustProblem(realPath, st);
  if (problem) return problem;
  if (st.uid !== pin.uid) return `${realPath} changed owner (uid ${pin.uid} → ${st.uid})`;
  if ((st.mode & 0o7777) !== pin.mode) return `${realPath} changed mode (${modeText(pin.mode)} → ${modeText(st.mode)})`;
  if (st.size !== pin.size) return `${realPath} changed size (${pin.size} → ${st.size} bytes)`;
  if (st.size <= ALWAYS_HASH_BYTES || st.ctimeMs !== pin.ctimeMs) {
    if (hashFile(realPath) !== pin.sha256) return `${realPath} changed content (SHA-256 differs)`;
  }
  return null;
}
