/**
 * What the Quota pane draws of the `forecast` answer (core/usage/forecast-types.ts) and of the daily
 * `usage/report` (core/usage/usage-report-types.ts).
 */
import type { Forecast, QuotaWindow } from '../../core/usage/forecast.js';
import type { ForecastResult, UsageReportResult } from '../../rpc/protocol.js';

export type WindowView = Pick<
  QuotaWindow,
  | 'tokens'
  | 'costUsd'
  | 'burnTokensPerMin'
  | 'burnUsdPerHour'
  | 'projectedTokens'
  | 'pct'
  | 'resetsAt'
  | 'provenance'
  | 'undatedRecords'
>;

export interface QuotaView extends Pick<
  Forecast,
  | 'monthToDateTokens'
  | 'limitTokens'
  | 'usagePct'
  | 'projectedTokens'
  | 'projectedPct'
  | 'risk'
  | 'trend'
  | 'throttle'
  | 'provenance'
> {
  fiveHour: WindowView;
  sevenDay: WindowView;
}

function windowView(w: QuotaWindow): WindowView {
  return {
    tokens: w.tokens,
    costUsd: w.costUsd,
    burnTokensPerMin: w.burnTokensPerMin,
    burnUsdPerHour: w.burnUsdPerHour,
    projectedTokens: w.projectedTokens,
    pct: w.pct,
    resetsAt: w.resetsAt,
    provenance: w.provenance,
    undatedRecords: w.undatedRecords,
  };
}

export function toQuotaView(f: ForecastResult | null): QuotaView | null {
  if (f === null) return null;
  return {
    monthToDateTokens: f.monthToDateTokens,
    limitTokens: f.limitTokens,
    usagePct: f.usagePct,
    projectedTokens: f.projectedTokens,
    projectedPct: f.projectedPct,
    risk: f.risk,
    trend: f.trend,
    throttle: f.throttle,
    provenance: f.provenance,
    fiveHour: windowView(f.fiveHour),
    sevenDay: windowView(f.sevenDay),
  };
}

export interface DailyPoint {
  date: string;
  tokens: number;
  costUsd: number;
}

/** The daily report's rows (ccusage's daily JSON) → points by date; other report kinds give none. */
export function toDailySeries(r: UsageReportResult | null): DailyPoint[] {
  if (r === null || !('daily' in r)) return [];
  return r.daily
    .map((row) => ({ date: row.date, tokens: row.totalTokens, costUsd: row.totalCost }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
