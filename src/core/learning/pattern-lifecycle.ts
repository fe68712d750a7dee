/**
 * Pattern lifecycle: detected → candidate → approved → implemented → active, plus rejected and deprecated.
 *
 * | action    | allowed from                      | to          |
 * |-----------|-----------------------------------|-------------|
 * | detect    | detected (no-op), deprecated      | detected    |
 * | promote   | detected                          | candidate   |
 * | approve   | detected, candidate               | approved    |
 * | reject    | detected, candidate               | rejected    |
 * | implement | approved                          | implemented |
 * | activate  | approved, implemented             | active      |
 * | deprecate | approved, implemented, active     | deprecated  |
 * | rollback  | active                            | deprecated  |
 *
 * `detect` re-opens a deprecated pattern seen again; a rejected one stays rejected (a person said no).
 * Everything else is refused with a sentence naming the status and the action.
 */
import { AppError } from '../errors.js';
import type { PatternStatus } from '../types.js';

export type ReviewAction =
  'detect' | 'promote' | 'approve' | 'reject' | 'implement' | 'activate' | 'deprecate' | 'rollback';

export const REVIEW_ACTIONS: readonly ReviewAction[] = [
  'detect',
  'promote',
  'approve',
  'reject',
  'implement',
  'activate',
  'deprecate',
  'rollback',
];

const RULES: Record<ReviewAction, { from: readonly PatternStatus[]; to: PatternStatus }> = {
  detect: { from: ['detected', 'deprecated'], to: 'detected' },
  promote: { from: ['detected'], to: 'candidate' },
  approve: { from: ['detected', 'candidate'], to: 'approved' },
  reject: { from: ['detected', 'candidate'], to: 'rejected' },
  implement: { from: ['approved'], to: 'implemented' },
  activate: { from: ['approved', 'implemented'], to: 'active' },
  deprecate: { from: ['approved', 'implemented', 'active'], to: 'deprecated' },
  rollback: { from: ['active'], to: 'deprecated' },
};

export type TransitionResult = { ok: true; to: PatternStatus } | { ok: false; reason: string };

function list(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1] ?? ''}`;
}

export function nextStatus(from: PatternStatus, action: ReviewAction): TransitionResult {
  // values arrive from the wire too: an unknown action is refused, never a crash
  const rule = Object.hasOwn(RULES, action) ? RULES[action] : undefined;
  if (rule === undefined) return { ok: false, reason: `Unknown review action "${String(action)}".` };
  if (rule.from.includes(from)) return { ok: true, to: rule.to };
  return {
    ok: false,
    reason: `Cannot ${action} a pattern that is ${from}: ${action} is allowed only from ${list(rule.from)}.`,
  };
}

/** The statuses `action` applies to (empty for an unknown action). */
export function statusesFor(action: ReviewAction): readonly PatternStatus[] {
  return Object.hasOwn(RULES, action) ? RULES[action].from : [];
}

/** "detected or candidate": the statuses `action` applies to, for help texts and refusals. */
export function statusesText(action: ReviewAction): string {
  return list(statusesFor(action));
}

/** The actions a pattern in `from` accepts, in REVIEW_ACTIONS order (for keyboard hints). */
export function allowedActions(from: PatternStatus): ReviewAction[] {
  return REVIEW_ACTIONS.filter((a) => RULES[a].from.includes(from));
}

/** The actions a person takes by hand (`outloop approve|reject|deprecate`, the TUI's a / r / d). */
export type ManualAction = 'approve' | 'reject' | 'deprecate';
export const MANUAL_ACTIONS: readonly ManualAction[] = ['approve', 'reject', 'deprecate'];

/** The manual actions a pattern in `from` accepts, in MANUAL_ACTIONS order. */
export function manualActionsFor(from: PatternStatus): ManualAction[] {
  return MANUAL_ACTIONS.filter((a) => RULES[a].from.includes(from));
}

/** Like nextStatus, but throws AppError('illegal_transition') when refused. */
export function assertTransition(from: PatternStatus, action: ReviewAction): PatternStatus {
  const r = nextStatus(from, action);
  if (!r.ok) throw new AppError('illegal_transition', r.reason, { from, action });
  return r.to;
}
