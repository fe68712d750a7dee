/**
 * Writing one spool file, the way every writer of the spool does it (`outloop hook`, `outloop run`):
 * `.<name>.tmp` opened with flag wx and mode 0600, written whole, then renamed to
 * `<epoch-ms>-<pid>-<hex>.json`, so the daemon's watcher never sees a partial file and concurrent
 * writers never share one. The spool directory is made 0700 when missing.
 *
 * Import graph: node:fs and node:path only (both writers start as cheaply as bare node).
 */
import { closeSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `text` as one new spool file in `dir`; returns its path. Throws when it cannot. */
export function writeSpoolFile(dir: string, text: string): string {
  const name = `${Date.now()}-${process.pid}-${randomHex()}.json`;
  const tmp = join(dir, `.${name}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    fd = openSync(tmp, 'wx', 0o600);
  }
  const path = join(dir, name);
  try {
    try {
      const data = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
    throw e;
  }
  return path;
}

/** 16 hex digits (not secret: only keeps concurrent writers' names apart). */
export function randomHex(): string {
  return (
    Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0') +
    Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0')
  );
}
