/**
 * Quota forecast: a monthly projection against a configured limit, plus the 5-hour and 7-day
 * windows Claude subscriptions are limited by.
 *
 * Month (all UTC, provenance 'estimated': the limit is a configured guess):
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
 * - throttle when risk is high/critical, projectedPct > 90, today so far > 2 × a non-zero daily
 *   average, a 5-hour / 7-day window is at ≥ 90 % (official or calibrated), or a window's projection
 *   adds more tokens than the month has left under the limit.
 * - rates (burn, projections) come only from records with a time of their own, over a span of at
 *   least MIN_RATE_SPAN_MS (blocks.ts); each window counts the undated records it holds.
 *
 * Windows:
 * - 5-hour: start, end, tokens, cost, burn and projection are ccusage's active block (blocks.ts); no
 *   active block → nulls and zeros. Estimated `resetsAt` = the block end; estimated pct is null.
 * - 7-day: the official window [resetsAt − 7 d, resetsAt] when a reading names a future reset, else
 *   the rolling last 7 days ending now. Burn = tokens / minutes since the window start; projection =
 *   tokens + burn × minutes to the window end (rolling: = tokens).
 * - Official readings (QuotaSignal): ignored once their window has reset (resetsAt ≤ now). A reading
 *   at most 15 minutes old (OFFICIAL_FRESH_MS) overrides pct and resetsAt, provenance 'official'.
 *   An older reading whose window is still open is calibrated: pct × tokens(window start → now) /
 *   tokens(window start → reading), capped at 100, provenance 'estimated'.
 */
import type { Provenance, QuotaSignal } from '../types.js';
import { invalidArgument } from '../errors.js';
import { activeBlock, sessionBlocks } from './blocks.js';
import type { UsageRow } from './usage-report.js';
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  addDaysToKey,
  daysInMonth,
  parseTimestamp,
  toIso,
  utcDateKey,
} from '../time.js';

export type Risk = 'low' | 'medium' | 'high' | 'critical';
export type Trend = 'rising' | 'falling' | 'flat';
export type QuotaLimitSource = 'OUTLOOP_QUOTA_LIMIT' | 'ANTHROPIC_QUOTA_LIMIT' | 'default';

export const DEFAULT_QUOTA_LIMIT = 300_000_000;
export const OFFICIAL_FRESH_MS = 15 * MS_PER_MINUTE;
/** Weight of day today−k is DAILY_WEIGHTS[k−1]. */
export const DAILY_WEIGHTS: readonly number[] = [7, 6, 5, 4, 3, 2, 1];
export const WINDOW_THROTTLE_PCT = 90;

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

