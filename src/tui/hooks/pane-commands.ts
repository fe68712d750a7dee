/**
 * What a command does while no overlay is open: switch panes, move the selection (or scroll the event
 * feed), and act on the Patterns pane's list and its selected pattern. Commands arrive already matched
 * from keys by keymap.ts.
 */
import { assertNever } from '../../core/assert-never.js';
import type { PatternSummary } from '../../rpc/protocol.js';
import { keyLabel, type Command } from '../keymap.js';
import { selectedIndex, type DashboardAction, type Pane, type ReviewAction } from '../state/dashboard.js';
import type { Layout } from '../state/layout.js';
import { offload, requestReview, say, undo, type ActionContext } from './review-actions.js';

export interface PaneContext extends ActionContext {
  /** The filtered, sorted pattern rows as shown. */
  readonly rows: readonly PatternSummary[];
  readonly layout: Layout;
  readonly eventsReceived: number;
  /** How far the feed can scroll back. */
  readonly feedMax: number;
}

type PaneSwitch = 'nextPane' | 'prevPane' | 'panePatterns' | 'paneSavings' | 'paneQuota' | 'paneEvents';
type Movement = 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom';
type ListCommand = 'statusFilter' | 'sort' | 'sortReverse';

const PANE_OF: Readonly<Record<Exclude<PaneSwitch, 'nextPane' | 'prevPane'>, Pane>> = {
  panePatterns: 'patterns',
  paneSavings: 'savings',
  paneQuota: 'quota',
  paneEvents: 'events',
};

const LIST_ACTION: Readonly<Record<ListCommand, DashboardAction>> = {
  statusFilter: { type: 'cycleStatusFilter' },
  sort: { type: 'cycleSort' },
  sortReverse: { type: 'reverseSort' },
};

/** The pane shown and the pattern selected on it when the key arrived. */
interface PaneView {
  readonly pane: Pane;
  readonly selected: PatternSummary | undefined;
}

const onPatternsPane = (what: string): string =>
  `${what} works on the Patterns pane (press ${keyLabel('panePatterns')})`;

function switchPane(ctx: PaneContext, cmd: PaneSwitch): void {
  if (cmd === 'nextPane' || cmd === 'prevPane')
    ctx.store.dispatch({ type: 'cyclePane', delta: cmd === 'nextPane' ? 1 : -1 });
  else ctx.store.dispatch({ type: 'setPane', pane: PANE_OF[cmd] });
}

/** Moves the pattern selection, or scrolls the event feed (newest at the bottom). */
function move(ctx: PaneContext, pane: Pane, cmd: Movement): void {
  const { rows, feedMax } = ctx;
  const viewport = ctx.layout.tableRows;
  if (cmd === 'top' || cmd === 'bottom') {
    if (pane === 'patterns') ctx.store.dispatch({ type: 'moveTo', edge: cmd, rows, viewport });
    else if (pane === 'events')
      ctx.store.dispatch({ type: 'scrollFeed', delta: cmd === 'top' ? feedMax : -feedMax, max: feedMax });
    return;
  }
  const step = cmd === 'up' || cmd === 'down' ? 1 : viewport;
  const sign = cmd === 'up' || cmd === 'pageUp' ? -1 : 1;
  if (pane === 'patterns') ctx.store.dispatch({ type: 'move', delta: sign * step, rows, viewport });
  else if (pane === 'events') ctx.store.dispatch({ type: 'scrollFeed', delta: -sign * step, max: feedMax });
}

/** Re-sorting or re-filtering keeps the selected pattern selected (not the row number). */
function relist(ctx: PaneContext, selected: PatternSummary | undefined, cmd: ListCommand): void {
  ctx.store.dispatch({ type: 'setPane', pane: 'patterns' });
  if (selected !== undefined) ctx.store.dispatch({ type: 'select', id: selected.id });
  ctx.store.dispatch(LIST_ACTION[cmd]);
}

function reviewSelected(ctx: PaneContext, view: PaneView, action: ReviewAction): void {
  if (view.pane !== 'patterns') say(ctx, onPatternsPane(action));
  else if (view.selected === undefined) say(ctx, 'no pattern selected');
  else requestReview(ctx, action, view.selected, view.selected.status);
}

function openFilter(ctx: PaneContext): void {
  ctx.store.dispatch({ type: 'setPane', pane: 'patterns' });
  ctx.store.dispatch({ type: 'openFilter' });
}

/** Runs one command on the panes. */
export function paneCommand(ctx: PaneContext, cmd: Exclude<Command, 'quit'>): void {
  const s = ctx.store.getState();
  const view: PaneView = { pane: s.pane, selected: ctx.rows[selectedIndex(ctx.rows, s.selectedId)] };
  const dispatch = ctx.store.dispatch;
  switch (cmd) {
    case 'help':
      return dispatch({ type: 'toggleHelp' });
    case 'close':
      return dispatch({ type: 'clearFilter' });
    case 'nextPane':
    case 'prevPane':
    case 'panePatterns':
    case 'paneSavings':
    case 'paneQuota':
    case 'paneEvents':
      return switchPane(ctx, cmd);
    case 'up':
    case 'down':
    case 'pageUp':
    case 'pageDown':
    case 'top':
    case 'bottom':
      return move(ctx, view.pane, cmd);
    case 'details':
      if (view.pane === 'patterns' && view.selected !== undefined)
        dispatch({ type: 'openDetails', id: view.selected.id });
      return;
    case 'approve':
    case 'deprecate':
    case 'reject':
      return reviewSelected(ctx, view, cmd);
    case 'undo':
      return undo(ctx);
    case 'offload':
      if (view.pane === 'patterns') offload(ctx, view.selected);
      else say(ctx, onPatternsPane('offload'));
      return;
    case 'filter':
      return openFilter(ctx);
    case 'statusFilter':
    case 'sort':
    case 'sortReverse':
      return relist(ctx, view.selected, cmd);
    case 'pause':
      return dispatch({ type: 'togglePause', received: ctx.eventsReceived });
    default:
      assertNever(cmd);
  }
}
