/**
 * The 5-hour and 7-day windows Claude subscriptions are limited by, for a quota forecast.
 *
 * - 5-hour: start, end, tokens, cost, burn and projection are ccusage's active block (blocks.ts); no
 *   active block → nulls and zeros. Estimated `resetsAt` = the block end; estimated pct is null.
 * - 7-day: the official window [resetsAt − 7 d, resetsAt] when a reading names a future reset, else
 *   the rolling last 7 days ending now. Burn = tokens / minutes since the window start; projection =
 *   tokens + burn × minutes to the window end (rolling: = tokens).
 * - Official readings (QuotaSignal): ignored once their window has reset (resetsAt ≤ now). A reading
 *   at most 15 minutes old (OFFICIAL_FRESH_MS) overrides pct and resetsAt, provenance 'official'.
 *   An older reading whose window is still open is calibrated: pct × tokens(window start → now) /
 *   tokens(window start → reading), capped at 100, provenance 'estimated'.
 * - Rates (burn, projections) come only from records with a time of their own, over a span of at
 *   least MIN_RATE_SPAN_MS (blocks.ts); each window counts the undated records it holds.
 */
import type { QuotaSignal } from '../types.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, parseTimestamp, toIso } from '../time.js';
import { activeBlock, sessionBlocks } from './blocks.js';
import { round2, round4, type ForecastInput, type QuotaWindow } from './forecast-types.js';
import type { UsageRow } from './usage-report.js';

export const OFFICIAL_FRESH_MS = 15 * MS_PER_MINUTE;

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

export function fiveHourWindow(input: ForecastInput, nowMs: number): QuotaWindow {
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

export function sevenDayWindow(input: ForecastInput, nowMs: number): QuotaWindow {
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
