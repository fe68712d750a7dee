/**
 * Plain UTC calendar arithmetic on epoch milliseconds and 'YYYY-MM-DD' keys, plus an optional IANA
 * time zone for day keys (through Intl). Pure: callers pass every instant, nothing reads the clock.
 */
import { invalidArgument } from './errors.js';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Epoch ms of an ISO-8601 timestamp, or null when it does not parse. */
export function parseTimestamp(ts: string): number | null {
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? ms : null;
}

/** ISO-8601 with milliseconds and `Z`, the form ccusage prints. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** 'YYYY-MM-DD' of the UTC day containing `ms`. */
export function utcDateKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function floorToHour(ms: number): number {
  return Math.floor(ms / MS_PER_HOUR) * MS_PER_HOUR;
}

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

/** 1..12 month; handles leap years (Gregorian). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch ms of 00:00 UTC of a 'YYYY-MM-DD' key. */
export function dateKeyToMs(key: string): number {
  const y = Number(key.slice(0, 4));
  const m = Number(key.slice(5, 7));
  const d = Number(key.slice(8, 10));
  return Date.UTC(y, m - 1, d);
}

/** Shift a 'YYYY-MM-DD' key by whole days (negative goes back). */
export function addDaysToKey(key: string, days: number): string {
  return utcDateKey(dateKeyToMs(key) + days * MS_PER_DAY);
}

/**
 * Normalizes a `--since/--until` value: 'YYYY-MM-DD' or 'YYYYMMDD' → 'YYYY-MM-DD'.
 * Throws `invalid_argument` for anything else, including impossible dates (2025-02-30).
 */
export function normalizeDateArg(value: string, name = 'date'): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value.trim());
  if (m !== null) {
    const key = `${m[1]}-${m[2]}-${m[3]}`;
    const ms = dateKeyToMs(key);
    if (Number.isFinite(ms) && utcDateKey(ms) === key) return key;
  }
  throw invalidArgument(`${name} must be YYYY-MM-DD or YYYYMMDD, got ${JSON.stringify(value)}`);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Maps an instant to the calendar day it falls on. */
export type DateKeyer = (ms: number) => string;

const QUARTER_HOUR = 15 * MS_PER_MINUTE;

/**
 * A fast day-key function for one time zone (default UTC). UTC memoizes the last day; a named
 * zone formats through Intl once per quarter hour (every real offset and transition lies on a
 * 15-minute boundary), so folding a million rows costs a few thousand Intl calls.
 * Throws `invalid_argument` for an unknown zone.
 */
export function makeDateKeyer(timeZone?: string): DateKeyer {
  if (timeZone === undefined || timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    let lastDay = Number.NaN;
    let lastKey = '';
    return (ms) => {
      const day = Math.floor(ms / MS_PER_DAY);
      if (day !== lastDay) {
        lastDay = day;
        lastKey = utcDateKey(ms);
      }
      return lastKey;
    };
  }
  if (!isValidTimeZone(timeZone)) throw invalidArgument(`unknown time zone ${JSON.stringify(timeZone)}`);
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const cache = new Map<number, string>();
  return (ms) => {
    const bucket = Math.floor(ms / QUARTER_HOUR);
    const hit = cache.get(bucket);
    if (hit !== undefined) return hit;
    let y = '';
    let mo = '';
    let d = '';
    for (const p of fmt.formatToParts(ms)) {
      if (p.type === 'year') y = p.value.padStart(4, '0');
      else if (p.type === 'month') mo = p.value;
      else if (p.type === 'day') d = p.value;
    }
    const key = `${y}-${mo}-${d}`;
    if (cache.size >= 100_000) cache.clear();
    cache.set(bucket, key);
    return key;
  };
}
