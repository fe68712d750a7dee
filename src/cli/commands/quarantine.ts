import { METHODS, type QuarantineListResult } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError } from '../shared.js';
import { renderTable } from '../table.js';

const spec = {
  name: 'quarantine',
  usage: 'outloop quarantine [--path TEXT] [--json]',
  summary:
    'Lines that could not be parsed, grouped by file and reason, with a sample line and counts (including lines only counted, beyond the rows kept per file).',
  options: { ...DAEMON_CLIENT_OPTIONS, path: { type: 'string' } },
  positionals: { max: 0 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const { json, path } = parsed.values;
  try {
    const result = await withDaemon(!parsed.values['no-autostart'], (c) =>
      c.request(METHODS.quarantineList, path ? { path } : {}),
    );
    if (json) printJson(result);
    else process.stdout.write(render(result));
    return EXIT.ok;
  } catch (e) {
    return reportError('quarantine', e, json);
  }
}

function render(r: QuarantineListResult): string {
  if (r.files.length === 0) return 'nothing quarantined: every line read so far could be parsed\n';
  const rows = r.files.flatMap((f) =>
    f.reasons.map((g) => [f.path, g.reason, g.total, g.kept, `@${g.sampleOffset} ${g.sample}`]),
  );
  const head =
    `${r.total.toLocaleString('en-US')} line(s) quarantined in ${r.files.length} file(s); ` +
    `${r.kept.toLocaleString('en-US')} kept (the first ${r.keepPerFile} per file), the rest counted\n`;
  return head + renderTable(['file', 'reason', 'lines', 'kept', 'sample'], rows);
}
