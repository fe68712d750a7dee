/**
 * Which of the review keys (a / r / d) apply to a pattern, from the lifecycle rules: the hints and
 * the help offer only those, and a key that does not apply says what does instead of asking the
 * daemon (or, for `r`, asking for a reason) only to be refused.
 */
import { manualActionsFor, statusesText, type ManualAction } from '../../core/learning/pattern-lifecycle.js';
import type { PatternStatus } from '../../core/types.js';
import { hintFor, type Command } from '../keymap.js';

const REVIEW_COMMANDS: ReadonlySet<Command> = new Set<Command>(['approve', 'reject', 'deprecate']);

/** `commands` without the review commands that do not apply to `status` (all kept when it is unknown). */
export function applicableCommands(commands: readonly Command[], status: PatternStatus | undefined): Command[] {
  if (status === undefined) return [...commands];
  const allowed = new Set<Command>(manualActionsFor(status));
  return commands.filter((c) => !REVIEW_COMMANDS.has(c) || allowed.has(c));
}

/** What the review keys do for a pattern in `status`: "approved: d deprecate". */
export function reviewsText(status: PatternStatus): string {
  const allowed = manualActionsFor(status);
  return `${status}: ${allowed.length === 0 ? 'no review applies' : hintFor(allowed)}`;
}

/** Null when `action` applies to the pattern; else the message saying which actions do. */
export function reviewRefusal(action: ManualAction, p: { id: number; status: PatternStatus }): string | null {
  if (manualActionsFor(p.status).includes(action)) return null;
  return `#${p.id} is ${reviewsText(p.status)} (${action} applies to ${statusesText(action)})`;
}
