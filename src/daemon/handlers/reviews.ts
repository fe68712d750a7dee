import { AppError, notFound } from '../../core/errors.js';
import { nextStatus, type ReviewAction } from '../../core/learning/pattern-lifecycle.js';
import type { PatternStatus } from '../../core/types.js';
import type { Hub } from '../hub.js';
import { offloadAfterReview } from '../offload/pattern-offload.js';
import type { PatternRow } from '../store/patterns-repo.js';
import type { Store } from '../store/store.js';

/** How long after a review `patterns/undo` may take it back. */
export const UNDO_WINDOW_MS = 10_000;

const UNDOABLE = new Set(['approve', 'reject', 'deprecate']);

/** Applies the offload rules after a status change and says so on the feed. */
function followOffload(
  store: Store,
  hub: Hub,
  row: PatternRow,
  action: string,
  actor: string,
  mayOffload = false,
): void {
  const change = offloadAfterReview(store, row.id, action, actor, mayOffload);
  if (change !== null) {
    hub.publish('review', `offload ${change} ${row.signature} (${action} by ${actor})`, { patternId: row.id });
  }
}

export interface ReviewOptions {
  /**
   * A person's decision (`patterns/approve`): approving or activating a compactable pattern then turns
   * offload on. The daemon's own moves (discovery approving a pattern whose issue was closed) never do.
   */
  offload?: boolean;
}

/**
 * Applies a lifecycle action, writing the audit row; illegal moves are refused with a clear error.
 * Leaving the approved statuses turns offload off (see offload/pattern-offload.ts).
 */
export function review(
  store: Store,
  hub: Hub,
  id: number,
  action: ReviewAction,
  actor: string,
  note: string | null,
  opts: ReviewOptions = {},
): PatternRow {
  return store.tx(() => {
    const row = store.patterns.get(id);
    if (!row) throw notFound(`no pattern with id ${id}`, { id });
    const next = nextStatus(row.status, action);
    if (!next.ok) throw new AppError('illegal_transition', next.reason, { id, from: row.status, action });
    if (!store.patterns.transition(id, row.status, next.to, { action, actor, note })) {
      throw new AppError('conflict', `pattern ${id} changed while being reviewed; try again`, { id });
    }
    hub.publish('review', `${action} ${row.signature}: ${row.status} → ${next.to} (${actor})`, { patternId: id });
    followOffload(store, hub, row, action, actor, opts.offload === true);
    const updated = store.patterns.get(id);
    if (!updated) throw notFound(`no pattern with id ${id}`, { id });
    return updated;
  });
}

/** Takes back the last approve/reject/deprecate of a pattern within UNDO_WINDOW_MS, as its own review row. */
export function undoReview(store: Store, hub: Hub, id: number, actor: string, now = Date.now()): PatternRow {
  return store.tx(() => {
    const row = store.patterns.get(id);
    if (!row) throw notFound(`no pattern with id ${id}`, { id });
    const last = store.patterns.lastReview(id);
    if (!last || !UNDOABLE.has(last.action) || last.from_status === null) {
      throw new AppError('conflict', `pattern ${id} has no review to undo`, { id });
    }
    if (now - Date.parse(last.created_at) > UNDO_WINDOW_MS) {
      throw new AppError(
        'conflict',
        `the last review of pattern ${id} is older than ${UNDO_WINDOW_MS / 1000} s and can no longer be undone`,
        { id },
      );
    }
    if (row.status !== last.to_status)
      throw new AppError('conflict', `pattern ${id} changed since its last review`, { id });
    const back: PatternStatus = last.from_status;
    store.patterns.transition(id, row.status, back, { action: 'undo', actor, note: `undo ${last.action}` });
    hub.publish('review', `undo ${last.action} ${row.signature}: ${row.status} → ${back} (${actor})`, {
      patternId: id,
    });
    followOffload(store, hub, row, 'undo', actor);
    const updated = store.patterns.get(id);
    if (!updated) throw notFound(`no pattern with id ${id}`, { id });
    return updated;
  });
}

/** Deprecates every active pattern (emergency stop for routing). */
export function rollbackAll(store: Store, hub: Hub, actor: string, note: string | null): number[] {
  return store.tx(() => {
    const done: number[] = [];
    for (const row of store.patterns.withStatus('active')) {
      if (store.patterns.transition(row.id, 'active', 'deprecated', { action: 'rollback', actor, note })) {
        done.push(row.id);
        followOffload(store, hub, row, 'rollback', actor);
      }
    }
    if (done.length > 0) hub.publish('review', `rollback: ${done.length} active pattern(s) deprecated (${actor})`);
    return done;
  });
}
