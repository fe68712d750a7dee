import type { QuotaWindow } from '../../core/usage/forecast.js';
import { METHODS, type ForecastResult } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError } from '../shared.js';
import { usd } from '../table.js';

const spec = {
  name: 'forecast',
  usage: 'outloop forecast [--json]',
  summary:
    'Quota forecast: month-to-date tokens against the limit (OUTLOOP_QUOTA_LIMIT, else ANTHROPIC_QUOTA_LIMIT, else 300M), ' +
    'weighted 7-day daily average, projection to month end, risk, trend and throttle advice; the current 5-hour block and ' +
    "7-day window with burn rates. Every figure says whether it is 'official' (status-line rate_limits) or 'estimated'.",
  options: { ...DAEMON_CLIENT_OPTIONS },
  positionals: { max: 0 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const json = parsed.values.json;
  try {
    const f = await withDaemon(!parsed.values['no-autostart'], (c) => c.request(METHODS.forecast, {}));
    if (json) printJson(f);
    else process.stdout.write(render(f));
    return EXIT.ok;
  } catch (e) {
    return reportError('forecast', e, json);
  }
}

const n = (v: number): string => v.toLocaleString('en-US');
const hhmm = (v: string | null): string => (v === null ? '—' : v.slice(11, 16));

function windowLine(label: string, w: QuotaWindow): string {
  const parts = [`${label} (${w.provenance})`];
  if (w.start === null && w.pct === null) return `${parts[0]}: no usage`;
  if (w.start !== null) parts.push(`${w.start.slice(5, 16).replace('T', ' ')} → ${hhmm(w.end)}`);
  parts.push(`${n(w.tokens)} tokens, ${usd(w.costUsd)}`);
  // no rate (too short a span, or only records without a time): no projection either, rather than a wrong one
  if (w.burnTokensPerMin !== null) {
    parts.push(`burn ${n(w.burnTokensPerMin)} tok/min, ${w.burnUsdPerHour === null ? '—' : usd(w.burnUsdPerHour)}/h`);
    parts.push(`projected ${n(w.projectedTokens)} / ${usd(w.projectedCostUsd)}`);
  } else parts.push('no burn rate yet');
  if (w.undatedRecords > 0) parts.push(`${n(w.undatedRecords)} records without a time (in totals, not in rates)`);
  if (w.pct !== null)
    parts.push(`${w.pct}% used${w.resetsAt ? `, resets ${w.resetsAt.slice(0, 16).replace('T', ' ')} UTC` : ''}`);
  return parts.join(' · ');
}

function render(f: ForecastResult): string {
  const lines = [
    `month ${f.month} (day ${n(f.dayOfMonth)} of ${n(f.daysInMonth)}) · limit ${n(f.limitTokens)} tokens (${f.limitSource}) · ${f.provenance}`,
    `  month to date  ${n(f.monthToDateTokens)} (${n(f.usagePct)}%)`,
    `  today          ${n(f.todayTokens)}`,
    `  daily average  ${n(f.dailyAverageTokens)} (${usd(f.dailyAverageCostUsd)}) over the last 7 full days · trend ${f.trend}`,
    `  projected      ${n(f.projectedTokens)} (${n(f.projectedPct)}%) · risk ${f.risk}${f.willExceedBy > 0 ? ` · over by ${n(f.willExceedBy)}` : ''}`,
    windowLine('5-hour block', f.fiveHour),
    windowLine('7-day window', f.sevenDay),
    f.throttle.recommended ? `throttle: yes\n${f.throttle.reasons.map((r) => `  - ${r}`).join('\n')}` : 'throttle: no',
  ];
  return `${lines.join('\n')}\n`;
}
