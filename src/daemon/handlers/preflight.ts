/**
 * `preflight`: start, throttle, split, needs_approval or reject, before a workflow spends tokens.
 *
 * - analysis: core/route/input-analysis (words, concerns, split and its proposed parts);
 * - estimate: similar past workflow runs (same `workflowType`, ±30% words, newest 20; without a
 *   `workflowType`, runs of any type), else the stated default with low confidence;
 * - budget: the config's token budget (default 5M), warn share (80%) and approval threshold ($5);
 * - quota: the in-memory forecast; if it fails the answer says so (`quota.error` and a reason) and
 *   nothing is throttled;
 * - the decision and its reasons: core/route/preflight (low-priority work is throttled first).
 */
import {
  budgetCheck,
  describeNoSimilar,
  estimateFromHistory,
  MAX_SIMILAR_RUNS,
  similarWordRange,
  type Budget,
} from '../../core/route/budgets.js';
import { getErrorMessage } from '../../core/errors.js';
import type { Forecast, QuotaWindow } from '../../core/usage/forecast.js';
import { analyzeInput } from '../../core/route/input-analysis.js';
import { preflightDecision } from '../../core/route/preflight.js';
import {
  METHODS,
  type PreflightParams,
  type PreflightQuota,
  type PreflightResult,
  type QuotaWindowSummary,
} from '../../rpc/protocol.js';
import type { DaemonConfig } from '../config.js';
import type { DaemonDeps } from '../deps.js';
import type { QuotaState } from '../quota/quota-state.js';
import type { HandlerMap } from '../server.js';
import type { Store } from '../store/store.js';

export interface PreflightDeps {
  store: Store;
  forecast: () => Forecast;
  budget: Budget;
}

function windowSummary(w: QuotaWindow): QuotaWindowSummary {
  return { pct: w.pct, tokens: w.tokens, costUsd: w.costUsd, resetsAt: w.resetsAt, provenance: w.provenance };
}

export function quotaSummary(f: Forecast): PreflightQuota {
  return {
    provenance: f.provenance,
    risk: f.risk,
    trend: f.trend,
    monthToDateTokens: f.monthToDateTokens,
    todayTokens: f.todayTokens,
    dailyAverageTokens: f.dailyAverageTokens,
    projectedTokens: f.projectedTokens,
    limitTokens: f.limitTokens,
    limitSource: f.limitSource,
    usagePct: f.usagePct,
    projectedPct: f.projectedPct,
    throttle: f.throttle,
    fiveHour: windowSummary(f.fiveHour),
    sevenDay: windowSummary(f.sevenDay),
  };
}

export function runPreflight(p: PreflightParams, d: PreflightDeps): PreflightResult {
  const analysis = analyzeInput(p.input);
  const words = analysis.words;
  const type = p.workflowType?.trim() || null;
  const { lo, hi } = similarWordRange(words);
  const runs = words === 0 ? [] : d.store.workflows.similar(type, lo, hi, MAX_SIMILAR_RUNS);
  const estimate = estimateFromHistory({
    workflowType: type,
    words,
    runs: type === null ? runs.map((r) => ({ ...r, workflowType: null })) : runs,
  });
  if (estimate.basis === 'default') {
    estimate.noSimilarReason = describeNoSimilar(d.store.workflows.similarityCensus(type, lo, hi), words, type);
  }
  const budget = budgetCheck(estimate, d.budget);
  let forecast: Forecast | null = null;
  let forecastError: string | null = null;
  try {
    forecast = d.forecast();
  } catch (e) {
    forecastError = getErrorMessage(e) || 'unknown error';
  }
  const result = preflightDecision({
    analysis,
    estimate,
    budget,
    forecast,
    forecastError,
    priority: p.priority ?? 'normal',
  });
  return {
    decision: result.decision,
    reasons: result.reasons,
    analysis: { ...analysis },
    estimate: { ...estimate, workflowType: type, defaultUsed: estimate.basis === 'default' },
    quota: forecast ? quotaSummary(forecast) : { error: forecastError ?? 'no forecast' },
    budget: { ...budget, ...d.budget },
  };
}

export function preflightHandlers(
  daemonDeps: DaemonDeps,
  quota: QuotaState,
  config: Pick<DaemonConfig, 'tokenBudget' | 'budgetWarnPct' | 'approvalAboveUsd'>,
): HandlerMap {
  const deps: PreflightDeps = {
    store: daemonDeps.store,
    forecast: () => quota.forecast(),
    budget: {
      tokenBudget: config.tokenBudget,
      warnAtPct: config.budgetWarnPct,
      approvalAboveUsd: config.approvalAboveUsd,
    },
  };
  return { [METHODS.preflight]: (p) => runPreflight(p, deps) };
}
