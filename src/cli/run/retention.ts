/**
 * Retention of kept run logs: by age and by total size, oldest first, at most once per `outloop run`
 * and, to keep each run cheap with thousands of logs, at most once a minute unless the run's own
 * output is a large part of the allowed total.
 * Limits come from `<state dir>/config.json` key `runs: {"maxAgeDays": N, "maxTotalMB": N}`; a missing,
 * invalid or out-of-range value keeps its default (the daemon reads the same file, see
 * src/daemon/config.ts, and ignores this key).
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord, num } from '../../core/json-value.js';
import { MS_PER_DAY, MS_PER_MINUTE } from '../../core/time.js';
import { listRuns, runsDir } from './log-store.js';

export interface Retention {
  maxAgeDays: number;
  maxTotalMB: number;
}

export const DEFAULT_RETENTION: Retention = { maxAgeDays: 14, maxTotalMB: 200 };

const PRUNE_EVERY_MS = MS_PER_MINUTE;
/** `<state dir>/runs/.pruned`: its mtime is when logs were last pruned. */
const STAMP = '.pruned';
const MB = 1024 * 1024;

/** v when it is a finite number within [min, max], else the fallback. */
function inRange(v: unknown, fallback: number, min: number, max: number): number {
  const n = num(v);
  return n !== null && n >= min && n <= max ? n : fallback;
}

/** The `runs` limits of config.json; defaults for whatever is missing or invalid. */
export function readRetention(stateDir: string): Retention {
  let runs: unknown;
  try {
    runs = (JSON.parse(readFileSync(join(stateDir, 'config.json'), 'utf8')) as Record<string, unknown> | null)?.[
      'runs'
    ];
  } catch {
    return { ...DEFAULT_RETENTION };
  }
  const r = isRecord(runs) ? runs : {};
  return {
    maxAgeDays: inRange(r['maxAgeDays'], DEFAULT_RETENTION.maxAgeDays, 0, 36_500),
    maxTotalMB: inRange(r['maxTotalMB'], DEFAULT_RETENTION.maxTotalMB, 0, 10_000_000),
  };
}

/**
 * Deletes logs older than maxAgeDays, then the oldest until the rest fit in maxTotalMB. The log of
 * `keep` (the run that just ended: its id is in the text the agent was given) is never deleted.
 * Returns the ids deleted.
 */
export function pruneRuns(stateDir: string, keep: string | null, limits: Retention, nowMs = Date.now()): string[] {
  const runs = listRuns(stateDir);
  let total = runs.reduce((n, r) => n + r.bytes, 0);
  const oldest = nowMs - limits.maxAgeDays * MS_PER_DAY;
  const maxBytes = limits.maxTotalMB * MB;
  const deleted: string[] = [];
  for (const r of runs) {
    if (r.id === keep || (r.mtimeMs >= oldest && total <= maxBytes)) continue;
    try {
      unlinkSync(r.path);
    } catch {
      continue; // already gone, or not ours to delete
    }
    total -= r.bytes;
    deleted.push(r.id);
  }
  return deleted;
}

/**
 * Whether this run should prune: the last pruning is over a minute old (or never happened), or this
 * run alone wrote over a tenth of the allowed total. Marks the pruning as done when it answers yes.
 */
export function pruneDue(stateDir: string, runBytes: number, limits: Retention, nowMs = Date.now()): boolean {
  const stamp = join(runsDir(stateDir), STAMP);
  let last = 0;
  try {
    last = statSync(stamp).mtimeMs;
  } catch {
    // never pruned
  }
  if (nowMs - last < PRUNE_EVERY_MS && runBytes * 10 < limits.maxTotalMB * MB) return false;
  try {
    closeSync(openSync(stamp, 'a', 0o600));
    utimesSync(stamp, nowMs / 1000, nowMs / 1000);
  } catch {
    // prune anyway; the next run tries the stamp again
  }
  return true;
}
