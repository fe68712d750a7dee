import type { ReplayFigures, ReplayGroup } from '../../core/learning/savings-replay.js';
import { METHODS, type SavingsReplayResult, type SavingsSummary } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError } from '../shared.js';
import { renderTable } from '../table.js';

const spec = {
  name: 'savings',
  usage: 'outloop savings [--replay] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--json]',
  summary:
    'Savings measured on offloaded and routed runs; with --replay, what the compactors would have saved on the Bash outputs recorded in history.',
  options: {
    ...DAEMON_CLIENT_OPTIONS,
    replay: { type: 'boolean', default: false },
    since: { type: 'string' },
    until: { type: 'string' },
  },
  positionals: { max: 0 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const period = { ...(v.since ? { since: v.since } : {}), ...(v.until ? { until: v.until } : {}) };
  try {
    const text = await withDaemon(!v['no-autostart'], async (c) => {
      if (v.replay) {
        const r = await c.request(METHODS.savingsReplay, period);
        return v.json ? r : renderReplay(r);
      }
      const s = await c.request(METHODS.savingsSummary, period);
      return v.json ? s : renderRuns(s);
    });
    if (typeof text === 'string') process.stdout.write(text);
    else printJson(text);
    return EXIT.ok;
  } catch (e) {
    return reportError('savings', e, v.json);
  }
}

const usd = (n: number): string => `$${n.toFixed(n !== 0 && Math.abs(n) < 0.1 ? 4 : 2)}`;
const tok = (n: number): string => n.toLocaleString('en-US');
const pct = (n: number | null): string => (n === null ? '–' : `${n.toFixed(1)}%`);

function periodText(since: string | null, until: string | null): string {
  if (since === null && until === null) return 'all history';
  return `${since ?? 'the start'} to ${until ?? 'today'} (UTC days, both included)`;
}

/** Measured (runs): what offloaded and routed runs saved, as logged in cost_savings_log. */
export function renderRuns(s: SavingsSummary): string {
  const out = [
    'Saved, measured (runs): offloaded and routed runs, raw and compact output both counted',
    `  today ${usd(s.todayUsd)} · this month ${usd(s.monthUsd)} · all time ${usd(s.allTimeUsd)} · ${tok(s.tokensSavedAllTime)} tokens all time`,
  ];
  if (s.period) {
    const p = s.period;
    out.push(
      `  ${periodText(p.since, p.until)}: ${usd(p.usd)} · ${tok(p.tokens)} tokens · ${p.runs} run${p.runs === 1 ? '' : 's'}`,
    );
  }
  const byType = s.period?.byType ?? s.byType;
  out.push('');
  if (byType.length === 0)
    out.push('no measured runs yet (see `outloop savings --replay` for what offloading would save)');
  else {
    out.push(`By kind of run${s.period ? ' (period)' : ' (all time)'}:`);
    out.push(
      renderTable(
        ['kind', 'tokens saved', 'saved (runs)'],
        byType.map((t) => [t.type, t.tokens, usd(t.usd)]),
      ).trimEnd(),
    );
  }
  if (s.topPatterns.length > 0) {
    out.push('', 'Top patterns (all time):');
    out.push(
      renderTable(
        ['pattern', 'saved (runs)'],
        s.topPatterns.map((p) => [p.signature, usd(p.usd)]),
      ).trimEnd(),
    );
  }
  return `${out.join('\n')}\n`;
}

const HEADERS = [
  'calls',
  'raw tok',
  'compact tok',
  'saved tok',
  'reduction',
  'saved $ (input)',
  'carry-over tok',
  'carry-over $ (cache read)',
];

function figures(f: ReplayFigures): (string | number)[] {
  return [
    f.calls,
    f.rawTokens,
    f.compactTokens,
    f.savedTokens,
    pct(f.reductionPct),
    usd(f.savedUsd),
    f.carryOverTokens,
    usd(f.carryOverUsd),
  ];
}

function groupTable(first: string, rows: ReplayGroup[], withFamily: boolean): string {
  const head = withFamily ? [first, 'family', ...HEADERS] : [first, ...HEADERS];
  return renderTable(
    head,
    rows.map((g) => (withFamily ? [g.key, g.family, ...figures(g)] : [g.key, ...figures(g)])),
  ).trimEnd();
}

/** Measured (replay): the compactors over the recorded outputs, per family and per pattern. */
export function renderReplay(r: SavingsReplayResult): string {
  const t = r.totals;
  if (t.calls === 0)
    return `Would have saved, measured (replay): no recorded Bash output in ${periodText(r.since, r.until)}\n`;
  const out = [
    `Would have saved, measured (replay): the compactors run over ${tok(t.calls)} recorded Bash outputs, ${periodText(r.since, r.until)}`,
    `  saved ${tok(t.savedTokens)} of ${tok(t.rawTokens)} raw tokens (${pct(t.reductionPct)} reduction), ${usd(t.savedUsd)} at the input price of the model that read each output`,
    `  share of all ${tok(r.periodTokens)} tokens in the period: ${pct(r.savedShareOfPeriodPct)}`,
    `  carry-over, separate: ${tok(t.carryOverTokens)} tokens, ${usd(t.carryOverUsd)} (${t.carryOverCalls} of ${t.calls} calls with later requests known)`,
    `  ${r.carryOverLabel}`,
  ];
  if (t.unpricedCalls > 0) out.push(`  ${t.unpricedCalls} call(s) read by a model without a price count $0`);
  if (r.truncatedOutputs > 0)
    out.push(`  ${r.truncatedOutputs} output(s) were kept cut to head and tail; raw counts their whole size`);
  out.push('', 'By family, measured (replay):', groupTable('family', r.byFamily, false));
  if (r.byPattern.length > 0) out.push('', 'By pattern, measured (replay):', groupTable('pattern', r.byPattern, true));
  return `${out.join('\n')}\n`;
}
