/**
 * Builds the forecast's input from the hourly usage roll-ups (usage_hourly), never from the
 * records themselves.
 *
 * - Days are UTC; a day's tokens are all four token kinds.
 * - Each hour bucket (per model) becomes two rows for the 5-hour block and the 7-day window: all its
 *   tokens and cost at its first dated entry's time, and an empty row at its last dated entry's time.
 *   Block edges, gaps and burn rates use those times, so they come out as from the records; only the
 *   7-day window's start is rounded to a whole hour bucket. The undated part of a bucket rides along
 *   (`undatedTokens`, ...) so rates leave it out; a bucket of undated records only is one row marked
 *   `undated` at its first entry's (file) time.
 */
import type { ForecastInput, QuotaLimitSource } from '../../core/usage/forecast.js';
import { MS_PER_DAY, toIso, utcDateKey } from '../../core/time.js';
import type { QuotaSignal } from '../../core/types.js';
import type { UsageRow } from '../../core/usage/usage-report.js';
import type { HourlyAggregate } from '../store/usage-repo.js';

/** Days of history before today the forecast reads (7 weighted days + margin). */
export const HISTORY_DAYS = 8;
export const WINDOW_DAYS = 7;

/** First instant whose roll-ups a forecast at `nowMs` needs. */
export function loadFromMs(nowMs: number): number {
  const d = new Date(nowMs);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const historyStart = Math.floor(nowMs / MS_PER_DAY) * MS_PER_DAY - HISTORY_DAYS * MS_PER_DAY;
  return Math.min(monthStart, historyStart);
}

export function bucketTokens(h: HourlyAggregate): number {
  return h.inputTokens + h.outputTokens + h.cacheCreationTokens + h.cacheReadTokens;
}

export interface DayTotals {
  tokens: number;
  costUsd: number;
}

/** Per-UTC-day totals. */
export function dailyTotals(hourly: readonly HourlyAggregate[]): Map<string, DayTotals> {
  const m = new Map<string, DayTotals>();
  for (const h of hourly) {
    if (h.entries <= 0) continue;
    const key = utcDateKey(h.hourMs);
    const e = m.get(key) ?? { tokens: 0, costUsd: 0 };
    e.tokens += bucketTokens(h);
    e.costUsd += h.costUsd;
    m.set(key, e);
  }
  return m;
}

/** Two rows per bucket (see the module comment), sorted by time. */
export function windowRows(hourly: readonly HourlyAggregate[], fromMs: number): UsageRow[] {
  const rows: { ms: number; row: UsageRow }[] = [];
  for (const h of hourly) {
    if (h.entries <= 0 || h.lastTsMs < fromMs) continue;
    const base = { sessionId: null, project: null, model: h.model };
    const dated = h.datedFirstTsMs !== null && h.datedLastTsMs !== null;
    const firstMs = h.datedFirstTsMs ?? h.firstTsMs;
    const lastMs = h.datedLastTsMs ?? h.firstTsMs;
    rows.push({
      ms: firstMs,
      row: {
        ...base,
        ts: toIso(firstMs),
        inputTokens: h.inputTokens,
        outputTokens: h.outputTokens,
        cacheCreationTokens: h.cacheCreationTokens,
        cacheReadTokens: h.cacheReadTokens,
        costUsd: h.costUsd,
        ...(dated
          ? { undatedTokens: h.undatedTokens, undatedCostUsd: h.undatedCostUsd, undatedRecords: h.undatedEntries }
          : { undated: true, undatedRecords: h.undatedEntries }),
      },
    });
    if (dated && lastMs > firstMs) {
      rows.push({
        ms: lastMs,
        row: {
          ...base,
          ts: toIso(lastMs),
          inputTokens: 0,
          outputTokens: 0,
          cacheCreationTokens: 0,
          cacheReadTokens: 0,
          costUsd: 0,
        },
      });
    }
  }
  rows.sort((a, b) => a.ms - b.ms);
  return rows.map((r) => r.row);
}

export function forecastInput(o: {
  now: Date;
  hourly: readonly HourlyAggregate[];
  daily: ReadonlyMap<string, DayTotals>;
  limit: { limit: number; source: QuotaLimitSource };
  official: QuotaSignal | null;
  rows?: UsageRow[];
}): ForecastInput {
  const nowMs = o.now.getTime();
  const today = utcDateKey(nowMs);
  const month = today.slice(0, 7);
  let mtd = 0;
  const dailyTokens: ForecastInput['dailyTokens'] = [];
  const firstDay = utcDateKey(nowMs - HISTORY_DAYS * MS_PER_DAY);
  for (const [date, d] of o.daily) {
    if (date > today) continue;
    if (date.startsWith(month)) mtd += d.tokens;
    if (date >= firstDay) dailyTokens.push({ date, tokens: d.tokens, costUsd: d.costUsd });
  }
  dailyTokens.sort((a, b) => (a.date < b.date ? -1 : 1));
  return {
    now: o.now,
    monthToDateTokens: mtd,
    dailyTokens,
    limitTokens: o.limit.limit,
    limitSource: o.limit.source,
    recentRows: o.rows ?? windowRows(o.hourly, nowMs - WINDOW_DAYS * MS_PER_DAY),
    official: o.official,
  };
}
