import { existsSync } from 'node:fs';
import { connect } from 'node:net';

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Resolves true once nothing answers on the socket, false on timeout. */
export async function socketGone(path: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!existsSync(path) || !(await answers(path))) return true;
    await new Promise((r) => setTimeout(r, 40));
  }
  return false;
}
