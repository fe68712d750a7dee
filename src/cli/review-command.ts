import { userInfo } from 'node:os';
import { METHODS } from '../rpc/protocol.js';
import { withDaemon } from './daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError } from './shared.js';

type Action = 'approve' | 'reject' | 'deprecate';

const METHOD = {
  approve: METHODS.patternsApprove,
  reject: METHODS.patternsReject,
  deprecate: METHODS.patternsDeprecate,
} as const;

/** The reviewer written to pattern_reviews: the login name. */
export function actor(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'cli';
  }
}

/** `outloop approve|reject|deprecate ID [--note TEXT]`: one lifecycle step, audited in pattern_reviews. */
export async function runReview(action: Action, argv: string[]): Promise<number> {
  const spec = {
    name: action,
    usage: `outloop ${action} ID [--note TEXT] [--json]`,
    summary: `${action[0]?.toUpperCase()}${action.slice(1)} a pattern (written to pattern_reviews with you as the actor).`,
    options: { ...DAEMON_CLIENT_OPTIONS, note: { type: 'string' } },
    positionals: { min: 1, max: 1 },
  } as const;
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const json = parsed.values.json;
  const id = Number(parsed.positionals[0]);
  if (!Number.isInteger(id) || id < 1)
    return reportError(
      action,
      new Error(`ID must be a pattern id (a positive integer), got '${parsed.positionals[0]}'`),
      json,
      EXIT.usage,
    );
  try {
    const p = await withDaemon(!parsed.values['no-autostart'], (c) =>
      c.request(METHOD[action], { id, actor: actor(), ...(parsed.values.note ? { note: parsed.values.note } : {}) }),
    );
    if (json) printJson(p);
    else process.stdout.write(`pattern ${p.id} ${p.signature}: ${p.status}\n`);
    return EXIT.ok;
  } catch (e) {
    return reportError(action, e, json);
  }
}
