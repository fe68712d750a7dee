/**
 * The process exit codes of `outloop`, its daemon and its TUI, defined once: 1 failure, 2 bad usage,
 * 3 daemon unreachable, 4 a daemon already runs on that socket (the CLI's start waits on it).
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  alreadyRunning: 4,
} as const;
