import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { processRunning } from '../sys/process.js';

const CHECK_MS = 1000;

/**
 * `OUTLOOP_EXIT_WITH_PID=N`: a daemon that belongs to another process (the demo) stops once that process
 * is gone, however it ended (a signal, a closed terminal, kill -9), so it never outlives its owner.
 * Returns the function that stops watching.
 */
export function watchOwner(env: Record<string, string | undefined>, onGone: (pid: number) => void): () => void {
  const pid = Number(env['OUTLOOP_EXIT_WITH_PID']);
  if (!Number.isSafeInteger(pid) || pid <= 1) return () => {};
  const timer = setInterval(() => {
    if (processRunning(pid)) return;
    clearInterval(timer);
    onGone(pid);
  }, CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Only a demo's own temp directory may be removed on exit: `outloop-demo-*` directly under the temp dir. */
export function removableOnExit(dir: string | undefined): string | null {
  if (dir === undefined || dir === '') return null;
  const abs = resolve(dir);
  if (dirname(abs) !== resolve(tmpdir()) || !basename(abs).startsWith('outloop-demo-')) return null;
  return abs;
}

/** `OUTLOOP_REMOVE_ON_EXIT=DIR`: the demo's temp directory, removed once the daemon has stopped. */
export function removeOnExit(env: Record<string, string | undefined>): void {
  const dir = removableOnExit(env['OUTLOOP_REMOVE_ON_EXIT']);
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
}
