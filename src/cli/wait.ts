import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { processRunning } from '../sys/process.js';

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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves true once nothing answers on the socket, false on timeout. */
export async function socketGone(path: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!existsSync(path) || !(await answers(path))) return true;
    await sleep(40);
  }
  return false;
}

/** Resolves true once the process has exited, false on timeout. */
export async function processExited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processRunning(pid)) return true;
    await sleep(40);
  }
  return !processRunning(pid);
}
