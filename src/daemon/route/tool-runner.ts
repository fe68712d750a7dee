/**
 * Runs a registered tool with execa: an argv array (never a shell), the request as one JSON line on
 * stdin, a cwd, a timeout and an output cap.
 *
 * - The tool starts as the leader of its own process group (`detached`). On timeout the whole
 *   group gets SIGTERM, then SIGKILL after KILL_GRACE_MS; when the output passes the cap the group
 *   gets SIGKILL at once and reading stops. When the tool itself exits, anything it left running
 *   in its group is killed too, so a tool that forks a child and returns never leaves it behind
 *   (and never keeps its pipes, and so the answer, open).
 * - stdout and stderr are read as they stream; their bytes together count against the cap and at
 *   most `outputCapBytes` of them are kept.
 * - At most PER_TOOL_CONCURRENCY runs of one tool at a time; further requests wait their turn.
 * - `close()` kills every running group (daemon shutdown).
 */
import { execa } from 'execa';
import { getErrorMessage } from '../../core/errors.js';

export const KILL_GRACE_MS = 1000;
export const PER_TOOL_CONCURRENCY = 4;

export interface RunSpec {
  /** absolute path of the executable */
  file: string;
  args: readonly string[];
  cwd: string;
  /** written to stdin, then stdin is closed */
  input: string;
  timeoutMs: number;
  outputCapBytes: number;
  env?: Record<string, string>;
}

export interface RunOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  overCap: boolean;
  /** the tool could not be started (ENOENT, EACCES, bad cwd...) */
  spawnError: string | null;
  stdout: Buffer;
  stderr: Buffer;
  /** bytes the tool wrote (stdout + stderr), counted up to the point reading stopped */
  bytes: number;
  durationMs: number;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/**
 * Output kept in one buffer of the cap's size, filled in place: no chunk list to join at the end
 * (which held the output twice). The buffer is reserved, not touched: only the pages written count
 * against the process's memory, so a run holds what the tool printed and never more than the cap.
 */
class CappedBytes {
  private buf: Buffer | null = null;
  private length = 0;
  constructor(private readonly cap: number) {}
  push(chunk: Buffer): void {
    this.buf ??= Buffer.allocUnsafeSlow(this.cap);
    this.length += chunk.copy(this.buf, this.length);
  }
  bytes(): Buffer {
    return this.buf === null ? Buffer.alloc(0) : this.buf.subarray(0, this.length);
  }
}

/** A counting semaphore per key. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async enter(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }
}

export class ToolRunner {
  private readonly gates = new Map<string, Gate>();
  private readonly live = new Set<number>();
  private closed = false;

  constructor(private readonly concurrency = PER_TOOL_CONCURRENCY) {}

  /** Number of tool process groups running now. */
  get running(): number {
    return this.live.size;
  }

  async run(key: string, spec: RunSpec): Promise<RunOutcome> {
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new Gate(this.concurrency);
      this.gates.set(key, gate);
    }
    await gate.enter();
    try {
      return await this.runNow(spec);
    } finally {
      gate.leave();
      if (gate.idle) this.gates.delete(key);
    }
  }

  private async runNow(spec: RunSpec): Promise<RunOutcome> {
    const started = performance.now();
    const empty = (spawnError: string): RunOutcome => ({
      exitCode: null,
      signal: null,
      timedOut: false,
      overCap: false,
      spawnError,
      stdout: Buffer.alloc(0),
      stderr: Buffer.alloc(0),
      bytes: 0,
      durationMs: Math.round(performance.now() - started),
    });
    if (this.closed) return empty('the daemon is shutting down');
    const child = execa(spec.file, [...spec.args], {
      cwd: spec.cwd,
      input: spec.input,
      shell: false,
      detached: true,
      buffer: false,
      reject: false,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      encoding: 'buffer',
      stripFinalNewline: false,
      windowsHide: true,
      ...(spec.env ? { env: spec.env } : {}),
    });
    const pid = child.pid;
    if (pid !== undefined) this.live.add(pid);
    const out = new CappedBytes(spec.outputCapBytes);
    const err = new CappedBytes(spec.outputCapBytes);
    let kept = 0;
    let bytes = 0;
    let overCap = false;
    let timedOut = false;
    let graceTimer: NodeJS.Timeout | null = null;
    const collect = (into: CappedBytes) => (chunk: Buffer) => {
      if (overCap) return;
      bytes += chunk.length;
      const room = spec.outputCapBytes - kept;
      if (chunk.length > room) {
        if (room > 0) into.push(chunk.subarray(0, room));
        kept = spec.outputCapBytes;
        overCap = true;
        killGroup(pid, 'SIGKILL');
        child.stdout?.destroy();
        child.stderr?.destroy();
        return;
      }
      into.push(chunk);
      kept += chunk.length;
    };
    child.stdout?.on('data', collect(out));
    child.stderr?.on('data', collect(err));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(pid, 'SIGTERM');
      graceTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
    }, spec.timeoutMs);
    // The tool is done when its main process exits: whatever it left in its group goes too.
    child.once('exit', () => killGroup(pid, 'SIGKILL'));
    try {
      const r = await child;
      const spawnError =
        r.exitCode === undefined && r.signal === undefined && !overCap && !timedOut
          ? r.cause instanceof Error
            ? r.cause.message
            : r.message || 'the tool could not be started'
          : null;
      return {
        exitCode: r.exitCode ?? null,
        signal: r.signal ?? null,
        timedOut,
        overCap,
        spawnError,
        stdout: out.bytes(),
        stderr: err.bytes(),
        bytes,
        durationMs: Math.round(performance.now() - started),
      };
    } catch (e) {
      return empty(getErrorMessage(e));
    } finally {
      clearTimeout(timer);
      if (graceTimer) clearTimeout(graceTimer);
      killGroup(pid, 'SIGKILL');
      if (pid !== undefined) this.live.delete(pid);
    }
  }

  /** Kills every running tool group; later runs are refused. */
  close(): void {
    this.closed = true;
    for (const pid of this.live) killGroup(pid, 'SIGKILL');
  }
}
