import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let counter = 0;
const made: string[] = [];

/** A socket path short enough for sun_path: `<tmp>/ol-<pid>-<n>.sock` (falls back to /tmp). */
export function shortSocketPath(): string {
  const name = `ol-${process.pid}-${++counter}.sock`;
  let path = join(tmpdir(), name);
  if (Buffer.byteLength(path) > 90) path = join('/tmp', name);
  made.push(path);
  return path;
}

/** Removes every socket path handed out so far (the file may already be gone). */
export function removeShortSockets(): void {
  for (const path of made.splice(0)) rmSync(path, { force: true });
}
