/**
 * Writing one spool file, the way every writer of the spool does it (`outloop hook`, `outloop run`):
 * `.<name>.tmp` opened with flag wx and mode 0600, written whole, then renamed to
 * `<epoch-ms>-<pid>-<hex>.json`, so the daemon's watcher never sees a partial file and concurrent
 * writers never share one. The spool directory is made 0700 when missing.
 *
 * Import graph: node:path and sys/atomic-file only (both writers start as cheaply as bare node).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../sys/atomic-file.js';

/** Writes `text` as one new spool file in `dir`; returns its path. Throws when it cannot. */
export function writeSpoolFile(dir: string, text: string): string {
  const name = `${Date.now()}-${process.pid}-${randomHex()}.json`;
  const path = join(dir, name);
  writeFileAtomic(path, text, { tmp: join(dir, `.${name}.tmp`), mode: 0o600, dirMode: 0o700 });
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
