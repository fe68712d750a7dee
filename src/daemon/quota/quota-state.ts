/**
 * The quota figures the daemon keeps in memory for `forecast`, `preflight` and the status line.
 *
 * It holds the hourly roll-ups from the start of the month (or 8 days back, whichever is earlier)
 * and the newest official reading, and reloads that slice of `usage_hourly` (a few thousand rows at
 * most: never the usage records, never history beyond it) when the next reader finds it stale:
 * - marked dirty (`markDirty`, called by the daemon after an ingest batch commits);
 * - a probe that costs next to nothing changed: the in-memory count of usage records (new records
 *   anywhere) and the roll-ups of the current and previous hour (records updated as they stream);
 * - the day moved the needed slice, or MAX_AGE_MS passed.
 * Status-line readings are applied at once (`noteSignal`).
 */
import { forecast, resolveQuotaLimit, type Forecast, type QuotaLimitSource } from '../../core/usage/forecast.js';
import { floorToHour, MS_PER_DAY, MS_PER_HOUR, utcDateKey } from '../../core/time.js';
import type { QuotaSignal } from '../../core/types.js';
import type { UsageRow } from '../../core/usage/usage-report.js';
import type { Store } from '../store/store.js';
import type { HourlyAggregate } from '../store/usage-repo.js';
import { dailyTotals, forecastInput, loadFromMs, windowRows, WINDOW_DAYS, type DayTotals } from './forecast-input.js';

export const MAX_AGE_MS = 60_000;

export class QuotaState {
  private dirty = true;
  private loadedAt = 0;
  private loadedFrom = Number.POSITIVE_INFINITY;
  private hourly: HourlyAggregate[] = [];
  private daily = new Map<string, DayTotals>();
  private rows: UsageRow[] = [];
  private rowsFrom = 0;
  private official: QuotaSignal | null = null;
  private lastProbe = '';
  private readonly limit: { limit: number; source: QuotaLimitSource };

  constructor(
    private readonly store: Store,
    env: Record<string, string | undefined>,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.limit = resolveQuotaLimit(env);
  }

  /** Usage or readings changed in the store: reload on the next read. */
  markDirty(): void {
    this.dirty = true;
  }

  /** A reading just stored (status line): newer ones replace the one held. */
  noteSignal(s: QuotaSignal): void {
    if (s.fiveHourPct === null && s.sevenDayPct === null) return;
    if (this.official === null || s.ts >= this.official.ts) this.official = s;
  }

  private probe(nowMs: number): string {
    const hourStart = floorToHour(nowMs);
    let sig = String(this.store.counts.snapshot().usageRecords);
    for (const h of this.store.usage.hourly(hourStart - MS_PER_HOUR, Number.MAX_SAFE_INTEGER)) {
      sig += `|${h.hourMs}:${h.model}:${h.entries}:${h.inputTokens + h.outputTokens + h.cacheCreationTokens + h.cacheReadTokens}:${h.costUsd}:${h.lastTsMs}`;
    }
    return sig;
  }

  private fresh(nowMs: number): void {
    const from = loadFromMs(nowMs);
    const probe = this.probe(nowMs);
    const stale =
      this.dirty || from < this.loadedFrom || nowMs - this.loadedAt >= MAX_AGE_MS || probe !== this.lastProbe;
    if (!stale) return;
    this.lastProbe = probe;
    this.dirty = false;
    this.loadedAt = nowMs;
    this.loadedFrom = from;
    this.hourly = this.store.usage.hourly(from, Number.MAX_SAFE_INTEGER);
    this.daily = dailyTotals(this.hourly);
    this.rowsFrom = nowMs - WINDOW_DAYS * MS_PER_DAY;
    this.rows = windowRows(this.hourly, this.rowsFrom);
    this.official = this.store.quota.latest();
  }

  forecast(now: Date = this.clock()): Forecast {
    this.fresh(now.getTime());
    return forecast(
      forecastInput({
        now,
        hourly: this.hourly,
        daily: this.daily,
        limit: this.limit,
        official: this.official,
        rows: this.rows,
      }),
    );
  }

  /** Today's (UTC) tokens and cost. */
  today(now: Date = this.clock()): DayTotals {
    this.fresh(now.getTime());
    const d = this.daily.get(utcDateKey(now.getTime()));
    return { tokens: d?.tokens ?? 0, costUsd: d?.costUsd ?? 0 };
  }

  get limitTokens(): number {
    return this.limit.limit;
  }
}
