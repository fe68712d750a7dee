import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, data?: unknown): void;
  info(msg: string, data?: unknown): void;
  warn(msg: string, data?: unknown): void;
  error(msg: string, data?: unknown): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function render(data: unknown): string {
  if (data === undefined) return '';
  if (data instanceof Error) return ` ${data.stack ?? data.message}`;
  try {
    return ` ${JSON.stringify(data)}`;
  } catch {
    return ` ${String(data)}`;
  }
}

/** The daemon's only output channel: lines appended to `<state dir>/daemon.log`. */
export function createFileLogger(path: string, minLevel: LogLevel = 'info', alsoStderr = false): Logger {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const write = (level: LogLevel, msg: string, data?: unknown): void => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${render(data)}\n`;
    try {
      appendFileSync(path, line);
    } catch {
      // a full disk must not take the daemon down
    }
    if (alsoStderr && ORDER[level] >= ORDER.warn) process.stderr.write(line);
  };
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  };
}

export const NULL_LOGGER: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
