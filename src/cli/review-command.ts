import { userInfo } from 'node:os';
import {
  MANUAL_ACTIONS,
  manualActionsFor,
  statusesText,
  type ManualAction,
} from '../core/learning/pattern-lifecycle.js';
import { AppError } from '../core/errors.js';
import { PATTERN_STATUSES, type PatternStatus } from '../core/types.js';
import { METHODS } from '../rpc/protocol.js';
import { withDaemon } from './daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError } from './shared.js';

type Action = ManualAction;

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

const isStatus = (v: unknown): v is PatternStatus => PATTERN_STATUSES.includes(v as PatternStatus);

/** The daemon's refusal of an illegal step, with the commands that do apply to the pattern's status. */
export function withLegalActions(e: unknown, id: number): unknown {
  if (!(e instanceof AppError) || e.code !== 'illegal_transition') return e;
  const from = e.details?.['from'];
  if (!isStatus(from)) return e;
  const legal = manualActionsFor(from);
  const next =
    legal.length === 0
      ? `No review applies to a pattern that is ${from}.`
      : `For a pattern that is ${from}: ${legal.map((a) => `outloop ${a} ${id}`).join(' or ')}.`;
  return new AppError(e.code, `${e.message} ${next}`, e.details);
}

/** `outloop approve|reject|deprecate ID [--note TEXT]`: one lifecycle step, audited in pattern_reviews. */
export async function runReview(action: Action, argv: string[]): Promise<number> {
  const spec = {
    name: action,
    usage: `outloop ${action} ID [--note TEXT] [--json]`,
    summary:
      `${action[0]?.toUpperCase()}${action.slice(1)} a pattern that is ${statusesText(action)} ` +
      '(written to pattern_reviews with you as the actor). Which review applies depends on the status: ' +
      MANUAL_ACTIONS.map((a) => `${a} from ${statusesText(a)}`).join('; ') +
      '.',
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
    return reportError(action, withLegalActions(e, id), json);
  }
}
