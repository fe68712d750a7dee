/** Whether a process still runs. Import graph: node:fs and core only. */
import { readFileSync } from 'node:fs';
import { isNodeError } from '../core/errors.js';

/**
 * True while the process runs. A zombie (killed, not yet reaped: PID 1 in a container may reap
 * late or never) does not count, or a crashed daemon would hold its state dir until reaped.
 */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return isNodeError(e) && e.code === 'EPERM';
  }
  try {
    // "pid (comm) S ...": the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return true; // no procfs (macOS): trust kill(0)
  }
}
