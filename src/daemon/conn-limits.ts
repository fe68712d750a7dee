/**
 * Bounds on what clients can make the daemon hold: connections (each costs a descriptor, and a
 * daemon out of descriptors stops ingesting), bytes of unfinished lines per connection and in
 * total, and time to finish a line. The connection cap comes from the descriptor limit, leaving
 * room for the store, the watcher, the tailers and the parser threads.
 */
import { readFileSync } from 'node:fs';
import { MAX_LINE_BYTES } from '../rpc/ndjson.js';

export interface ConnectionLimits {
  /** Connections served at once; more are closed as soon as they are accepted. */
  maxConnections: number;
  /** A connection that has not finished a line this long after starting it is closed. */
  lineTimeoutMs: number;
  /** One line (a request or a batch) at most; longer closes that connection. */
  maxLineBytes: number;
  /** Unfinished lines of all connections together at most; the connection that goes past is closed. */
  maxBufferedBytes: number;
}

/**
 * Descriptors kept for everything but connections. An idle daemon holds about 34 (store db/WAL/SHM, the read
 * thread's own connection, each thread's event loop, the watcher, stdio); ingesting adds the parser threads'
 * loops and the files being read, and a tool run its pipes.
 */
const RESERVED_DESCRIPTORS = 96;
const DEFAULT_LINE_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
/** Without a readable limit (no procfs): a common default soft limit. */
const FALLBACK_NOFILE = 1024;
const MAX_CONNECTIONS = 10_000;

/** The soft RLIMIT_NOFILE from /proc/self/limits, or null when it cannot be read. */
export function readNofileLimit(limitsText?: string): number | null {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return null;
    }
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined) return null;
  if (soft === 'unlimited') return Number.MAX_SAFE_INTEGER;
  const n = Number(soft);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The cap for a descriptor limit: what is left after the reserve (an eighth of it, at least 96). */
export function connectionCap(nofile: number): number {
  const reserve = Math.max(RESERVED_DESCRIPTORS, Math.floor(nofile / 8));
  return Math.max(1, Math.min(MAX_CONNECTIONS, nofile - reserve));
}

function positiveInt(v: string | undefined): number | null {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * The limits in force. `OUTLOOP_MAX_CONNECTIONS`, `OUTLOOP_LINE_TIMEOUT_MS` and
 * `OUTLOOP_MAX_BUFFERED_BYTES` override the defaults (tests use small ones); the connection cap
 * is never above what the descriptor limit allows.
 */
export function connectionLimits(
  env: Record<string, string | undefined>,
  nofile = readNofileLimit(),
): ConnectionLimits {
  const cap = connectionCap(nofile ?? FALLBACK_NOFILE);
  const asked = positiveInt(env['OUTLOOP_MAX_CONNECTIONS']);
  return {
    maxConnections: asked === null ? cap : Math.min(asked, cap),
    lineTimeoutMs: positiveInt(env['OUTLOOP_LINE_TIMEOUT_MS']) ?? DEFAULT_LINE_TIMEOUT_MS,
    maxLineBytes: MAX_LINE_BYTES,
    maxBufferedBytes: positiveInt(env['OUTLOOP_MAX_BUFFERED_BYTES']) ?? DEFAULT_MAX_BUFFERED_BYTES,
  };
}
