/**
 * Quota forecast: a monthly projection against a configured limit (forecast-month.ts, provenance
 * 'estimated': the limit is a configured guess), plus the 5-hour and 7-day windows Claude
 * subscriptions are limited by (quota-windows.ts), and whether to throttle.
 *
 * Throttle when risk is high/critical, projectedPct > 90, today so far > 2 × a non-zero daily
 * average, a 5-hour / 7-day window is at ≥ 90 % (official or calibrated), or a window's projection
 * adds more tokens than the month has left under the limit.
 */
import { invalidArgument } from '../errors.js';
import { toIso } from '../time.js';
import { monthProjection, type MonthProjection } from './forecast-month.js';
import { round4, type Forecast, type ForecastInput, type QuotaWindow } from './forecast-types.js';
import { DEFAULT_QUOTA_LIMIT } from './quota-limit.js';
import { fiveHourWindow, sevenDayWindow } from './quota-windows.js';

export type { Forecast, ForecastInput, QuotaLimitSource, QuotaWindow, Risk, Trend } from './forecast-types.js';
export { DAILY_WEIGHTS, riskOf } from './forecast-month.js';
export { DEFAULT_QUOTA_LIMIT, resolveQuotaLimit } from './quota-limit.js';
export { OFFICIAL_FRESH_MS } from './quota-windows.js';

export const WINDOW_THROTTLE_PCT = 90;

type Windows = Record<'5-hour' | '7-day', QuotaWindow>;

function monthReasons(m: MonthProjection): string[] {
  const reasons: string[] = [];
  if (m.risk === 'high' || m.risk === 'critical') {
    reasons.push(`risk ${m.risk}: projected ${m.projectedPct}% of the monthly limit`);
  }
  if (m.projectedPct > 90) reasons.push(`projected ${m.projectedPct}% of the monthly limit (> 90%)`);
  const avg = m.averageTokens;
  if (avg > 0 && m.todayTokens > 2 * avg) {
    reasons.push(`today's ${m.todayTokens} tokens exceed 2x the daily average of ${Math.round(avg)}`);
  }
  return reasons;
}

function windowReasons(windows: Windows, monthLeft: number): string[] {
  const reasons: string[] = [];
  for (const [name, w] of Object.entries(windows)) {
    if (w.pct !== null && w.pct >= WINDOW_THROTTLE_PCT) reasons.push(`${name} window at ${w.pct}% (${w.provenance})`);
  }
  // A window projecting more than the month has left must throttle: a projection and a decision never disagree.
  for (const [name, w] of Object.entries(windows)) {
    if (w.burnTokensPerMin !== null && w.projectedTokens > w.tokens && w.projectedTokens - w.tokens > monthLeft) {
      reasons.push(
        `${name} window projects ${w.projectedTokens - w.tokens} more tokens, beyond the ${monthLeft} left this month`,
      );
    }
  }
  return reasons;
}

export function forecast(input: ForecastInput): Forecast {
  const nowMs = input.now.getTime();
  if (!Number.isFinite(nowMs)) throw invalidArgument('forecast: now is not a valid date');
  const limit = input.limitTokens > 0 ? input.limitTokens : DEFAULT_QUOTA_LIMIT;
  const m = monthProjection(input, nowMs, limit);
  const fiveHour = fiveHourWindow(input, nowMs);
  const sevenDay = sevenDayWindow(input, nowMs);
  const monthLeft = Math.max(0, limit - m.monthToDateTokens);
  const reasons = [...monthReasons(m), ...windowReasons({ '5-hour': fiveHour, '7-day': sevenDay }, monthLeft)];
  return {
    generatedAt: toIso(nowMs),
    provenance: 'estimated',
    month: m.today.slice(0, 7),
    daysInMonth: m.daysInMonth,
    dayOfMonth: m.dayOfMonth,
    remainingDays: m.remainingDays,
    monthToDateTokens: m.monthToDateTokens,
    todayTokens: m.todayTokens,
    dailyAverageTokens: Math.round(m.averageTokens),
    dailyAverageCostUsd: round4(m.averageCostUsd),
    restOfTodayTokens: Math.round(m.restOfTodayTokens),
    projectedTokens: m.projectedTokens,
    limitTokens: limit,
    limitSource: input.limitSource,
    usagePct: m.usagePct,
    projectedPct: m.projectedPct,
    willExceedBy: Math.max(0, m.projectedTokens - limit),
    risk: m.risk,
    trend: m.trend,
    throttle: { recommended: reasons.length > 0, reasons },
    fiveHour,
    sevenDay,
  };
}
