import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageRecord, WorkflowRun } from '../../../src/core/types.js';
import { runPreflight } from '../../../src/daemon/handlers/preflight.js';
import { statusLineText, statuslineUpdate } from '../../../src/daemon/handlers/statusline.js';
import { QuotaState } from '../../../src/daemon/quota/quota-state.js';
import { Store } from '../../../src/daemon/store/store.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
let store: Store;
let seq = 0;

beforeEach(() => {
  store = Store.open(join(dirs.make('ol-quota-'), 'outloop.db'));
  seq = 0;
});

afterEach(() => {
  store.close();
  dirs.removeAll();
});

/** One API response of `tokens` input tokens on claude-sonnet-4-5 ($3 per million). */
function usage(ts: string, tokens: number): void {
  const rec: UsageRecord = {
    dedupKey: `msg_${++seq}`,
    messageId: `msg_${seq}`,
    requestId: null,
    sessionId: 'session-1',
    agentId: null,
    project: 'p',
    model: 'claude-sonnet-4-5',
    ts,
    isSidechain: false,
    speed: null,
    costUsd: (tokens * 3) / 1_000_000,
    inputTokens: tokens,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheCreation5mTokens: 0,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 0,
  };
  store.usage.upsert(rec, 'test', true);
}

const at = (iso: string) => () => new Date(iso);

