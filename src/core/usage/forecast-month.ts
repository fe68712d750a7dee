/**
 * The monthly half of a quota forecast (all UTC).
 *
 * - daily average = Σ w_k·tokens(today−k) / Σ w_k over the 7 full days before today, linear weights
 *   w = 7,6,5,4,3,2,1 for k = 1..7 (yesterday heaviest; Σ = 28). A day missing from `dailyTokens`
 *   counts as 0 tokens (no usage that day). Today is excluded: it is incomplete.
 * - projection = month-to-date + average × remaining full days after today
 *   + rest of today, where rest of today = max(0, average − today so far) (today is assumed to end at
 *   least at the average, so a quiet morning does not hide the rest of the day).
 * - usagePct / projectedPct of the limit, rounded to 0.01; risk on the rounded projectedPct:
 *   low < 70 ≤ medium < 85 ≤ high < 95 ≤ critical.
 * - trend: mean of the last 3 full days vs the mean of the 4 before them: > ×1.1 rising,
 *   < ×0.9 falling, else flat (previous 0: rising if last > 0, else flat).
 */
import { addDaysToKey, daysInMonth, utcDateKey } from '../time.js';
import { round2, type ForecastInput, type Risk, type Trend } from './forecast-types.js';

/** Weight of day today−k is DAILY_WEIGHTS[k−1]. */
export const DAILY_WEIGHTS: readonly number[] = [7, 6, 5, 4, 3, 2, 1];

interface DayTotals {
  tokens: number;
  cost: number;
}

/** The totals of day today−k (k = 0 is today); a day without a row counts as 0. */
type DayLookup = (k: number) => DayTotals;

/** The month's figures, with the daily average unrounded (the throttle compares against it). */
export interface MonthProjection {
  /** today's UTC date key */
  today: string;
  daysInMonth: number;
  dayOfMonth: number;
  remainingDays: number;
  monthToDateTokens: number;
  todayTokens: number;
  averageTokens: number;
  averageCostUsd: number;
  restOfTodayTokens: number;
  projectedTokens: number;
  usagePct: number;
  projectedPct: number;
  risk: Risk;
  trend: Trend;
}

export function riskOf(pct: number): Risk {
  if (pct < 70) return 'low';
  if (pct < 85) return 'medium';
  if (pct < 95) return 'high';
  return 'critical';
}

function dayLookup(dailyTokens: ForecastInput['dailyTokens'], today: string): DayLookup {
  const byDay = new Map<string, DayTotals>();
  for (const d of dailyTokens) {
    const e = byDay.get(d.date) ?? { tokens: 0, cost: 0 };
    e.tokens += Number.isFinite(d.tokens) ? d.tokens : 0;
    e.cost += Number.isFinite(d.costUsd) ? d.costUsd : 0;
    byDay.set(d.date, e);
  }
  return (k) => byDay.get(addDaysToKey(today, -k)) ?? { tokens: 0, cost: 0 };
}

/** The weighted daily average of tokens and cost over the 7 full days before today. */
function weightedAverage(day: DayLookup): DayTotals {
  const wSum = DAILY_WEIGHTS.reduce((a, w) => a + w, 0);
  const tokens = DAILY_WEIGHTS.reduce((a, w, i) => a + w * day(i + 1).tokens, 0) / wSum;
  const cost = DAILY_WEIGHTS.reduce((a, w, i) => a + w * day(i + 1).cost, 0) / wSum;
  return { tokens, cost };
}

function trendOf(day: DayLookup): Trend {
  const last3 = (day(1).tokens + day(2).tokens + day(3).tokens) / 3;
  const prev4 = (day(4).tokens + day(5).tokens + day(6).tokens + day(7).tokens) / 4;
  if (last3 > prev4 * 1.1 || (prev4 === 0 && last3 > 0)) return 'rising';
  return last3 < prev4 * 0.9 ? 'falling' : 'flat';
}

/** The month's projection against `limit` (> 0) at `nowMs` (finite). */
export function monthProjection(input: ForecastInput, nowMs: number, limit: number): MonthProjection {
  const today = utcDateKey(nowMs);
  const dim = daysInMonth(Number(today.slice(0, 4)), Number(today.slice(5, 7)));
  const dayOfMonth = Number(today.slice(8, 10));
  const remainingDays = dim - dayOfMonth;
  const day = dayLookup(input.dailyTokens, today);
  const avg = weightedAverage(day);
  const todayTokens = day(0).tokens;
  const mtd = Math.max(0, input.monthToDateTokens);
  const restOfToday = Math.max(0, avg.tokens - todayTokens);
  const projected = Math.round(mtd + avg.tokens * remainingDays + restOfToday);
  const projectedPct = round2((projected / limit) * 100);
  return {
    today,
    daysInMonth: dim,
    dayOfMonth,
    remainingDays,
    monthToDateTokens: mtd,
    todayTokens,
    averageTokens: avg.tokens,
    averageCostUsd: avg.cost,
    restOfTodayTokens: restOfToday,
    projectedTokens: projected,
    usagePct: round2((mtd / limit) * 100),
    projectedPct,
    risk: riskOf(projectedPct),
    trend: trendOf(day),
  };
}
