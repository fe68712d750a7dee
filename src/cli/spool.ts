/**
 * Writing one spool file, the way every writer of the spool does it (`outloop hook`, `outloop run`):
 * `.<name>.tmp` opened with flag wx and mode 0600, written whole, then renamed to
 * `<epoch-ms>-<pid>-<hex>.json`, so the daemon's watcher never sees a partial file and concurrent
 * writers never share one. The spool directory is made 0700 when missing.
 *
 * Import graph: node:fs, node:path and ./atomic-file.js only (both writers start as cheaply as bare node).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeViaRename } from './atomic-file.js';

/** Writes `text` as one new spool file in `dir`; returns its path. Throws when it cannot. */
export function writeSpoolFile(dir: string, text: string): string {
  const name = `${Date.now()}-${process.pid}-${randomHex()}.json`;
  const path = join(dir, name);
  writeViaRename(join(dir, `.${name}.tmp`), path, text, 0o600, () => mkdirSync(dir, { recursive: true, mode: 0o700 }));
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
