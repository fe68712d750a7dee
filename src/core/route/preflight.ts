/**
 * One pre-flight answer before a workflow spends tokens: start | throttle | split | needs_approval |
 * reject, with reasons.
 *
 * Precedence (the first that applies decides; `reasons` lists every finding in this order, so the
 * first reasons explain the decision and later ones are notes):
 * 1. reject: empty input (0 words); or the estimate is more than 2× the token budget
 *    (pctOfBudget > 200): too large to run as one workflow even with approval.
 * 2. split: the input analysis recommends splitting (it says which parts).
 * 3. throttle, by priority:
 *    - high: only when the forecast is critical (monthly risk critical, or a 5-hour / 7-day window
 *      at ≥ 95 %);
 *    - normal: when the forecast recommends throttling;
 *    - low: when the forecast recommends throttling or monthly risk is medium or worse.
 *    No forecast or a forecast error never throttles; the reasons say so.
 * 4. needs_approval: the budget check needs approval (cost above the threshold) or the estimate is
 *    over budget (up to 2×).
 * 5. start.
 */
import type { BudgetCheck, HistoryEstimate } from './budgets.js';
import type { Forecast } from '../usage/forecast.js';
import type { InputAnalysis } from './input-analysis.js';

export type PreflightDecision = 'start' | 'throttle' | 'split' | 'needs_approval' | 'reject';
export type Priority = 'low' | 'normal' | 'high';

export interface PreflightInput {
  analysis: InputAnalysis;
  estimate: HistoryEstimate;
  budget: BudgetCheck;
  forecast: Forecast | null;
  forecastError: string | null;
  priority: Priority;
}

export interface PreflightResult {
  decision: PreflightDecision;
  reasons: string[];
}

export const REJECT_ABOVE_BUDGET_PCT = 200;
export const CRITICAL_WINDOW_PCT = 95;

function isCritical(f: Forecast): boolean {
  return (
    f.risk === 'critical' ||
    (f.fiveHour.pct ?? 0) >= CRITICAL_WINDOW_PCT ||
    (f.sevenDay.pct ?? 0) >= CRITICAL_WINDOW_PCT
  );
}

/** Whether to throttle, and the reasons (including why not, when the forecast is missing). */
function throttleCheck(input: PreflightInput): { throttle: boolean; reasons: string[] } {
  const f = input.forecast;
  if (input.forecastError !== null) {
    return { throttle: false, reasons: [`forecast unavailable (${input.forecastError}); not throttling`] };
  }
  if (f === null) return { throttle: false, reasons: ['no forecast available; not throttling'] };
  const recommended = f.throttle.reasons.map((r) => `quota: ${r}`);
  switch (input.priority) {
    case 'high':
      if (isCritical(f)) {
        return { throttle: true, reasons: ['quota critical: even high-priority work waits', ...recommended] };
      }
      return {
        throttle: false,
        reasons: f.throttle.recommended
          ? [`forecast recommends throttling but priority is high; proceeding (risk ${f.risk})`]
          : [],
      };
    case 'normal':
      return { throttle: f.throttle.recommended, reasons: recommended };
    case 'low':
      if (f.throttle.recommended) return { throttle: true, reasons: recommended };
      if (f.risk !== 'low') {
        return {
          throttle: true,
          reasons: [`quota risk ${f.risk} (projected ${f.projectedPct}%): low-priority work waits`],
        };
      }
      return { throttle: false, reasons: [] };
  }
}

export function preflightDecision(input: PreflightInput): PreflightResult {
  const { analysis, estimate, budget } = input;
  if (analysis.words === 0) return { decision: 'reject', reasons: ['empty input: nothing to do'] };

  const found: { decision: PreflightDecision; reason: string }[] = [];
  const note = (decision: PreflightDecision, reason: string): void => {
    found.push({ decision, reason });
  };

  if (budget.pctOfBudget > REJECT_ABOVE_BUDGET_PCT) {
    note('reject', `estimate is ${budget.pctOfBudget}% of the token budget (more than 2x): too large for one workflow`);
  }
  if (analysis.splitRecommended) {
    note('split', `split recommended: ${analysis.splitReason ?? 'input too large'}`);
  }
  const t = throttleCheck(input);
  for (const r of t.reasons) note(t.throttle ? 'throttle' : 'start', r);
  if (budget.needsApproval || !budget.withinBudget) {
    const rs = budget.reasons.length > 0 ? budget.reasons : ['the budget check requires approval'];
    for (const r of rs) note('needs_approval', r);
  } else {
    for (const r of budget.reasons) note('start', r);
  }
  if (estimate.basis === 'default') {
    note(
      'start',
      `estimate ${estimate.tokens} tokens ($${estimate.costUsd.toFixed(2)}) is a default: ${estimate.noSimilarReason ?? 'no similar past runs'}`,
    );
  }

  const order: PreflightDecision[] = ['reject', 'split', 'throttle', 'needs_approval'];
  let decision: PreflightDecision = 'start';
  for (const d of order) {
    if (found.some((f) => f.decision === d)) {
      decision = d;
      break;
    }
  }
  const rank = (d: PreflightDecision): number => {
    const i = order.indexOf(d);
    return i < 0 ? order.length : i;
  };
  const reasons = found
    .map((f, i) => ({ ...f, i }))
    .sort((a, b) => rank(a.decision) - rank(b.decision) || a.i - b.i)
    .map((f) => f.reason);
  return { decision, reasons };
}
