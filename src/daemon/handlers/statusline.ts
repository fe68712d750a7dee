/**
 * `statusline/update`: one Claude Code status-line payload in, one short line out, from memory.
 *
 * The payload's `rate_limits` (five_hour / seven_day used_percentage and resets_at) and
 * `cost.total_cost_usd` go to `quota_signals` (at most one row per session, reading and minute:
 * the status line refreshes often) and become the official reading at once. The line:
 * `today $12.34 · 5h 61% · 7d 34% · risk low`
 * - today: cost of today's (UTC) usage records;
 * - 5h: the official percentage (`~61%` when calibrated from an older reading), else `~$4.10` (the
 *   estimated cost of the current 5-hour block), else `idle`; 7d only with a percentage;
 * - risk: the monthly projection's risk (an estimate), `(throttle)` when throttling is advised.
 * Missing or odd fields never fail: the line is built from whatever is known.
 */
import { fnv1a64 } from '../../core/hash.js';
import { parseStatusLineRecord } from '../../core/records/hook-event.js';
import type { Forecast } from '../../core/usage/forecast.js';
import { METHODS, type StatuslineResult } from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import type { QuotaState } from '../quota/quota-state.js';
import type { HandlerMap } from '../server.js';
import type { Store } from '../store/store.js';

const usd = (x: number): string => `$${x.toFixed(2)}`;

function pctText(w: Forecast['fiveHour']): string | null {
  if (w.pct === null) return null;
  return `${w.provenance === 'official' ? '' : '~'}${Math.round(w.pct)}%`;
}

export function statusLineText(todayCostUsd: number, f: Forecast): string {
  const parts = [`today ${usd(todayCostUsd)}`];
  const five = pctText(f.fiveHour);
  parts.push(`5h ${five ?? (f.fiveHour.start !== null ? `~${usd(f.fiveHour.costUsd)}` : 'idle')}`);
  const seven = pctText(f.sevenDay);
  if (seven !== null) parts.push(`7d ${seven}`);
  parts.push(`risk ${f.risk}${f.throttle.recommended ? ' (throttle)' : ''}`);
  return parts.join(' · ');
}

export function statuslineUpdate(
  store: Store,
  quota: QuotaState,
  payload: unknown,
  now: Date = new Date(),
): StatuslineResult {
  const signal = parseStatusLineRecord(payload, now.toISOString());
  if (signal !== null) {
    const values = JSON.stringify([
      signal.fiveHourPct,
      signal.fiveHourResetsAt,
      signal.sevenDayPct,
      signal.sevenDayResetsAt,
      signal.sessionCostUsd,
    ]);
    const minute = Math.floor(now.getTime() / 60_000);
    let raw: string | null = null;
    try {
      raw = JSON.stringify(payload) ?? null;
    } catch {
      raw = null;
    }
    store.quota.add(signal, `statusline:${signal.sessionId ?? '-'}:${minute}:${fnv1a64(values)}`, raw);
    quota.noteSignal(signal);
  }
  return { line: statusLineText(quota.today(now).costUsd, quota.forecast(now)) };
}

export function statuslineHandlers(deps: DaemonDeps, quota: QuotaState): HandlerMap {
  return { [METHODS.statuslineUpdate]: (p) => statuslineUpdate(deps.store, quota, p.payload) };
}
