/**
 * The one `useInput` of the app. Routing by mode: an open prompt takes every key first (text,
 * enter, esc, backspace), then help, then details, then the panes. Keys become commands only
 * through keymap.ts. Review actions go through RPC; one may be in flight at a time (keys pressed
 * meanwhile are refused with a message, never sent twice); results and failures land in the
 * message line, never as exceptions.
 */
import { useCallback, useLayoutEffect, useRef } from 'react';
import { useApp, useInput, type Key } from 'ink';
import { assertNever } from '../../core/assert-never.js';
import { getErrorMessage } from '../../core/errors.js';
import type { DaemonClient } from '../../rpc/client.js';
import { METHODS, type PatternSummary } from '../../rpc/protocol.js';
import { helpRows, matchCommand, matchPromptCommand, promptText, type Command } from '../keymap.js';
import {
  selectedIndex,
  undoable,
  type DashboardAction,
  type DashboardState,
  type Pane,
  type PendingKind,
  type ReviewAction,
} from '../state/dashboard.js';
import type { ResourceKey } from '../state/data.js';
import type { Layout } from '../state/layout.js';
import type { UiStore } from '../state/ui-store.js';
import { reviewRefusal } from '../state/review-options.js';
import { toggleOffload } from './offload-action.js';

export interface CommandContext {
  readonly store: UiStore<DashboardState, DashboardAction>;
  /** The filtered, sorted pattern rows as shown. */
  readonly rows: readonly PatternSummary[];
  readonly layout: Layout;
  readonly client: DaemonClient | null;
  readonly eventsReceived: number;
  /** How far the feed can scroll back. */
  readonly feedMax: number;
  readonly refresh: (keys: Iterable<ResourceKey>) => void;
  readonly patternChanged: (p: PatternSummary) => void;
  readonly now: () => number;
  readonly actor: string;
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
const PANE_OF: Partial<Record<Command, Pane>> = {
  panePatterns: 'patterns',
  paneSavings: 'savings',
  paneQuota: 'quota',
  paneEvents: 'events',
};
const HELP_LINES = helpRows().length + 4;

export function useCommands(ctx: CommandContext): void {
  const { exit } = useApp();
  // Keys are handled with the context of the last commit, not of the render that subscribed:
  // the ref is updated during commit (a layout effect), before any key can arrive.
  const latest = useRef(ctx);
  useLayoutEffect(() => {
    latest.current = ctx;
  });

  const handler = useCallback(
    (input: string, key: Key) => {
      const { store, rows, layout, client, eventsReceived, feedMax, refresh, patternChanged, now, actor } =
        latest.current;
      const dispatch = store.dispatch;
      const say = (text: string, tone: 'info' | 'error' = 'info'): void => dispatch({ type: 'say', text, tone });

      /** Marks an RPC as started and returns the client, or null (with a message) when one is in flight. */
      const begin = (kind: PendingKind, id: number, text: string): DaemonClient | null => {
        const s = store.getState();
        if (s.pending !== null) {
          say(`still waiting for ${s.pending.kind} #${s.pending.id}; try again when it answers`);
          return null;
        }
        if (client === null) {
          say('not connected to the daemon (reconnecting); try again shortly', 'error');
          return null;
        }
        dispatch({ type: 'actionStarted', kind, id, message: text });
        return client;
      };

      const review = (action: ReviewAction, target: { id: number; signature: string }, note?: string): void => {
        const c = begin(action, target.id, `${ING[action]} #${target.id}…`);
        if (c === null) return;
        const params = note ? { id: target.id, actor, note } : { id: target.id, actor };
        void c.request(REVIEW_METHOD[action], params).then(
          (p) => {
            dispatch({
              type: 'actionSucceeded',
              kind: action,
              id: p.id,
              signature: p.signature,
              at: now(),
              message: `${PAST[action]} #${p.id} ${p.signature} → ${p.status} · u undoes (10 s)`,
            });
            patternChanged(p);
            refresh(AFTER_REVIEW);
          },
          (e: unknown) =>
            dispatch({ type: 'actionFailed', message: `${action} #${target.id} failed: ${getErrorMessage(e)}` }),
        );
      };

      const undo = (): void => {
        const last = undoable(store.getState(), now());
        if (last === null) {
          say('nothing to undo (a review can be undone for 10 s)');
          return;
        }
        const c = begin('undo', last.id, `undoing ${last.action} of #${last.id}…`);
        if (c === null) return;
        void c.request(METHODS.patternsUndo, { id: last.id, actor }).then(
          (p) => {
            dispatch({
              type: 'actionSucceeded',
              kind: 'undo',
              id: p.id,
              signature: p.signature,
              at: now(),
              message: `undid ${last.action} of #${p.id} ${p.signature} → ${p.status}`,
            });
            patternChanged(p);
            refresh(AFTER_REVIEW);
          },
          (e: unknown) => dispatch({ type: 'actionFailed', message: `undo #${last.id} failed: ${getErrorMessage(e)}` }),
        );
      };

      /** a / r / d on a pattern: one that does not apply says which do, and nothing is sent or asked. */
      const reviewKey = (
        action: ReviewAction,
        target: { id: number; signature: string },
        status: PatternSummary['status'] | undefined,
      ): void => {
        // while an action is in flight the status shown may be about to change: begin() says to wait
        const refused =
          status === undefined || store.getState().pending !== null
            ? null
            : reviewRefusal(action, { id: target.id, status });
        if (refused !== null) say(refused);
        else if (action === 'reject') dispatch({ type: 'openReject', id: target.id, signature: target.signature });
        else review(action, target);
      };

      const offload = (p: PatternSummary | undefined): void => {
        if (p === undefined) say('no pattern selected');
        else toggleOffload({ begin, dispatch, patternChanged, refresh, now, actor }, p);
      };

      const s = store.getState();
      const modal = s.modal;

      // 1. prompts take every key
      if (modal.kind === 'filter' || modal.kind === 'reject') {
        const pc = matchPromptCommand(input, key);
        if (pc === 'cancel') dispatch({ type: 'promptCancel' });
        else if (pc === 'deleteChar') dispatch({ type: 'promptDelete' });
        else if (pc === 'submit') {
          dispatch({ type: 'promptDone' });
          if (modal.kind === 'reject') review('reject', modal, modal.text.trim() || undefined);
        } else {
          const text = promptText(input, key);
          if (text !== '') dispatch({ type: 'promptInput', text });
        }
        return;
      }

      const cmd = matchCommand(input, key);
      if (cmd === undefined) return;
      if (cmd === 'quit') {
        exit();
        return;
      }

      // 2. help
      if (modal.kind === 'help') {
        if (cmd === 'help' || cmd === 'close') dispatch({ type: 'toggleHelp' });
        else if (cmd === 'up' || cmd === 'down')
          dispatch({ type: 'scrollHelp', delta: cmd === 'up' ? -1 : 1, max: HELP_LINES });
        return;
      }

      // 3. details act on the pattern shown
      if (modal.kind === 'details') {
        const shown = rows.find((r) => r.id === modal.id);
        const target = { id: modal.id, signature: shown?.signature ?? `#${modal.id}` };
        switch (cmd) {
          case 'close':
          case 'details':
            dispatch({ type: 'closeModal' });
            return;
          case 'help':
            dispatch({ type: 'toggleHelp' });
            return;
          case 'approve':
          case 'deprecate':
          case 'reject':
            reviewKey(cmd, target, shown?.status);
            return;
          case 'undo':
            undo();
            return;
          case 'offload':
            offload(shown);
            return;
          default:
            return;
        }
      }

      // 4. panes
      const selected = rows[selectedIndex(rows, s.selectedId)];
      /** Re-sorting or re-filtering keeps the selected pattern selected (not the row number). */
      const keepSelection = (): void => {
        dispatch({ type: 'setPane', pane: 'patterns' });
        if (selected !== undefined) dispatch({ type: 'select', id: selected.id });
      };
      const onPatterns = s.pane === 'patterns';
      const viewport = layout.tableRows;
      switch (cmd) {
        case 'help':
          dispatch({ type: 'toggleHelp' });
          return;
        case 'close':
          dispatch({ type: 'clearFilter' });
          return;
        case 'nextPane':
        case 'prevPane':
          dispatch({ type: 'cyclePane', delta: cmd === 'nextPane' ? 1 : -1 });
          return;
        case 'panePatterns':
        case 'paneSavings':
        case 'paneQuota':
        case 'paneEvents': {
          const pane = PANE_OF[cmd];
          if (pane !== undefined) dispatch({ type: 'setPane', pane });
          return;
        }
        case 'up':
        case 'down':
        case 'pageUp':
        case 'pageDown': {
          const step = cmd === 'up' || cmd === 'down' ? 1 : cmd === 'pageUp' || cmd === 'pageDown' ? viewport : 0;
          const sign = cmd === 'up' || cmd === 'pageUp' ? -1 : 1;
          if (onPatterns) dispatch({ type: 'move', delta: sign * step, rows, viewport });
          else if (s.pane === 'events') dispatch({ type: 'scrollFeed', delta: -sign * step, max: feedMax });
          return;
        }
        case 'top':
        case 'bottom':
          if (onPatterns) dispatch({ type: 'moveTo', edge: cmd, rows, viewport });
          else if (s.pane === 'events')
            dispatch({ type: 'scrollFeed', delta: cmd === 'top' ? feedMax : -feedMax, max: feedMax });
          return;
        case 'details':
          if (onPatterns && selected !== undefined) dispatch({ type: 'openDetails', id: selected.id });
          return;
        case 'approve':
        case 'deprecate':
        case 'reject':
          if (!onPatterns) {
            say(`${cmd} works on the Patterns pane (press 1)`);
            return;
          }
          if (selected === undefined) {
            say('no pattern selected');
            return;
          }
          reviewKey(cmd, selected, selected.status);
          return;
        case 'undo':
          undo();
          return;
        case 'offload':
          if (onPatterns) offload(selected);
          else say('offload works on the Patterns pane (press 1)');
          return;
        case 'filter':
          dispatch({ type: 'setPane', pane: 'patterns' });
          dispatch({ type: 'openFilter' });
          return;
        case 'statusFilter':
          keepSelection();
          dispatch({ type: 'cycleStatusFilter' });
          return;
        case 'sort':
          keepSelection();
          dispatch({ type: 'cycleSort' });
          return;
        case 'sortReverse':
          keepSelection();
          dispatch({ type: 'reverseSort' });
          return;
        case 'pause':
          dispatch({ type: 'togglePause', received: eventsReceived });
          return;
        default: {
          assertNever(cmd);
        }
      }
    },
    [exit],
  );

  useInput(handler);
}
