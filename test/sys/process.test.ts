import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processRunning } from '../../src/sys/process.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('processRunning', () => {
  it('is true for us and false for an exited process', () => {
    expect(processRunning(process.pid)).toBe(true);
    expect(processRunning(deadPid())).toBe(false);
  });
});