describe('QuotaState forecast (hand-computed)', () => {
  it('an empty store: nothing used, risk low, every figure estimated', () => {
    const f = new QuotaState(store, {}, at('2026-03-15T12:00:00Z')).forecast();
    expect(f).toMatchObject({
      provenance: 'estimated',
      month: '2026-03',
      monthToDateTokens: 0,
      todayTokens: 0,
      dailyAverageTokens: 0,
      projectedTokens: 0,
      limitTokens: 300_000_000,
      limitSource: 'default',
      usagePct: 0,
      projectedPct: 0,
      risk: 'low',
      trend: 'flat',
      throttle: { recommended: false, reasons: [] },
      fiveHour: { start: null, tokens: 0, pct: null, provenance: 'estimated' },
      sevenDay: { tokens: 0, pct: null, provenance: 'estimated' },
    });
  });

  it('across a month boundary: the average reaches into February, month-to-date does not', () => {
    usage('2026-02-22T12:00:00Z', 1_000_000); // k = 8: outside the 7 days and the month
    usage('2026-02-23T09:00:00Z', 28_000); // k = 7, weight 1
    usage('2026-02-28T15:00:00Z', 280_000); // k = 2, weight 6
    usage('2026-03-01T12:00:00Z', 700_000); // k = 1, weight 7
    usage('2026-03-02T09:30:00Z', 50_000); // today
    usage('2026-03-02T09:50:00Z', 50_000);
    const q = new QuotaState(store, { OUTLOOP_QUOTA_LIMIT: '10000000' }, at('2026-03-02T10:00:00Z'));
    const f = q.forecast();
    // average = (7·700,000 + 6·280,000 + 1·28,000) / 28 = 6,608,000 / 28 = 236,000
    // month to date = 700,000 + 100,000 = 800,000; rest of today = 236,000 − 100,000 = 136,000
    // projected = 800,000 + 29 days × 236,000 + 136,000 = 7,780,000 → 77.8% of 10M: medium
    expect(f).toMatchObject({
      daysInMonth: 31,
      dayOfMonth: 2,
      remainingDays: 29,
      monthToDateTokens: 800_000,
      todayTokens: 100_000,
      dailyAverageTokens: 236_000,
      restOfTodayTokens: 136_000,
      projectedTokens: 7_780_000,
      limitTokens: 10_000_000,
      limitSource: 'OUTLOOP_QUOTA_LIMIT',
      usagePct: 8,
      projectedPct: 77.8,
      willExceedBy: 0,
      risk: 'medium',
      trend: 'rising', // last 3 days 326,667/day against 7,000/day before
      throttle: { recommended: false, reasons: [] },
    });
    // the block opened at 09:00 (first entry 09:30, last 09:50): 100,000 tokens in 20 min = 5,000/min,
    // $0.30 → $0.90/h; projected to 14:00 (240 min): 100,000 + 5,000 × 240 = 1,300,000, $0.30 + $3.60
    expect(f.fiveHour).toEqual({
      start: '2026-03-02T09:00:00.000Z',
      end: '2026-03-02T14:00:00.000Z',
      tokens: 100_000,
      costUsd: 0.3,
      burnTokensPerMin: 5000,
      burnUsdPerHour: 0.9,
      projectedTokens: 1_300_000,
      projectedCostUsd: 3.9,
      pct: null,
      resetsAt: '2026-03-02T14:00:00.000Z',
      provenance: 'estimated',
      undatedRecords: 0,
    });
    // rolling 7 days from Feb 23 10:00: 280,000 + 700,000 + 100,000 (Feb 23 09:00 falls before it)
    expect(f.sevenDay).toMatchObject({ tokens: 1_080_000, costUsd: 3.24, burnTokensPerMin: 107.14, pct: null });
    expect(q.today()).toEqual({ tokens: 100_000, costUsd: 0.3 });
  });

  it('on the first of the month only today is month-to-date and yesterday weighs most', () => {
    usage('2026-02-28T12:00:00Z', 2_800_000);
    usage('2026-03-01T00:10:00Z', 100_000);
    const f = new QuotaState(store, {}, at('2026-03-01T00:30:00Z')).forecast();
    // average = 7 · 2,800,000 / 28 = 700,000; projected = 100,000 + 30 × 700,000 + 600,000
    expect(f).toMatchObject({
      dayOfMonth: 1,
      remainingDays: 30,
      monthToDateTokens: 100_000,
      dailyAverageTokens: 700_000,
      projectedTokens: 21_700_000,
      projectedPct: 7.23,
    });
  });

  it('sees new and updated records on the next read, without rescanning', () => {
    const q = new QuotaState(store, {}, at('2026-03-02T10:00:00Z'));
    expect(q.today().tokens).toBe(0);
    usage('2026-03-02T09:59:00Z', 1234);
    expect(q.today().tokens).toBe(1234);
    // the same response streamed again with more tokens: the hour's roll-up changes
    store.usage.upsert(
      { ...store.usage.recordsBetween(0, Date.parse('2026-03-03T00:00:00Z'))[0]!, inputTokens: 2000, costUsd: 0.006 },
      'test',
      true,
    );
    expect(q.today().tokens).toBe(2000);
  });

  it('a fresh status-line reading is official; an old one is calibrated and estimated', () => {
    usage('2026-03-02T09:00:00Z', 100_000);
    const now = new Date('2026-03-02T10:00:00Z');
    const q = new QuotaState(store, {}, () => now);
    const payload = {
      session_id: 's',
      cost: { total_cost_usd: 3.18 },
      rate_limits: {
        five_hour: { used_percentage: 61, resets_at: Date.parse('2026-03-02T14:00:00Z') / 1000 },
        seven_day: { used_percentage: 34.5, resets_at: Date.parse('2026-03-06T00:00:00Z') / 1000 },
      },
    };
    const r = statuslineUpdate(store, q, payload, now);
    expect(r.line).toBe('today $0.30 · 5h 61% · 7d 35% · risk low');
    const f = q.forecast();
    expect(f.fiveHour).toMatchObject({ pct: 61, provenance: 'official', resetsAt: '2026-03-02T14:00:00.000Z' });
    expect(f.sevenDay).toMatchObject({ pct: 34.5, provenance: 'official', start: '2026-02-27T00:00:00.000Z' });
    // the same reading again within the minute is stored once
    statuslineUpdate(store, q, payload, now);
    expect(store.db.prepare('SELECT count(*) FROM quota_signals').pluck().get()).toBe(1);
    // 20 minutes later with 100,000 more tokens in the window: 61% × 200,000 / 100,000, capped at 100
    usage('2026-03-02T10:10:00Z', 100_000);
    const later = new QuotaState(store, {}, at('2026-03-02T10:20:00Z')).forecast();
    expect(later.fiveHour).toMatchObject({ pct: 100, provenance: 'estimated' });
  });

  it('a payload with missing or odd fields still gives a line and stores nothing', () => {
    const q = new QuotaState(store, {}, at('2026-03-02T10:00:00Z'));
    for (const payload of [{}, null, 'garbage', 42, { rate_limits: { five_hour: {} } }, { cost: 'x' }]) {
      expect(statuslineUpdate(store, q, payload, new Date('2026-03-02T10:00:00Z')).line).toBe(
        'today $0.00 · 5h idle · risk low',
      );
    }
    expect(store.db.prepare('SELECT count(*) FROM quota_signals').pluck().get()).toBe(0);
  });

  it('statusLineText: estimates are marked with ~', () => {
    usage('2026-03-02T09:00:00Z', 1_000_000);
    const f = new QuotaState(store, {}, at('2026-03-02T10:00:00Z')).forecast();
    expect(statusLineText(3, f)).toBe('today $3.00 · 5h ~$3.00 · risk low');
  });
});

