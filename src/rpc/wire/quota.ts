/** Wire types of the token budget and quota answers: pre-flight, forecast and the usage reports. */
import type { Budget, BudgetCheck, HistoryEstimate } from '../../core/route/budgets.js';
import type { InputAnalysis } from '../../core/route/input-analysis.js';
import type { PreflightResult as PreflightVerdict } from '../../core/route/preflight.js';
import type { BlocksReport } from '../../core/usage/blocks.js';
import type { Forecast, QuotaWindow } from '../../core/usage/forecast.js';
import type { DailyReport, MonthlyReport, SessionReport } from '../../core/usage/usage-report.js';

// ---------- preflight / forecast ----------
/** The estimate from similar past runs, with the workflow type it was asked for (null: any). */
export interface PreflightEstimate extends HistoryEstimate {
  workflowType: string | null;
  /** true when no similar run was found and the stated default was used */
  defaultUsed: boolean;
}

/** The budget check with the budget it was made against. */
export type PreflightBudget = BudgetCheck & Budget;

/** What a pre-flight answer shows of a quota window. */
export type QuotaWindowSummary = Pick<QuotaWindow, 'pct' | 'tokens' | 'costUsd' | 'resetsAt' | 'provenance'>;

/** What a pre-flight answer shows of the quota forecast. */
export interface PreflightQuota extends Pick<
  Forecast,
  | 'provenance'
  | 'risk'
  | 'trend'
  | 'monthToDateTokens'
  | 'todayTokens'
  | 'dailyAverageTokens'
  | 'projectedTokens'
  | 'limitTokens'
  | 'limitSource'
  | 'usagePct'
  | 'projectedPct'
  | 'throttle'
> {
  fiveHour: QuotaWindowSummary;
  sevenDay: QuotaWindowSummary;
}

/** The forecast failed: why (nothing is throttled then). */
export interface QuotaUnavailable {
  error: string;
}

/** The decision and its reasons (core/route/preflight.ts), with what it was made from. */
export interface PreflightResult extends PreflightVerdict {
  analysis: InputAnalysis;
  estimate: PreflightEstimate;
  quota: PreflightQuota | QuotaUnavailable;
  budget: PreflightBudget;
}

/** The forecast shape is owned by core/usage/forecast-types.ts; every field is plain JSON. */
export type ForecastResult = Forecast;

// ---------- usage report ----------
/** The answer per report kind: ccusage's daily, monthly and session JSON, and its 5-hour blocks. */
export interface UsageReportByKind {
  daily: DailyReport;
  monthly: MonthlyReport;
  session: SessionReport;
  blocks: BlocksReport;
}
