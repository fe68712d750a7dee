/** The shapes of a quota forecast (forecast.ts): its input, the two limit windows and the answer. */
import type { Provenance, QuotaSignal } from '../types.js';
import type { UsageRow } from './usage-report.js';

export type Risk = 'low' | 'medium' | 'high' | 'critical';
export type Trend = 'rising' | 'falling' | 'flat';
export type QuotaLimitSource = 'OUTLOOP_QUOTA_LIMIT' | 'ANTHROPIC_QUOTA_LIMIT' | 'default';

export interface ForecastInput {
  now: Date;
  monthToDateTokens: number;
  /** last ≥ 8 days including today, UTC dates 'YYYY-MM-DD' */
  dailyTokens: { date: string; tokens: number; costUsd: number }[];
  limitTokens: number;
  limitSource: QuotaLimitSource;
  /** last 7 days of usage, for the 5-hour block and the 7-day window */
  recentRows: readonly UsageRow[];
  /** newest status-line reading */
  official: QuotaSignal | null;
}

export interface QuotaWindow {
  start: string | null;
  end: string | null;
  tokens: number;
  costUsd: number;
  burnTokensPerMin: number | null;
  burnUsdPerHour: number | null;
  projectedTokens: number;
  projectedCostUsd: number;
  pct: number | null;
  resetsAt: string | null;
  provenance: Provenance;
  /** records in the window without a time of their own: in `tokens`, never in the burn rate */
  undatedRecords: number;
}

export interface Forecast {
  generatedAt: string;
  provenance: Provenance;
  month: string;
  daysInMonth: number;
  dayOfMonth: number;
  /** full days after today */
  remainingDays: number;
  monthToDateTokens: number;
  todayTokens: number;
  dailyAverageTokens: number;
  dailyAverageCostUsd: number;
  restOfTodayTokens: number;
  projectedTokens: number;
  limitTokens: number;
  limitSource: QuotaLimitSource;
  usagePct: number;
  projectedPct: number;
  /** max(0, projected − limit) */
  willExceedBy: number;
  risk: Risk;
  trend: Trend;
  throttle: { recommended: boolean; reasons: string[] };
  fiveHour: QuotaWindow;
  sevenDay: QuotaWindow;
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
export const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
