import { METHODS, REPORT_KINDS, type ReportKind } from '../../rpc/protocol.js';
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

type Row = Record<string, unknown>;
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

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
    process.stdout.write(renderReport(kind, result, parsed.values.since !== undefined));
    return EXIT.ok;
  } catch (e) {
    return reportError('report', e, json);
  }
}

function renderReport(kind: ReportKind, result: Record<string, unknown>, since: boolean): string {
  const key = kind === 'session' ? 'sessions' : kind;
  const rows = (result[key] as Row[] | undefined) ?? [];
  const lastWeek = kind === 'blocks' && !since;
  if (rows.length === 0)
    return `no usage recorded${lastWeek ? ' in the last 7 days (--since YYYY-MM-DD reaches further)' : ''}\n`;
  if (kind === 'blocks') {
    const undated = rows.reduce((a, b) => a + (typeof b['undatedEntries'] === 'number' ? b['undatedEntries'] : 0), 0);
    const note =
      undated > 0
        ? `${undated.toLocaleString('en-US')} records carried no time of their own (ADW outputs): they count at their file's time, never in burn rates\n`
        : '';
    return (
      (lastWeek ? '5-hour blocks of the last 7 days (--since YYYY-MM-DD reaches further)\n' : '') +
      renderTable(
        ['start', 'end', 'state', 'tokens', 'cost', 'burn tok/min', 'projected'],
        rows.map((b) => {
          const burn = b['burnRate'] as Row | null;
          const proj = b['projection'] as Row | null;
          return [
            String(b['startTime']).slice(0, 16).replace('T', ' '),
            String(b['endTime']).slice(0, 16).replace('T', ' '),
            b['isGap'] ? 'gap' : b['isActive'] ? 'ACTIVE' : 'done',
            n(b['totalTokens']),
            usd(n(b['costUSD'])),
            burn ? Math.round(n(burn['tokensPerMinute'])).toLocaleString('en-US') : '',
            proj ? `${n(proj['totalTokens']).toLocaleString('en-US')} / ${usd(n(proj['totalCost']))}` : '',
          ];
        }),
      ) +
      note
    );
  }
  const first = kind === 'daily' ? 'date' : kind === 'monthly' ? 'month' : 'sessionId';
  const totals = (result['totals'] as Row | undefined) ?? {};
  // sessions also say where and when: the project and the day of the last activity, as the JSON has them
  const sessionCols = (r: Row): string[] =>
    kind === 'session' ? [String(r['projectPath'] ?? ''), String(r['lastActivity'] ?? '')] : [];
  const body = rows.map((r) => [
    String(r[first]),
    ...sessionCols(r),
    ((r['modelsUsed'] as string[] | undefined) ?? []).join(', '),
    n(r['inputTokens']),
    n(r['outputTokens']),
    n(r['cacheCreationTokens']),
    n(r['cacheReadTokens']),
    n(r['totalTokens']),
    usd(n(r['totalCost'])),
  ]);
  body.push([
    'Total',
    ...(kind === 'session' ? ['', ''] : []),
    '',
    n(totals['inputTokens']),
    n(totals['outputTokens']),
    n(totals['cacheCreationTokens']),
    n(totals['cacheReadTokens']),
    n(totals['totalTokens']),
    usd(n(totals['totalCost'])),
  ]);
  return renderTable(
    [
      first === 'sessionId' ? 'session' : first,
      ...(kind === 'session' ? ['project', 'last activity'] : []),
      'models',
      'input',
      'output',
      'cache write',
      'cache read',
      'total',
      'cost',
    ],
    body,
  );
}
