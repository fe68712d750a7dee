import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The installed binary (package.json `bin`): `hook` and `statusline` run from it alone, the rest via main.js. */
export const CLI_PATH = join(REPO_ROOT, 'dist', 'cli', 'outloop.cjs');
/** The ES module entry point: a daemon started in the background runs `node main.js daemon`. */
export const MAIN_PATH = join(REPO_ROOT, 'dist', 'cli', 'main.js');

/** Where one test's daemon lives. `socket: undefined` leaves OUTLOOP_SOCKET unset (path fallbacks). */
export interface DaemonTarget {
  stateDir: string;
  socket?: string | undefined;
  /** Extra variables; `undefined` removes one. */
  env?: Record<string, string | undefined>;
}

/** A clean environment: no inherited OUTLOOP_* / XDG state, HOME inside the temp state dir. */
export function cliEnv(t: DaemonTarget): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('OUTLOOP_') || key.startsWith('XDG_') || key === 'CLAUDE_CONFIG_DIR') delete env[key];
  }
  env['HOME'] = t.stateDir;
  env['OUTLOOP_HOME'] = t.stateDir;
  env['CLAUDE_CONFIG_DIR'] = join(t.stateDir, 'claude-config');
  if (t.socket !== undefined) env['OUTLOOP_SOCKET'] = t.socket;
  for (const [key, value] of Object.entries(t.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const started = new Set<ChildProcess>();

/** Runs `node dist/cli/outloop.cjs ...args` to completion and captures everything. */
export function runCli(
  args: string[],
  target: DaemonTarget,
  opts: { timeoutMs?: number; input?: string } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env: cliEnv(target), stdio: ['pipe', 'pipe', 'pipe'] });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => undefined);
  child.stdin.end(opts.input ?? '');
  const timeoutMs = opts.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `outloop ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      started.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A daemon running in the foreground (`outloop daemon`) as our child. */
export interface ForegroundDaemon {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited and its pipes are closed. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnForeground(target: DaemonTarget, args: string[] = []): ForegroundDaemon {
  const child = spawn(process.execPath, [CLI_PATH, 'daemon', ...args], {
    env: cliEnv(target),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      started.delete(child);
      resolve({ code, signal });
    });
  });
  if (child.pid === undefined) throw new Error('could not spawn the daemon');
  return { child, pid: child.pid, stdout: () => stdout, stderr: () => stderr, exited };
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when pid is one of our daemons (guards against killing a recycled pid). */
function isOurDaemon(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return (cmdline.includes(CLI_PATH) || cmdline.includes(MAIN_PATH)) && cmdline.includes('daemon');
  } catch {
    return false;
  }
}

/** The pid recorded in `<state dir>/daemon.pid`, if any. */
export function daemonPid(stateDir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(join(stateDir, 'daemon.pid'), 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Daemons of ours whose OUTLOOP_HOME is one of the given (unique, temporary) state dirs, including
 * any that a racing `outloop start` spawned and never recorded in daemon.pid.
 */
function daemonsIn(stateDirs: string[]): number[] {
  if (stateDirs.length === 0) return [];
  const wanted = new Set(stateDirs.map((d) => `OUTLOOP_HOME=${d}`));
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids; // no procfs
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (!isOurDaemon(pid)) continue;
    try {
      if (
        readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .some((v) => wanted.has(v))
      )
        pids.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/**
 * Ends everything these helpers started: our child processes, and the detached daemons that
 * `outloop start` left in the given state dirs.
 */
export async function killStarted(stateDirs: string[] = []): Promise<void> {
  const pids = new Set<number>();
  for (const child of started)
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) pids.add(child.pid);
  for (const dir of stateDirs) {
    const pid = daemonPid(dir);
    if (pid !== null && isOurDaemon(pid)) pids.add(pid);
  }
  for (const pid of daemonsIn(stateDirs)) pids.add(pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await vi.waitFor(
    () => {
      for (const pid of pids) if (pidAlive(pid) && isOurDaemon(pid)) throw new Error(`pid ${pid} still alive`);
    },
    { timeout: 10_000, interval: 20 },
  );
  started.clear();
}
