import { describe, expect, it } from 'vitest';
import { budgetCheck, type HistoryEstimate } from '../../../src/core/route/budgets.js';
import type { Forecast, QuotaWindow, Risk } from '../../../src/core/usage/forecast.js';
import { analyzeInput } from '../../../src/core/route/input-analysis.js';
import { preflightDecision, type PreflightInput, type Priority } from '../../../src/core/route/preflight.js';

const WINDOW: QuotaWindow = {
  start: null,
  end: null,
  tokens: 0,
  costUsd: 0,
  burnTokensPerMin: null,
  burnUsdPerHour: null,
  projectedTokens: 0,
  projectedCostUsd: 0,
  pct: null,
  resetsAt: null,
  provenance: 'estimated',
  undatedRecords: 0,
};

function fc(risk: Risk, projectedPct: number, reasons: string[] = [], fiveHourPct: number | null = null): Forecast {
  return {
    generatedAt: '2025-06-20T08:00:00.000Z',
    provenance: 'estimated',
    month: '2025-06',
    daysInMonth: 30,
    dayOfMonth: 20,
    remainingDays: 10,
    monthToDateTokens: 0,
    todayTokens: 0,
    dailyAverageTokens: 0,
    dailyAverageCostUsd: 0,
    restOfTodayTokens: 0,
    projectedTokens: 0,
    limitTokens: 300_000_000,
    limitSource: 'default',
    usagePct: 0,
    projectedPct,
    willExceedBy: 0,
    risk,
    trend: 'flat',
    throttle: { recommended: reasons.length > 0, reasons },
    fiveHour: { ...WINDOW, pct: fiveHourPct, provenance: fiveHourPct === null ? 'estimated' : 'official' },
    sevenDay: WINDOW,
  };
}

const HISTORY: HistoryEstimate = {
  tokens: 1_000_000,
  costUsd: 3,
  basis: 'history',
  sampleSize: 5,
  confidence: 'medium',
};
const LOW = fc('low', 40);
const MEDIUM = fc('medium', 75);
const HIGH = fc('high', 88, ['risk high: projected 88% of the monthly limit']);
const CRITICAL = fc('critical', 97, [
  'risk critical: projected 97% of the monthly limit',
  'projected 97% of the monthly limit (> 90%)',
]);

function pf(over: Partial<PreflightInput> & { text?: string }): ReturnType<typeof preflightDecision> {
  const { text = 'Fix the login bug.', ...rest } = over;
  const estimate = rest.estimate ?? HISTORY;
  return preflightDecision({
    analysis: analyzeInput(text),
    estimate,
    budget: budgetCheck(estimate),
    forecast: LOW,
    forecastError: null,
    priority: 'normal',
    ...rest,
  });
}

describe('preflightDecision', () => {
  it('starts a small, cheap request with a healthy forecast', () => {
    expect(pf({})).toEqual({ decision: 'start', reasons: [] });
  });

  it.each(['', '   \n '])('rejects empty input %j', (text) => {
    expect(pf({ text })).toEqual({ decision: 'reject', reasons: ['empty input: nothing to do'] });
  });

  it('rejects an estimate over 2x the budget, before anything else', () => {
    const estimate = { ...HISTORY, tokens: 10_500_000, costUsd: 30 };
    const r = pf({ estimate, text: '- add a\n- add b\n- add c', forecast: CRITICAL });
    expect(r.decision).toBe('reject');
    expect(r.reasons[0]).toBe('estimate is 210% of the token budget (more than 2x): too large for one workflow');
    expect(r.reasons[1]).toBe('split recommended: 3 separate asks (more than 2)');
  });

  it('needs approval (not reject) at exactly 2x and for anything over budget', () => {
    const r = pf({ estimate: { ...HISTORY, tokens: 10_000_000, costUsd: 1 } });
    expect(r).toEqual({
      decision: 'needs_approval',
      reasons: ['estimate of 10000000 tokens exceeds the 5000000-token budget (200%)'],
    });
  });

  it('splits when the analysis recommends it, listing later findings as notes', () => {
    const estimate = { ...HISTORY, costUsd: 9 };
    const r = pf({ text: '- add a\n- add b\n- add c', estimate, forecast: HIGH });
    expect(r).toEqual({
      decision: 'split',
      reasons: [
        'split recommended: 3 separate asks (more than 2)',
        'quota: risk high: projected 88% of the monthly limit',
        'estimated cost $9.00 is above the $5.00 approval threshold',
      ],
    });
  });

  it.each<[Priority, Forecast, 'start' | 'throttle']>([
    ['low', LOW, 'start'],
    ['low', MEDIUM, 'throttle'],
    ['low', HIGH, 'throttle'],
    ['normal', MEDIUM, 'start'],
    ['normal', HIGH, 'throttle'],
    ['normal', CRITICAL, 'throttle'],
    ['high', HIGH, 'start'],
    ['high', CRITICAL, 'throttle'],
    ['high', fc('low', 10, ['5-hour window at 96% (official)'], 96), 'throttle'],
    ['high', fc('low', 10, ['5-hour window at 94% (official)'], 94), 'start'],
  ])('priority %s with risk %s → %s', (priority, forecast, decision) => {
    expect(pf({ priority, forecast }).decision).toBe(decision);
  });

  it('explains throttling by priority', () => {
    expect(pf({ priority: 'low', forecast: MEDIUM }).reasons).toEqual([
      'quota risk medium (projected 75%): low-priority work waits',
    ]);
    expect(pf({ priority: 'high', forecast: HIGH }).reasons).toEqual([
      'forecast recommends throttling but priority is high; proceeding (risk high)',
    ]);
    expect(pf({ priority: 'high', forecast: CRITICAL }).reasons).toEqual([
      'quota critical: even high-priority work waits',
      'quota: risk critical: projected 97% of the monthly limit',
      'quota: projected 97% of the monthly limit (> 90%)',
    ]);
  });

  it.each([
    [
      { forecast: null, forecastError: 'database is locked' },
      'forecast unavailable (database is locked); not throttling',
    ],
    [{ forecast: CRITICAL, forecastError: 'stale data' }, 'forecast unavailable (stale data); not throttling'],
    [{ forecast: null, forecastError: null }, 'no forecast available; not throttling'],
  ])('never throttles without a forecast: %j', (over, reason) => {
    expect(pf({ ...over, priority: 'low' })).toEqual({ decision: 'start', reasons: [reason] });
  });

  it('throttle comes before approval', () => {
    const r = pf({ estimate: { ...HISTORY, costUsd: 6 }, forecast: HIGH });
    expect(r).toEqual({
      decision: 'throttle',
      reasons: [
        'quota: risk high: projected 88% of the monthly limit',
        'estimated cost $6.00 is above the $5.00 approval threshold',
      ],
    });
  });

  it('needs approval above $5 and keeps budget warnings and default estimates as notes', () => {
    const estimate: HistoryEstimate = {
      tokens: 4_500_000,
      costUsd: 5.5,
      basis: 'default',
      sampleSize: 0,
      confidence: 'low',
    };
    expect(pf({ estimate })).toEqual({
      decision: 'needs_approval',
      reasons: [
        'estimate is 90% of the 5000000-token budget (warn at 80%)',
        'estimated cost $5.50 is above the $5.00 approval threshold',
        'estimate 4500000 tokens ($5.50) is a default: no similar past runs',
      ],
    });
    const warnOnly = { ...estimate, costUsd: 1, basis: 'history' as const };
    expect(pf({ estimate: warnOnly })).toEqual({
      decision: 'start',
      reasons: ['estimate is 90% of the 5000000-token budget (warn at 80%)'],
    });
  });
});
