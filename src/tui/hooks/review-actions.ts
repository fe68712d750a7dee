/**
 * The actions that change a pattern over RPC: approve, reject, deprecate, undo and offload. One may be
 * in flight at a time (a second one is refused with a message, never sent twice); results and failures
 * land in the message line, never as exceptions.
 */
import { getErrorMessage } from '../../core/errors.js';
import type { DaemonClient } from '../../rpc/client.js';
import { METHODS, type PatternSummary } from '../../rpc/protocol.js';
import { keyLabel } from '../keymap.js';
import {
  undoable,
  type DashboardAction,
  type DashboardState,
  type PendingKind,
  type ReviewAction,
} from '../state/dashboard.js';
import type { ResourceKey } from '../state/data.js';
import { reviewRefusal } from '../state/review-options.js';
import type { UiStore } from '../state/ui-store.js';

/** What the actions need from the app. */
export interface ActionContext {
  readonly store: UiStore<DashboardState, DashboardAction>;
  readonly client: DaemonClient | null;
  readonly refresh: (keys: Iterable<ResourceKey>) => void;
  readonly patternChanged: (p: PatternSummary) => void;
  readonly now: () => number;
  readonly actor: string;
}

/** A pattern an action names in its messages. */
export interface ReviewTarget {
  readonly id: number;
  readonly signature: string;
}

const REVIEW_METHOD = {
  approve: METHODS.patternsApprove,
  reject: METHODS.patternsReject,
  deprecate: METHODS.patternsDeprecate,
} as const satisfies Record<ReviewAction, string>;

const PAST: Readonly<Record<ReviewAction, string>> = {
  approve: 'approved',
  reject: 'rejected',
  deprecate: 'deprecated',
};
const ING: Readonly<Record<ReviewAction, string>> = {
  approve: 'approving',
  reject: 'rejecting',
  deprecate: 'deprecating',
};
const AFTER_REVIEW: readonly ResourceKey[] = ['patterns', 'detail', 'savings', 'status'];

/** Puts `text` in the message line. */
export function say(ctx: Pick<ActionContext, 'store'>, text: string, tone: 'info' | 'error' = 'info'): void {
  ctx.store.dispatch({ type: 'say', text, tone });
}

/** Marks an RPC as started and returns the client, or null (with a message) when one is in flight. */
function begin(ctx: ActionContext, kind: PendingKind, id: number, text: string): DaemonClient | null {
  const s = ctx.store.getState();
  if (s.pending !== null) {
    say(ctx, `still waiting for ${s.pending.kind} #${s.pending.id}; try again when it answers`);
    return null;
  }
  if (ctx.client === null) {
    say(ctx, 'not connected to the daemon (reconnecting); try again shortly', 'error');
    return null;
  }
  ctx.store.dispatch({ type: 'actionStarted', kind, id, message: text });
  return ctx.client;
}

/** Sends one review; `note` is the reject reason, when one was given. */
export function review(ctx: ActionContext, action: ReviewAction, target: ReviewTarget, note?: string): void {
  const c = begin(ctx, action, target.id, `${ING[action]} #${target.id}…`);
  if (c === null) return;
  const { store, actor } = ctx;
  const params = note ? { id: target.id, actor, note } : { id: target.id, actor };
  void c.request(REVIEW_METHOD[action], params).then(
    (p) => {
      store.dispatch({
        type: 'actionSucceeded',
        kind: action,
        id: p.id,
        signature: p.signature,
        at: ctx.now(),
        message: `${PAST[action]} #${p.id} ${p.signature} → ${p.status} · ${keyLabel('undo')} undoes (10 s)`,
      });
      ctx.patternChanged(p);
      ctx.refresh(AFTER_REVIEW);
    },
    (e: unknown) =>
      store.dispatch({ type: 'actionFailed', message: `${action} #${target.id} failed: ${getErrorMessage(e)}` }),
  );
}

/** Takes back the last review while it is still undoable. */
export function undo(ctx: ActionContext): void {
  const { store } = ctx;
  const last = undoable(store.getState(), ctx.now());
  if (last === null) {
    say(ctx, 'nothing to undo (a review can be undone for 10 s)');
    return;
  }
  const c = begin(ctx, 'undo', last.id, `undoing ${last.action} of #${last.id}…`);
  if (c === null) return;
  void c.request(METHODS.patternsUndo, { id: last.id, actor: ctx.actor }).then(
    (p) => {
      store.dispatch({
        type: 'actionSucceeded',
        kind: 'undo',
        id: p.id,
        signature: p.signature,
        at: ctx.now(),
        message: `undid ${last.action} of #${p.id} ${p.signature} → ${p.status}`,
      });
      ctx.patternChanged(p);
      ctx.refresh(AFTER_REVIEW);
    },
    (e: unknown) => store.dispatch({ type: 'actionFailed', message: `undo #${last.id} failed: ${getErrorMessage(e)}` }),
  );
}

/**
 * A review command on a pattern: one that does not apply says which do, and nothing is sent or
 * asked; reject first asks for a reason.
 */
export function requestReview(
  ctx: ActionContext,
  action: ReviewAction,
  target: ReviewTarget,
  status: PatternSummary['status'] | undefined,
): void {
  // while an action is in flight the status shown may be about to change: begin() says to wait
  const refused =
    status === undefined || ctx.store.getState().pending !== null
      ? null
      : reviewRefusal(action, { id: target.id, status });
  if (refused !== null) say(ctx, refused);
  else if (action === 'reject') ctx.store.dispatch({ type: 'openReject', id: target.id, signature: target.signature });
  else review(ctx, action, target);
}

const AFTER_OFFLOAD: readonly ResourceKey[] = ['patterns', 'detail'];

/**
 * Switches offload for `p` through `offload/set` (off for an offloaded pattern, on for any other), or
 * says that no pattern is selected. The daemon refuses a pattern that is not approved or has no
 * compactor, and says why; the answer lands in the message line and the changed row is applied at
 * once; the daemon's `review` event refreshes the rest.
 */
export function offload(ctx: ActionContext, p: PatternSummary | undefined): void {
  if (p === undefined) {
    say(ctx, 'no pattern selected');
    return;
  }
  const on = !p.offload;
  const c = begin(ctx, 'offload', p.id, `${on ? 'offloading' : 'ending offload of'} #${p.id}…`);
  if (c === null) return;
  const { store } = ctx;
  void c.request(METHODS.offloadSet, { patternId: p.id, on, actor: ctx.actor }).then(
    (r) => {
      const q = r.pattern;
      const family = q?.offloadFamily ? ` (${q.offloadFamily})` : '';
      const off = on && !r.enabled ? ' · offload is switched off for every pattern (outloop offload on)' : '';
      store.dispatch({
        type: 'actionSucceeded',
        kind: 'offload',
        id: p.id,
        signature: q?.signature ?? p.signature,
        at: ctx.now(),
        message: `offload ${on ? 'on' : 'off'} for #${p.id} ${q?.signature ?? p.signature}${family}${off}`,
      });
      if (q !== null) ctx.patternChanged(q);
      ctx.refresh(AFTER_OFFLOAD);
    },
    (e: unknown) =>
      store.dispatch({
        type: 'actionFailed',
        message: `offload ${on ? 'on' : 'off'} #${p.id} failed: ${getErrorMessage(e)}`,
      }),
  );
}
