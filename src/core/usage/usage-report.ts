/**
 * Usage reports in exactly the JSON shapes of `ccusage daily|monthly|session --json`.
 *
 * Every input row just adds: a row may be one API response or an aggregate the store already summed
 * (e.g. SQL GROUP BY day, model). Rows whose `ts` does not parse are skipped (counted in
 * `skipped`). `<synthetic>` rows count in the token and cost sums but never appear in `modelsUsed`
 * or `modelBreakdowns` (as ccusage). `modelsUsed` is sorted by name; `modelBreakdowns` by cost,
 * highest first, then name. Days are calendar days in `timeZone` (IANA, default UTC);
 * `since`/`until` are inclusive 'YYYY-MM-DD' or 'YYYYMMDD' day keys (sessions filter on
 * `lastActivity`, monthly on the day before grouping, as ccusage). Rows are sorted by date
 * ascending unless `order: 'desc'`.
 */
import { DailyAccumulator, SessionAccumulator } from './usage-accumulators.js';
import { rangeFilter } from './usage-groups.js';
import type { DailyReport, MonthlyReport, ReportOptions, SessionReport, UsageRow } from './usage-report-types.js';

export { DailyAccumulator, SessionAccumulator } from './usage-accumulators.js';
export type {
  DailyReport,
  DailyRow,
  ModelBreakdown,
  MonthlyReport,
  MonthlyRow,
  RangeOptions,
  ReportOptions,
  SessionReport,
  SessionRow,
  Totals,
  UsageRow,
} from './usage-report-types.js';
export { SYNTHETIC_MODEL, UNKNOWN_PROJECT, UNKNOWN_SESSION } from './usage-report-types.js';

export function dailyReport(rows: Iterable<UsageRow>, opts?: ReportOptions): DailyReport {
  rangeFilter(opts); // validate since/until before folding
  const acc = new DailyAccumulator({ timeZone: opts?.timeZone });
  for (const r of rows) acc.add(r);
  return acc.result(opts);
}

export function monthlyReport(rows: Iterable<UsageRow>, opts?: ReportOptions): MonthlyReport {
  rangeFilter(opts); // validate since/until before folding
  const acc = new DailyAccumulator({ timeZone: opts?.timeZone });
  for (const r of rows) acc.add(r);
  return acc.monthly(opts);
}

export function sessionReport(rows: Iterable<UsageRow>, opts?: ReportOptions): SessionReport {
  rangeFilter(opts);
  const acc = new SessionAccumulator({ timeZone: opts?.timeZone });
  for (const r of rows) acc.add(r);
  return acc.result(opts);
}
