import { isAdwId } from '../../core/records/adw.js';
import { AppError, notFound } from '../../core/errors.js';
import type { DaemonClient } from '../../rpc/client.js';
import { JSONRPC_CODES } from '../../rpc/error-codes.js';
import { METHODS, type ContextEfficiencyResult, type ContextProfileInfo } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError, UsageError } from '../shared.js';
import { renderTable } from '../table.js';

const spec = {
  name: 'context',
  usage: 'outloop context SESSION_OR_WORKFLOW [--json]\n       outloop context --pattern SIGNATURE [--json]',
  summary:
    'Context efficiency: files loaded into the context (Read/Grep/Glob) vs files used (edited or named later), ' +
    'for a session id or an ADW workflow id (`wf:ID` forces a workflow); --pattern shows the context profile of a pattern.',
  options: { ...DAEMON_CLIENT_OPTIONS, pattern: { type: 'string' } },
  positionals: { min: 0, max: 1 },
} as const;

/** not_found from the handler (a daemon without the method also says not_found: rethrow that) */
const isNotFound = (e: unknown): boolean =>
  e instanceof AppError && e.code === 'not_found' && e.details?.['rpcCode'] !== JSONRPC_CODES.methodNotFound;

/** Session first (workflow first for an ADW-looking id), then the other. */
async function efficiency(c: DaemonClient, ref: string): Promise<ContextEfficiencyResult> {
  if (ref.startsWith('wf:')) return c.request(METHODS.contextEfficiency, { workflowId: ref.slice(3) });
  const order = isAdwId(ref) ? (['workflowId', 'sessionId'] as const) : (['sessionId', 'workflowId'] as const);
  for (const key of order) {
    try {
      return await c.request(METHODS.contextEfficiency, { [key]: ref });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  throw notFound(`no tool calls recorded for a session or workflow '${ref}'`);
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const json = parsed.values.json;
  const pattern = parsed.values.pattern;
  const ref = parsed.positionals[0];
  if ((pattern === undefined) === (ref === undefined)) {
    return reportError(
      'context',
      new UsageError('give a session or workflow id, or --pattern SIGNATURE (not both)'),
      json,
      EXIT.usage,
    );
  }
  try {
    const autostart = !parsed.values['no-autostart'];
    if (pattern !== undefined) {
      const profile = await withDaemon(autostart, (c) => c.request(METHODS.contextProfile, { signature: pattern }));
      if (json) printJson(profile);
      else process.stdout.write(renderProfile(profile));
      return EXIT.ok;
    }
    const result = await withDaemon(autostart, (c) => efficiency(c, ref ?? ''));
    if (json) printJson(result);
    else process.stdout.write(renderEfficiency(result));
    return EXIT.ok;
  } catch (e) {
    return reportError('context', e, json);
  }
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export function renderEfficiency(r: ContextEfficiencyResult): string {
  const what = r.sessionId !== undefined ? `session ${r.sessionId}` : `workflow ${r.workflowId ?? ''}`;
  const lines = [
    `${what} (${int(r.calls)} tool calls)`,
    `files loaded ${int(r.filesLoaded)}, used ${int(r.filesUsed)} (${int(r.filesLoadedAndUsed)} of the loaded): efficiency ${r.efficiencyPct}%`,
    `tokens loaded ${int(r.tokensLoaded)}, used ${int(r.tokensUsed)}, wasted ${int(r.tokensWasted)} (measured from response sizes)`,
  ];
  let out = `${lines.join('\n')}\n`;
  if (r.topWasted.length > 0)
    out += `\ntop wasted files\n${renderTable(
      ['file', 'tokens'],
      r.topWasted.map((w) => [w.path, w.tokens]),
    )}`;
  else if (r.filesLoaded === 0) out += '\nno file entered the context through Read, Grep or Glob\n';
  return out;
}

export function renderProfile(p: ContextProfileInfo): string {
  const lines = [
    `context profile of ${p.signature} (${int(p.samples)} occurrence${p.samples === 1 ? '' : 's'}, updated ${p.updatedAt})`,
    `globs: ${p.globs.length > 0 ? p.globs.join('  ') : '(none)'}`,
    `typical dirs: ${p.typicalDirs.length > 0 ? p.typicalDirs.join('  ') : '(none)'}`,
    `tokens per occurrence: loaded ${int(p.avgTokensLoaded)}, used ${int(p.avgTokensUsed)}; loading only the globs would save ~${int(p.estimatedTokensSaved)}`,
  ];
  let out = `${lines.join('\n')}\n`;
  if (p.typicalFiles.length > 0) {
    out += `\ntypical files\n${renderTable(
      ['file', 'share'],
      p.typicalFiles.map((f) => [f.path, `${Math.round(f.share * 100)}%`]),
    )}`;
  }
  return out;
}