const EMPTY_WINDOW: Readonly<QuotaWindow> = {
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

const round2 = (x: number): number => Math.round(x * 100) / 100;
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

export function riskOf(pct: number): Risk {
  if (pct < 70) return 'low';
  if (pct < 85) return 'medium';
  if (pct < 95) return 'high';
  return 'critical';
}

function parsePositiveInt(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const s = raw.trim();
  if (!/^\d+$/.test(s)) return null;
  const v = Number(s);
  return Number.isSafeInteger(v) && v > 0 ? v : null;
}

/** OUTLOOP_QUOTA_LIMIT, else ANTHROPIC_QUOTA_LIMIT, else 300M; only positive integers count. */
export function resolveQuotaLimit(env: Record<string, string | undefined>): {
  limit: number;
  source: QuotaLimitSource;
} {
  const own = parsePositiveInt(env['OUTLOOP_QUOTA_LIMIT']);
  if (own !== null) return { limit: own, source: 'OUTLOOP_QUOTA_LIMIT' };
  const anthropic = parsePositiveInt(env['ANTHROPIC_QUOTA_LIMIT']);
  if (anthropic !== null) return { limit: anthropic, source: 'ANTHROPIC_QUOTA_LIMIT' };
  return { limit: DEFAULT_QUOTA_LIMIT, source: 'default' };
}

function rowTokens(r: UsageRow): number {
  const t = r.inputTokens + r.outputTokens + r.cacheCreationTokens + r.cacheReadTokens;
  return Number.isFinite(t) ? t : 0;
}

const finite = (x: number | undefined): number => (x !== undefined && Number.isFinite(x) ? x : 0);

/** Totals of the rows in [fromMs, toMs], and the part of them that has a time of its own (for rates). */
function sumRows(
  rows: readonly UsageRow[],
  fromMs: number,
  toMs: number,
): { tokens: number; cost: number; datedTokens: number; datedCost: number; undated: number } {
  let tokens = 0;
  let cost = 0;
  let datedTokens = 0;
  let datedCost = 0;
  let undated = 0;
  for (const r of rows) {
    const ms = parseTimestamp(r.ts);
    if (ms === null || ms < fromMs || ms > toMs) continue;
    const t = rowTokens(r);
    const c = finite(r.costUsd);
    tokens += t;
    cost += c;
    if (r.undated === true) {
      undated += r.undatedRecords ?? 1;
      continue;
    }
    undated += r.undatedRecords ?? 0;
    datedTokens += Math.max(0, t - finite(r.undatedTokens));
    datedCost += Math.max(0, c - finite(r.undatedCostUsd));
  }
  return { tokens, cost, datedTokens, datedCost, undated };
}

interface OfficialReading {
  pct: number;
  resetsMs: number | null;
  readingMs: number;
}

function officialFor(sig: QuotaSignal | null, which: 'fiveHour' | 'sevenDay', nowMs: number): OfficialReading | null {
  if (sig === null) return null;
  const pct = which === 'fiveHour' ? sig.fiveHourPct : sig.sevenDayPct;
  const resets = which === 'fiveHour' ? sig.fiveHourResetsAt : sig.sevenDayResetsAt;
  const readingMs = parseTimestamp(sig.ts);
  if (pct === null || !Number.isFinite(pct) || readingMs === null) return null;
  const resetsMs = resets === null ? null : parseTimestamp(resets);
  if (resetsMs !== null && resetsMs <= nowMs) return null; // that window has reset
  return { pct, resetsMs, readingMs };
}

/** Overlays an official reading on an estimated window (see the module comment). */
function overlay(
  w: QuotaWindow,
  o: OfficialReading | null,
  rows: readonly UsageRow[],
  lengthMs: number,
  nowMs: number,
): QuotaWindow {
  if (o === null) return w;
  if (nowMs - o.readingMs <= OFFICIAL_FRESH_MS) {
    const resetsAt = o.resetsMs === null ? w.resetsAt : toIso(o.resetsMs);
    return { ...w, pct: round2(o.pct), resetsAt, provenance: 'official' };
  }
  if (o.resetsMs === null) return w;
  const startMs = o.resetsMs - lengthMs;
  const atReading = sumRows(rows, startMs, o.readingMs).tokens;
  const nowTokens = sumRows(rows, startMs, nowMs).tokens;
  const pct = atReading > 0 ? Math.min(100, (o.pct * nowTokens) / atReading) : o.pct;
  return { ...w, pct: round2(pct), resetsAt: toIso(o.resetsMs), provenance: 'estimated' };
}

function fiveHourWindow(input: ForecastInput, nowMs: number): QuotaWindow {
  const block = activeBlock(sessionBlocks(input.recentRows, input.now));
  const w: QuotaWindow =
    block === null
      ? { ...EMPTY_WINDOW }
      : {
          start: block.startTime,
          end: block.endTime,
          tokens: block.totalTokens,
          costUsd: round4(block.costUSD),
          burnTokensPerMin: block.burnRate === null ? null : round2(block.burnRate.tokensPerMinute),
          burnUsdPerHour: block.burnRate === null ? null : round4(block.burnRate.costPerHour),
          projectedTokens: block.projection?.totalTokens ?? block.totalTokens,
          projectedCostUsd: block.projection?.totalCost ?? round2(block.costUSD),
          pct: null,
          resetsAt: block.endTime,
          provenance: 'estimated',
          undatedRecords: block.undatedEntries,
        };
  const o = officialFor(input.official, 'fiveHour', nowMs);
  return overlay(w, o, input.recentRows, 5 * MS_PER_HOUR, nowMs);
}

function sevenDayWindow(input: ForecastInput, nowMs: number): QuotaWindow {
  const lengthMs = 7 * MS_PER_DAY;
  const o = officialFor(input.official, 'sevenDay', nowMs);
  const endMs = o?.resetsMs ?? nowMs;
  const startMs = endMs - lengthMs;
  const { tokens, cost, datedTokens, datedCost, undated } = sumRows(input.recentRows, startMs, nowMs);
  const elapsedMin = (nowMs - startMs) / MS_PER_MINUTE;
  const remainingMin = (endMs - nowMs) / MS_PER_MINUTE;
  // only undated records in the window: nothing to take a rate from
  const rated = elapsedMin > 0 && (datedTokens > 0 || undated === 0);
  const tpm = rated ? datedTokens / elapsedMin : null;
  const usdPerMin = rated ? datedCost / elapsedMin : null;
  const w: QuotaWindow = {
    start: toIso(startMs),
    end: toIso(endMs),
    tokens,
    costUsd: round4(cost),
    burnTokensPerMin: tpm === null ? null : round2(tpm),
    burnUsdPerHour: usdPerMin === null ? null : round4(usdPerMin * 60),
    projectedTokens: Math.round(tokens + (tpm ?? 0) * remainingMin),
    projectedCostUsd: round2(cost + (usdPerMin ?? 0) * remainingMin),
    pct: null,
    resetsAt: o !== null && o.resetsMs !== null ? toIso(o.resetsMs) : null,
    provenance: 'estimated',
    undatedRecords: undated,
  };
  return overlay(w, o, input.recentRows, lengthMs, nowMs);
}

export function forecast(input: ForecastInput): Forecast {
  const nowMs = input.now.getTime();
  if (!Number.isFinite(nowMs)) throw invalidArgument('forecast: now is not a valid date');
  const limit = input.limitTokens > 0 ? input.limitTokens : DEFAULT_QUOTA_LIMIT;
  const today = utcDateKey(nowMs);
  const dim = daysInMonth(Number(today.slice(0, 4)), Number(today.slice(5, 7)));
  const dayOfMonth = Number(today.slice(8, 10));
  const remainingDays = dim - dayOfMonth;

  const byDay = new Map<string, { tokens: number; cost: number }>();
  for (const d of input.dailyTokens) {
    const e = byDay.get(d.date) ?? { tokens: 0, cost: 0 };
    e.tokens += Number.isFinite(d.tokens) ? d.tokens : 0;
    e.cost += Number.isFinite(d.costUsd) ? d.costUsd : 0;
    byDay.set(d.date, e);
  }
  const day = (k: number): { tokens: number; cost: number } =>
    byDay.get(addDaysToKey(today, -k)) ?? { tokens: 0, cost: 0 };

  const wSum = DAILY_WEIGHTS.reduce((a, w) => a + w, 0);
  const avg = DAILY_WEIGHTS.reduce((a, w, i) => a + w * day(i + 1).tokens, 0) / wSum;
  const avgCost = DAILY_WEIGHTS.reduce((a, w, i) => a + w * day(i + 1).cost, 0) / wSum;
  const todayTokens = day(0).tokens;
  const mtd = Math.max(0, input.monthToDateTokens);
  const restOfToday = Math.max(0, avg - todayTokens);
  const projected = Math.round(mtd + avg * remainingDays + restOfToday);
  const usagePct = round2((mtd / limit) * 100);
  const projectedPct = round2((projected / limit) * 100);
  const risk = riskOf(projectedPct);

  const last3 = (day(1).tokens + day(2).tokens + day(3).tokens) / 3;
  const prev4 = (day(4).tokens + day(5).tokens + day(6).tokens + day(7).tokens) / 4;
  const trend: Trend =
    last3 > prev4 * 1.1 || (prev4 === 0 && last3 > 0) ? 'rising' : last3 < prev4 * 0.9 ? 'falling' : 'flat';

  const fiveHour = fiveHourWindow(input, nowMs);
  const sevenDay = sevenDayWindow(input, nowMs);

  const reasons: string[] = [];
  if (risk === 'high' || risk === 'critical') {
    reasons.push(`risk ${risk}: projected ${projectedPct}% of the monthly limit`);
  }
  if (projectedPct > 90) reasons.push(`projected ${projectedPct}% of the monthly limit (> 90%)`);
  if (avg > 0 && todayTokens > 2 * avg) {
    reasons.push(`today's ${todayTokens} tokens exceed 2x the daily average of ${Math.round(avg)}`);
  }
  const windows = { '5-hour': fiveHour, '7-day': sevenDay };
  for (const [name, w] of Object.entries(windows)) {
    if (w.pct !== null && w.pct >= WINDOW_THROTTLE_PCT) reasons.push(`${name} window at ${w.pct}% (${w.provenance})`);
  }
  // A window projecting more than the month has left must throttle: a projection and a decision never disagree.
  const monthLeft = Math.max(0, limit - mtd);
  for (const [name, w] of Object.entries(windows)) {
    if (w.burnTokensPerMin !== null && w.projectedTokens > w.tokens && w.projectedTokens - w.tokens > monthLeft) {
      reasons.push(
        `${name} window projects ${w.projectedTokens - w.tokens} more tokens, beyond the ${monthLeft} left this month`,
      );
    }
  }

  return {
    generatedAt: toIso(nowMs),
    provenance: 'estimated',
    month: today.slice(0, 7),
    daysInMonth: dim,
    dayOfMonth,
    remainingDays,
    monthToDateTokens: mtd,
    todayTokens,
    dailyAverageTokens: Math.round(avg),
    dailyAverageCostUsd: round4(avgCost),
    restOfTodayTokens: Math.round(restOfToday),
    projectedTokens: projected,
    limitTokens: limit,
    limitSource: input.limitSource,
    usagePct,
    projectedPct,
    willExceedBy: Math.max(0, projected - limit),
    risk,
    trend,
    throttle: { recommended: reasons.length > 0, reasons },
    fiveHour,
    sevenDay,
  };
}
