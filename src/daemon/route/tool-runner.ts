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

/** Starts the tool as its own process group leader, the request on stdin, output read as a stream. */
function spawnTool(spec: RunSpec) {
  return execa(spec.file, [...spec.args], {
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
}

type ToolProcess = ReturnType<typeof spawnTool>;

/** The outcome of a run that never got a tool going: no output, only the reason. */
function notStarted(spawnError: string, started: number): RunOutcome {
  return {
    exitCode: null,
    signal: null,
    timedOut: false,
    overCap: false,
    spawnError,
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    bytes: 0,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * Watches one running tool: keeps its output up to the cap (past it, kills the group and stops
 * reading), kills the group on timeout (SIGTERM, then SIGKILL after KILL_GRACE_MS) and once the
 * main process exits.
 */
class RunWatch {
  private readonly pid: number | undefined;
  private readonly out: CappedBytes;
  private readonly err: CappedBytes;
  private kept = 0;
  private bytes = 0;
  private overCap = false;
  private timedOut = false;
  private readonly timer: NodeJS.Timeout;
  private graceTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly child: ToolProcess,
    private readonly cap: number,
    timeoutMs: number,
  ) {
    this.pid = child.pid;
    this.out = new CappedBytes(cap);
    this.err = new CappedBytes(cap);
    child.stdout?.on('data', this.collect(this.out));
    child.stderr?.on('data', this.collect(this.err));
    this.timer = setTimeout(() => this.timeOut(), timeoutMs);
    // The tool is done when its main process exits: whatever it left in its group goes too.
    child.once('exit', () => killGroup(this.pid, 'SIGKILL'));
  }

  /** The outcome once the tool has finished; a run that neither exited nor was stopped never started. */
  outcome(r: Awaited<ToolProcess>, started: number): RunOutcome {
    const spawnError =
      r.exitCode === undefined && r.signal === undefined && !this.overCap && !this.timedOut
        ? r.cause instanceof Error
          ? r.cause.message
          : r.message || 'the tool could not be started'
        : null;
    return {
      exitCode: r.exitCode ?? null,
      signal: r.signal ?? null,
      timedOut: this.timedOut,
      overCap: this.overCap,
      spawnError,
      stdout: this.out.bytes(),
      stderr: this.err.bytes(),
      bytes: this.bytes,
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** Clears the timers and kills whatever is left of the group. */
  stop(): void {
    clearTimeout(this.timer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    killGroup(this.pid, 'SIGKILL');
  }

  private collect(into: CappedBytes): (chunk: Buffer) => void {
    return (chunk) => {
      if (this.overCap) return;
      this.bytes += chunk.length;
      const room = this.cap - this.kept;
      if (chunk.length > room) {
        if (room > 0) into.push(chunk.subarray(0, room));
        this.kept = this.cap;
        this.overCap = true;
        killGroup(this.pid, 'SIGKILL');
        this.child.stdout?.destroy();
        this.child.stderr?.destroy();
        return;
      }
      into.push(chunk);
      this.kept += chunk.length;
    };
  }

  private timeOut(): void {
    this.timedOut = true;
    killGroup(this.pid, 'SIGTERM');
    this.graceTimer = setTimeout(() => killGroup(this.pid, 'SIGKILL'), KILL_GRACE_MS);
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
    if (this.closed) return notStarted('the daemon is shutting down', started);
    const child = spawnTool(spec);
    const pid = child.pid;
    if (pid !== undefined) this.live.add(pid);
    const watch = new RunWatch(child, spec.outputCapBytes, spec.timeoutMs);
    try {
      return watch.outcome(await child, started);
    } catch (e) {
      return notStarted(getErrorMessage(e), started);
    } finally {
      watch.stop();
      if (pid !== undefined) this.live.delete(pid);
    }
  }

  /** Kills every running tool group; later runs are refused. */
  close(): void {
    this.closed = true;
    for (const pid of this.live) killGroup(pid, 'SIGKILL');
  }
}
