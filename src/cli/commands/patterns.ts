import { PATTERN_STATUSES, type PatternStatus } from '../../core/types.js';
import { METHODS, type PatternSummary } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError } from '../shared.js';
import { renderTable, usd } from '../table.js';

const spec = {
  name: 'patterns',
  usage:
    'outloop patterns [--status S] [--sort savings|confidence|occurrences|lastSeen|signature] [--limit N] [--json]',
  summary: 'Learned operations with occurrences, confidence, token cost (measured or estimated) and monthly savings.',
  options: {
    ...DAEMON_CLIENT_OPTIONS,
    status: { type: 'string' },
    sort: { type: 'string' },
    limit: { type: 'string' },
    filter: { type: 'string' },
  },
  positionals: { max: 0 },
} as const;

const SORTS = ['savings', 'confidence', 'occurrences', 'lastSeen', 'signature'] as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const { json, status, sort, limit, filter } = parsed.values;
  if (status !== undefined && !PATTERN_STATUSES.includes(status as PatternStatus)) {
    return reportError(
      'patterns',
      new Error(`--status must be one of ${PATTERN_STATUSES.join(', ')}`),
      json,
      EXIT.usage,
    );
  }
  if (sort !== undefined && !(SORTS as readonly string[]).includes(sort)) {
    return reportError('patterns', new Error(`--sort must be one of ${SORTS.join(', ')}`), json, EXIT.usage);
  }
  const n = limit === undefined ? undefined : Number(limit);
  if (n !== undefined && (!Number.isInteger(n) || n < 1))
    return reportError('patterns', new Error('--limit must be a positive integer'), json, EXIT.usage);
  try {
    const list = await withDaemon(!parsed.values['no-autostart'], (c) =>
      c.request(METHODS.patternsList, {
        ...(status ? { status: status as PatternStatus } : {}),
        ...(sort ? { sort: sort as (typeof SORTS)[number] } : {}),
        ...(n ? { limit: n } : {}),
        ...(filter ? { text: filter } : {}),
      }),
    );
    if (json) printJson(list);
    else process.stdout.write(render(list));
    return EXIT.ok;
  } catch (e) {
    return reportError('patterns', e, json);
  }
}

function render(list: PatternSummary[]): string {
  if (list.length === 0)
    return 'no patterns yet: outloop learns them from tool calls in transcripts, hooks and ADW runs\n';
  return renderTable(
    [
      'id',
      'signature',
      'status',
      'sessions 30d',
      'sessions',
      'conf',
      'LLM tok/use',
      'tool tok/use',
      'basis',
      'savings/mo',
      'tool',
    ],
    list.map((p) => [
      p.id,
      p.signature.length > 48 ? `${p.signature.slice(0, 47)}…` : p.signature,
      p.status,
      p.occurrences30d,
      p.occurrences,
      p.confidence,
      p.avgTokensWithLlm,
      p.avgTokensWithTool,
      `${p.tokenBasis}/${p.toolTokenBasis}`,
      usd(p.monthlySavingsUsd),
      p.toolName ?? '',
    ]),
  );
}
