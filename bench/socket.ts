/** Raw connections to a daemon the bench started (no client library in the measured path). */
import type { ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';

export function openSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    s.once('error', reject);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

/** Resolves once the daemon `child` accepts connections on `path`; rejects if it exits or `timeoutMs` passes. */
export async function waitForSocket(path: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the daemon exited during start (code ${child.exitCode})`);
    try {
      (await openSocket(path)).destroy();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`the daemon did not answer on ${path}`);
}