let adw = 0;
function run(
  workflowType: string | null,
  wordCount: number,
  tokens: number,
  costUsd: number,
  status: WorkflowRun['status'] = 'success',
): void {
  const id = `run${++adw}`;
  store.workflows.upsert({
    adwId: id,
    issueNumber: adw,
    issueClass: null,
    workflowType,
    phases: ['plan'],
    models: ['claude-sonnet-4-5'],
    tokens: {
      inputTokens: tokens,
      outputTokens: 0,
      cacheCreationTokens: 0,
      cacheCreation5mTokens: 0,
      cacheCreation1hTokens: 0,
      cacheReadTokens: 0,
    },
    costUsd,
    costBasis: 'reported',
    durationMs: 1000,
    status,
    nlInput: 'x',
    wordCount,
    startedAt: new Date(Date.parse('2026-02-01T00:00:00Z') + adw * 60_000).toISOString(),
    endedAt: null,
    stateDir: `/tmp/${id}`,
  });
}

const BUDGET = { tokenBudget: 5_000_000, warnAtPct: 80, approvalAboveUsd: 5 };
const words = (n: number): string => `Fix ${'word '.repeat(n - 1).trim()}.`;

describe('runPreflight (hand-computed)', () => {
  const quota = (env: Record<string, string> = {}): QuotaState =>
    new QuotaState(store, env, at('2026-03-02T10:00:00Z'));

  it('estimates from similar runs: same type, ±30% words, finished', () => {
    run('adw_plan_build', 100, 1_000_000, 3.0);
    run('adw_plan_build', 120, 1_400_000, 4.2);
    run('adw_plan_build', 70, 600_000, 1.8);
    run('adw_plan_build', 131, 9_000_000, 30); // more than 130 words
    run('adw_plan_build', 69, 9_000_000, 30); // fewer than 70
    run('adw_sdlc', 100, 9_000_000, 30); // another type
    run('adw_plan_build', 100, 9_000_000, 30, 'incomplete');
    const q = quota();
    const r = runPreflight(
      { input: words(100), workflowType: 'adw_plan_build' },
      { store, forecast: () => q.forecast(), budget: BUDGET },
    );
    // mean 1,000,000 tokens and $3.00 over a mean of 96.67 words → × 100/96.67 = 1,034,483 tokens, $3.10
    // CV of (1.0, 1.4, 0.6)M = 0.327 with 3 runs: medium confidence
    expect(r.estimate).toMatchObject({
      tokens: 1_034_483,
      costUsd: 3.1,
      basis: 'history',
      sampleSize: 3,
      confidence: 'medium',
    });
    expect(r.budget).toMatchObject({
      withinBudget: true,
      pctOfBudget: 20.69,
      warn: false,
      needsApproval: false,
      tokenBudget: 5_000_000,
    });
    expect(r.analysis).toMatchObject({ words: 100, concernCount: 1, splitRecommended: false });
    expect(r.quota).toMatchObject({ risk: 'low', provenance: 'estimated' });
    expect(r).toMatchObject({ decision: 'start', reasons: [] });
  });

  it('needs approval above $5, warns at 80% of the budget, rejects above 2x', () => {
    run('adw_sdlc', 200, 4_000_000, 6.0);
    run('adw_sdlc', 400, 12_000_000, 36);
    const q = quota();
    const deps = { store, forecast: () => q.forecast(), budget: BUDGET };
    const approval = runPreflight({ input: words(200), workflowType: 'adw_sdlc' }, deps);
    expect(approval.decision).toBe('needs_approval');
    expect(approval.reasons).toEqual([
      'estimate is 80% of the 5000000-token budget (warn at 80%)',
      'estimated cost $6.00 is above the $5.00 approval threshold',
    ]);
    const reject = runPreflight({ input: words(400), workflowType: 'adw_sdlc' }, deps);
    expect(reject.decision).toBe('reject');
    expect(reject.reasons[0]).toBe('estimate is 240% of the token budget (more than 2x): too large for one workflow');
  });

  it('states the default when no similar run exists, with low confidence', () => {
    const q = quota();
    const r = runPreflight(
      { input: 'Add a unit test for coupon stacking.' },
      { store, forecast: () => q.forecast(), budget: BUDGET },
    );
    expect(r.estimate).toMatchObject({
      tokens: 1_500_000,
      costUsd: 4.5,
      basis: 'default',
      sampleSize: 0,
      confidence: 'low',
      defaultUsed: true,
    });
    expect(r).toMatchObject({
      decision: 'start',
      reasons: ['estimate 1500000 tokens ($4.50) is a default: no workflow runs are stored yet'],
    });
  });

  it('says why none of the stored runs was similar', () => {
    for (let i = 0; i < 20; i++) run('adw_sdlc', 100, 1_000_000, 3);
    for (let i = 0; i < 3; i++) run('adw_plan_build', 400, 1_000_000, 3);
    run('adw_plan_build', 100, 0, 0);
    run('adw_plan_build', 100, 1_000_000, 3, 'incomplete');
    const q = quota();
    const r = runPreflight(
      { input: words(100), workflowType: 'adw_plan_build' },
      { store, forecast: () => q.forecast(), budget: BUDGET },
    );
    expect(r.estimate).toMatchObject({ basis: 'default', sampleSize: 0 });
    expect(r.reasons).toContain(
      'estimate 1500000 tokens ($4.50) is a default: none of the 25 stored runs is similar: 20 of another workflow type than adw_plan_build, 3 outside 70-130 words (this input has 100), 1 incomplete, 1 without recorded tokens',
    );
  });

  it('splits three asks and rejects empty input', () => {
    const q = quota();
    const deps = { store, forecast: () => q.forecast(), budget: BUDGET };
    const r = runPreflight({ input: '- add a login page\n- fix the cart total\n- update the docs' }, deps);
    expect(r.decision).toBe('split');
    expect(r.analysis).toMatchObject({
      concernCount: 3,
      proposedParts: ['add a login page', 'fix the cart total', 'update the docs'],
    });
    expect(runPreflight({ input: '   ' }, deps)).toMatchObject({
      decision: 'reject',
      reasons: ['empty input: nothing to do'],
    });
  });

  it('throttles low-priority work first, and never when the forecast fails', () => {
    usage('2026-03-01T12:00:00Z', 280_000); // average 7 · 280,000 / 28 = 70,000/day
    // projected 280,000 + 29 × 70,000 + 70,000 (rest of today) = 2,380,000 of 3,000,000 = 79.33%: medium
    const q = quota({ OUTLOOP_QUOTA_LIMIT: '3000000' });
    const deps = { store, forecast: () => q.forecast(), budget: BUDGET };
    const input = 'Add a unit test for coupon stacking.';
    expect(runPreflight({ input, priority: 'normal' }, deps).decision).toBe('start');
    const low = runPreflight({ input, priority: 'low' }, deps);
    expect(low.decision).toBe('throttle');
    expect(low.reasons[0]).toBe('quota risk medium (projected 79.33%): low-priority work waits');
    const failing = runPreflight(
      { input, priority: 'low' },
      {
        ...deps,
        forecast: () => {
          throw new Error('disk I/O error');
        },
      },
    );
    expect(failing).toMatchObject({ decision: 'start', quota: { error: 'disk I/O error' } });
    expect(failing.reasons[0]).toBe('forecast unavailable (disk I/O error); not throttling');
  });
});
