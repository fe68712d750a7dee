/**
 * Reads the loose `forecast` and `usage/report daily` answers (plain JSON on the wire; the shapes
 * are owned by core/usage/forecast.ts and core/usage/usage-report.ts) defensively into what the Quota pane
 * draws. A missing or mistyped field becomes null, never a crash.
 */
import type { Risk, Trend } from '../../core/usage/forecast.js';
import { isRecord, num } from '../../core/json-value.js';
import type { Provenance } from '../../core/types.js';
import type { ForecastResult, UsageReportResult } from '../../rpc/protocol.js';

export interface WindowView {
  tokens: number | null;
  costUsd: number | null;
  burnTokensPerMin: number | null;
  burnUsdPerHour: number | null;
  projectedTokens: number | null;
  pct: number | null;
  resetsAt: string | null;
  provenance: Provenance | null;
  /** records in the window without a time of their own (not in the burn rate) */
  undatedRecords: number;
}

export interface QuotaView {
  monthToDateTokens: number | null;
  limitTokens: number | null;
  usagePct: number | null;
  projectedTokens: number | null;
  projectedPct: number | null;
  risk: Risk;
  trend: Trend | null;
  throttle: { recommended: boolean; reasons: string[] };
  provenance: Provenance | null;
  fiveHour: WindowView | null;
  sevenDay: WindowView | null;
}

/** Any string, the empty one included (core's `str` turns '' into null). */
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const prov = (v: unknown): Provenance | null => (v === 'official' || v === 'estimated' ? v : null);
const RISKS: readonly Risk[] = ['low', 'medium', 'high', 'critical'];
const TRENDS: readonly Trend[] = ['rising', 'falling', 'flat'];

function windowView(v: unknown): WindowView | null {
  if (!isRecord(v)) return null;
  return {
    tokens: num(v['tokens']),
    costUsd: num(v['costUsd']),
    burnTokensPerMin: num(v['burnTokensPerMin']),
    burnUsdPerHour: num(v['burnUsdPerHour']),
    projectedTokens: num(v['projectedTokens']),
    pct: num(v['pct']),
    resetsAt: str(v['resetsAt']),
    provenance: prov(v['provenance']),
    undatedRecords: num(v['undatedRecords']) ?? 0,
  };
}

export function toQuotaView(f: ForecastResult | null): QuotaView | null {
  if (f === null || !isRecord(f)) return null;
  const mtd = num(f['monthToDateTokens']);
  const limit = num(f['limitTokens']);
  const projected = num(f['projectedTokens']);
  const pctOf = (x: number | null): number | null =>
    x !== null && limit !== null && limit > 0 ? (x / limit) * 100 : null;
  const throttle = isRecord(f['throttle']) ? f['throttle'] : {};
  const reasons = Array.isArray(throttle['reasons'])
    ? throttle['reasons'].filter((r): r is string => typeof r === 'string')
    : [];
  const risk = RISKS.find((r) => r === f['risk']) ?? 'low';
  return {
    monthToDateTokens: mtd,
    limitTokens: limit,
    usagePct: num(f['usagePct']) ?? pctOf(mtd),
    projectedTokens: projected,
    projectedPct: num(f['projectedPct']) ?? pctOf(projected),
    risk,
    trend: TRENDS.find((t) => t === f['trend']) ?? null,
    throttle: { recommended: throttle['recommended'] === true, reasons },
    provenance: prov(f['provenance']),
    fiveHour: windowView(f['fiveHour']),
    sevenDay: windowView(f['sevenDay']),
  };
}

export interface DailyPoint {
  date: string;
  tokens: number;
  costUsd: number;
}

/** `{ daily: [{ date, totalTokens, totalCost }] }` (ccusage's daily JSON) → points by date. */
export function toDailySeries(r: UsageReportResult | null): DailyPoint[] {
  if (r === null || !isRecord(r)) return [];
  const rows = r['daily'];
  if (!Array.isArray(rows)) return [];
  const out: DailyPoint[] = [];
  for (const row of rows) {
    if (!isRecord(row)) continue;
    const date = str(row['date']);
    if (date === null) continue;
    out.push({ date, tokens: num(row['totalTokens']) ?? 0, costUsd: num(row['totalCost']) ?? 0 });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
