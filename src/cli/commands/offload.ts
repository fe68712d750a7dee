import { METHODS, type OffloadSetParams, type OffloadSetResult, type OffloadStatusResult } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { actor } from '../review-command.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, helpText, parseCommand, printJson, reportError, UsageError } from '../shared.js';
import { renderTable } from '../table.js';

const spec = {
  name: 'offload',
  usage: 'outloop offload status [--json]\n       outloop offload on|off [SIGNATURE|ID] [--note TEXT] [--json]',
  summary:
    'Which approved patterns run through `outloop run` (full output kept on disk, compact text to the agent). ' +
    'Approving a test, build, lint, format, install or git pattern turns offload on for it; `off SIGNATURE` turns it ' +
    'off for one pattern, `on SIGNATURE` back on. Without a pattern, `off` stops all offloading (the kill switch) and ' +
    '`on` lets it run again. The daemon keeps <state dir>/offload.json in step.',
  options: { ...DAEMON_CLIENT_OPTIONS, note: { type: 'string' } },
  positionals: { min: 1, max: 2 },
} as const;

/** A pattern named by its id (digits) or its signature. */
function target(arg: string): Pick<OffloadSetParams, 'signature' | 'patternId'> {
  if (/^\d+$/.test(arg)) {
    const id = Number(arg);
    if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`'${arg}' is not a pattern id`);
    return { patternId: id };
  }
  if (arg.trim() === '') throw new UsageError('the signature is empty');
  return { signature: arg.trim() };
}

function renderStatus(s: OffloadStatusResult): string {
  const by = s.switchChangedAt
    ? ` (switched ${s.enabled ? 'on' : 'off'} ${s.switchChangedAt} by ${s.switchChangedBy ?? '?'})`
    : '';
  const head = s.enabled
    ? `offload: on${by}`
    : `offload: OFF for every pattern${by}; 'outloop offload on' lets it run again`;
  const lines = [head, `file: ${s.file}`, ''];
  if (s.patterns.length === 0) {
    lines.push(
      'no pattern is offloaded: approve a test, build, lint, format, install or git pattern (outloop approve ID)',
    );
    return `${lines.join('\n')}\n`;
  }
  const table = renderTable(
    ['id', 'signature', 'family', 'status', 'since'],
    s.patterns.map((p) => [p.id, p.signature, p.family, p.status, p.since ?? '—']),
  );
  return `${lines.join('\n')}\n${table}`;
}

function renderSet(r: OffloadSetResult, on: boolean): string {
  const word = on ? 'on' : 'off';
  if (r.pattern === null) {
    if (!r.changed) return `offload was already switched ${word}\n`;
    return on
      ? 'offload switched on: approved patterns are offloaded again\n'
      : "offload switched off: nothing is rewritten or run until 'outloop offload on'\n";
  }
  const p = r.pattern;
  const family = p.offloadFamily ? ` (${p.offloadFamily})` : '';
  const note = on && !r.enabled ? "; offload is switched off for every pattern ('outloop offload on')" : '';
  return `${r.changed ? `offload ${word}` : `offload was already ${word}`} for pattern ${p.id} ${p.signature}${family}${note}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const json = v.json;
  const [sub, arg] = parsed.positionals;
  const autostart = !v['no-autostart'];
  try {
    switch (sub) {
      case 'status': {
        if (arg !== undefined) throw new UsageError('status takes no argument');
        const s = await withDaemon(autostart, (c) => c.request(METHODS.offloadStatus, {}));
        if (json) printJson(s);
        else process.stdout.write(renderStatus(s));
        return EXIT.ok;
      }
      case 'on':
      case 'off': {
        const on = sub === 'on';
        const params: OffloadSetParams = {
          on,
          actor: actor(),
          ...(arg === undefined ? {} : target(arg)),
          ...(v.note ? { note: v.note } : {}),
        };
        const r = await withDaemon(autostart, (c) => c.request(METHODS.offloadSet, params));
        if (json) printJson(r);
        else process.stdout.write(renderSet(r, on));
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown subcommand '${sub ?? ''}': use on, off or status`);
    }
  } catch (e) {
    if (e instanceof UsageError && !json) {
      process.stderr.write(`outloop offload: ${e.message}\n\n${helpText(spec)}`);
      return EXIT.usage;
    }
    return reportError('offload', e, json);
  }
}
