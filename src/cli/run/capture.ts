/**
 * Runs one command the way Claude Code's Bash tool does (`bash -c STRING`, cwd, environment and
 * stdin inherited) and hands its output, stdout and stderr in arrival order, to a sink.
 *
 * The child gets a process group of its own (when stdin is not a terminal, where a background group
 * could not read), and SIGINT, SIGTERM and SIGHUP received here go to that whole group, so an
 * interrupt or a timeout stops the command and everything it started. The exit status is the
 * command's, 128 + N when a signal ended it.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { constants } from 'node:os';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** After the command exits, how long to wait for a process it left behind to close the output pipes. */
const PIPE_GRACE_MS = 2000;

export interface Ended {
  exitCode: number;
  signal: string | null;
}

/** The exit status a shell reports: the code, or 128 + the signal's number. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): Ended {
  if (signal !== null) return { exitCode: 128 + (constants.signals[signal] ?? 0), signal };
  return { exitCode: code ?? 1, signal: null };
}

/**
 * Spawns `bash -c command`. With `onOutput`, stdout and stderr are piped to it chunk by chunk;
 * without, they are inherited (the raw output goes straight to ours).
 */
export function runCommand(command: string, onOutput: ((chunk: Buffer) => void) | null): Promise<Ended> {
  const ownGroup = !process.stdin.isTTY;
  const stdio: StdioOptions = onOutput ? ['inherit', 'pipe', 'pipe'] : 'inherit';
  const child = spawn('bash', ['-c', command], { stdio, detached: ownGroup });
  const forward = (sig: NodeJS.Signals): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(ownGroup ? -child.pid : child.pid, sig);
    } catch {
      // already gone
    }
  };
  // at a terminal the child shares our group, which the terminal's own SIGINT and SIGHUP already reach
  const handled = ownGroup ? FORWARDED : (['SIGTERM'] as const);
  for (const s of handled) process.on(s, forward);
  const pipes = [child.stdout, child.stderr].filter((p) => p !== null);
  for (const p of pipes) p.on('data', (d: Buffer) => onOutput?.(d));
  return new Promise((resolve) => {
    let open = pipes.length;
    let ended: Ended | null = null;
    let timer: NodeJS.Timeout | null = null;
    let finished = false;
    const finish = (): void => {
      if (finished || ended === null) return;
      finished = true;
      if (timer) clearTimeout(timer);
      for (const s of handled) process.removeListener(s, forward);
      for (const p of pipes) p.destroy();
      resolve(ended);
    };
    for (const p of pipes)
      p.once('close', () => {
        if (--open === 0) finish();
      });
    child.once('error', (e) => {
      process.stderr.write(`outloop run: cannot start bash: ${e.message}\n`);
      ended = { exitCode: 127, signal: null };
      finish();
    });
    child.once('exit', (code, signal) => {
      ended = exitStatus(code, signal);
      if (open === 0) return finish();
      // a process the command left running may hold the pipes open: read what comes for a while only
      timer = setTimeout(finish, PIPE_GRACE_MS);
    });
  });
}
