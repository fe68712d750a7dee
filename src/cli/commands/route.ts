import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { METHODS, type RouteResult } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError, UsageError } from '../shared.js';

const spec = {
  name: 'route',
  usage: 'outloop route TEXT... | --file F [--dry-run] [--threshold N] [--cwd DIR] [--workflow-type T] [--json]',
  summary:
    'Should this request run a registered tool instead of the LLM? Scores the approved patterns that have an enabled tool; ' +
    'at or above the threshold (default 70) the tool runs in this directory and its compact result is printed. Exit 0 for both ' +
    "decisions: read 'decision' from --json.",
  options: {
    ...DAEMON_CLIENT_OPTIONS,
    file: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    threshold: { type: 'string' },
    cwd: { type: 'string' },
    'workflow-type': { type: 'string' },
  },
  positionals: { min: 0, max: Infinity },
} as const;

/** TEXT (words joined by spaces), or the file's text (`-` is stdin). */
export function requestText(positionals: readonly string[], file: string | undefined, what: string): string {
  if (file !== undefined && positionals.length > 0)
    throw new UsageError(`give the ${what} as TEXT or --file, not both`);
  if (file !== undefined) {
    try {
      return readFileSync(file === '-' ? 0 : resolve(file), 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
  }
  if (positionals.length === 0) throw new UsageError(`give the ${what} as TEXT or --file F`);
  return positionals.join(' ');
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  try {
    const input = requestText(parsed.positionals, v.file, 'request');
    let threshold: number | undefined;
    if (v.threshold !== undefined) {
      threshold = Number(v.threshold);
      if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100)
        throw new UsageError('--threshold must be a number from 0 to 100');
    }
    const result = await withDaemon(!v['no-autostart'], (c) =>
      c.request(METHODS.route, {
        input,
        cwd: resolve(v.cwd ?? process.cwd()),
        ...(v['dry-run'] ? { dryRun: true } : {}),
        ...(threshold !== undefined ? { threshold } : {}),
        ...(v['workflow-type'] ? { workflowType: v['workflow-type'] } : {}),
      }),
    );
    if (v.json) printJson(result);
    else process.stdout.write(render(result));
    return EXIT.ok;
  } catch (e) {
    return reportError('route', e, v.json);
  }
}

function render(r: RouteResult): string {
  const lines: string[] = [];
  const match = r.pattern
    ? ` ${r.pattern.signature}${r.tool ? ` via ${r.tool.name}` : ''} (similarity ${r.similarity}, confidence ${r.confidence}, score ${r.score}; threshold ${r.threshold})`
    : '';
  lines.push(`${r.decision}${r.dryRun ? ' (dry run)' : ''}${match}`);
  lines.push(r.reason);
  if (r.result) {
    lines.push(`exit ${r.result.exitCode ?? '—'} in ${r.result.durationMs} ms · ${r.result.summary}`);
  }
  if (r.decision === 'tool' && (r.tokensSaved > 0 || r.costSavedUsd > 0)) {
    lines.push(
      `${r.dryRun ? 'would save' : 'saved'} ${r.tokensSaved.toLocaleString('en-US')} tokens ($${r.costSavedUsd.toFixed(4)})`,
    );
  }
  if (r.result && r.result.output !== '') {
    lines.push('', `${r.result.truncated ? '[output truncated to its end]\n' : ''}${r.result.output.trimEnd()}`);
  }
  return `${lines.join('\n')}\n`;
}
