import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/**
 * A socket path short enough for sun_path, in a fresh private (0700) directory, as clients and the
 * daemon require: `<tmp>/ol-XXXXXX/d.sock` (falls back to /tmp).
 */
export function shortSocketPath(): string {
  const base = Buffer.byteLength(tmpdir()) > 80 ? '/tmp' : tmpdir();
  const dir = mkdtempSync(join(base, 'ol-'));
  made.push(dir);
  return join(dir, 'd.sock');
}

/** Removes every socket path handed out so far, with its directory (the file may already be gone). */
export function removeShortSockets(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
