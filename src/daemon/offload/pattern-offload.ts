/**
 * The offload rules applied to one stored pattern:
 * - a pattern is offloaded while its flag is on and its status is approved, implemented or active;
 * - a person approving or activating a pattern whose family has a compactor (core/offload/family.ts)
 *   turns the flag on (the daemon's own approvals, from discovery, do not); any move to a status outside those three (reject, deprecate, rollback, an undone
 *   approval) turns it off. Each change writes its own `pattern_reviews` row (`offload_on` /
 *   `offload_off`, with the lifecycle action as the note), in the caller's transaction.
 */
import { stringListOf } from '../../core/json-value.js';
import type { CompactFamily } from '../../core/compact/types.js';
import type { ReviewAction } from '../../core/learning/pattern-lifecycle.js';
import { OFFLOADABLE_STATUSES, offloadFamily } from '../../core/offload/family.js';
import type { PatternRow } from '../store/patterns-repo.js';
import type { Store } from '../store/store.js';

/** The family the pattern is (or would be) offloaded as; null when it cannot be. */
export function familyOfRow(row: PatternRow): CompactFamily | null {
  return offloadFamily({ kind: row.kind, signature: row.signature, examples: stringListOf(row.examples) });
}

/** Whether the pattern's status is one a person approved. */
export function approvedStatus(row: Pick<PatternRow, 'status'>): boolean {
  return OFFLOADABLE_STATUSES.includes(row.status);
}

/** Flag on and approved: what the file lists (while its family is known) and the router may run. */
export function isOffloaded(row: PatternRow): boolean {
  return row.offload === 1 && approvedStatus(row);
}

const TURNS_ON: ReadonlySet<string> = new Set<ReviewAction>(['approve', 'activate']);

/**
 * Applies the rules after a status change of pattern `id` made by `action` (inside the same
 * transaction); `mayOffload`: the change is a person's decision. Returns the change made, or null.
 */
export function offloadAfterReview(
  store: Store,
  id: number,
  action: string,
  actor: string,
  mayOffload: boolean,
): 'on' | 'off' | null {
  const row = store.patterns.get(id);
  if (!row) return null;
  if (!approvedStatus(row)) {
    return row.offload === 1 && store.offload.setFlag(id, false, actor, action) ? 'off' : null;
  }
  if (mayOffload && row.offload === 0 && TURNS_ON.has(action) && familyOfRow(row) !== null) {
    return store.offload.setFlag(id, true, actor, action) ? 'on' : null;
  }
  return null;
}
