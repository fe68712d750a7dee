import type { Block } from '../../core/usage/blocks.js';
import type { Totals } from '../../core/usage/usage-report.js';
import { METHODS, REPORT_KINDS, type ReportKind, type UsageReportResult } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError } from '../shared.js';
import { renderTable, usd } from '../table.js';

const spec = {
  name: 'report',
  usage: 'outloop report daily|monthly|session|blocks [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--json]',
  summary:
    'Token usage and cost from the store, in the same JSON shape as ccusage (daily, monthly, session, 5-hour blocks).',
  options: { ...DAEMON_CLIENT_OPTIONS, since: { type: 'string' }, until: { type: 'string' } },
  positionals: { min: 1, max: 1 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const json = parsed.values.json;
  const kind = parsed.positionals[0] as ReportKind;
  if (!REPORT_KINDS.includes(kind))
    return reportError(
      'report',
      new Error(`unknown report '${kind}': use ${REPORT_KINDS.join(', ')}`),
      json,
      EXIT.usage,
    );
  try {
    const result = await withDaemon(!parsed.values['no-autostart'], (c) =>
      c.request(METHODS.usageReport, {
        kind,
        ...(parsed.values.since ? { since: parsed.values.since } : {}),
        ...(parsed.values.until ? { until: parsed.values.until } : {}),
      }),
    );
    if (json) {
      printJson(result);
      return EXIT.ok;
    }
    process.stdout.write(renderReport(result, parsed.values.since !== undefined));
    return EXIT.ok;
  } catch (e) {
    return reportError('report', e, json);
  }
}

function renderReport(result: UsageReportResult, since: boolean): string {
  if ('blocks' in result) return renderBlocks(result.blocks, !since);
  if ('daily' in result)
    return renderGroups(
      ['date'],
      result.daily.map((r) => ({ keys: [r.date], row: r })),
      result.totals,
    );
  if ('monthly' in result)
    return renderGroups(
      ['month'],
      result.monthly.map((r) => ({ keys: [r.month], row: r })),
      result.totals,
    );
  // sessions also say where and when: the project and the day of the last activity, as the JSON has them
  return renderGroups(
    ['session', 'project', 'last activity'],
    result.sessions.map((r) => ({ keys: [r.sessionId, r.projectPath, r.lastActivity], row: r })),
    result.totals,
  );
}

function renderBlocks(blocks: readonly Block[], lastWeek: boolean): string {
  if (blocks.length === 0)
    return `no usage recorded${lastWeek ? ' in the last 7 days (--since YYYY-MM-DD reaches further)' : ''}\n`;
  const undated = blocks.reduce((a, b) => a + b.undatedEntries, 0);
  const note =
    undated > 0
      ? `${undated.toLocaleString('en-US')} records carried no time of their own (ADW outputs): they count at their file's time, never in burn rates\n`
      : '';
  return (
    (lastWeek ? '5-hour blocks of the last 7 days (--since YYYY-MM-DD reaches further)\n' : '') +
    renderTable(
      ['start', 'end', 'state', 'tokens', 'cost', 'burn tok/min', 'projected'],
      blocks.map((b) => [
        b.startTime.slice(0, 16).replace('T', ' '),
        b.endTime.slice(0, 16).replace('T', ' '),
        b.isGap ? 'gap' : b.isActive ? 'ACTIVE' : 'done',
        b.totalTokens,
        usd(b.costUSD),
        b.burnRate ? Math.round(b.burnRate.tokensPerMinute).toLocaleString('en-US') : '',
        b.projection ? `${b.projection.totalTokens.toLocaleString('en-US')} / ${usd(b.projection.totalCost)}` : '',
      ]),
    ) +
    note
  );
}

const figures = (t: Totals): (string | number)[] => [
  t.inputTokens,
  t.outputTokens,
  t.cacheCreationTokens,
  t.cacheReadTokens,
  t.totalTokens,
  usd(t.totalCost),
];

/** Days, months or sessions: their key columns, the models used, the token kinds and cost, and a Total row. */
function renderGroups(
  keyHeaders: string[],
  rows: { keys: string[]; row: Totals & { modelsUsed: string[] } }[],
  totals: Totals,
): string {
  if (rows.length === 0) return 'no usage recorded\n';
  const body = rows.map(({ keys, row }) => [...keys, row.modelsUsed.join(', '), ...figures(row)]);
  body.push(['Total', ...keyHeaders.slice(1).map(() => ''), '', ...figures(totals)]);
  return renderTable([...keyHeaders, 'models', 'input', 'output', 'cache write', 'cache read', 'total', 'cost'], body);
}
