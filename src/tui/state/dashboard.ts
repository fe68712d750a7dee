/**
 * UI-only state of the dashboard (pane, selection, filter, sort, modal, feed pause, the action in
 * flight and the last review that may be undone) and its reducer. Pure: no I/O, no clocks (times
 * arrive inside actions), tested as plain functions.
 */
import { assertNever } from '../../core/assert-never.js';
import { PATTERN_STATUSES, type PatternStatus } from '../../core/types.js';

export type Pane = 'patterns' | 'savings' | 'quota' | 'events';
export const PANES: readonly Pane[] = ['patterns', 'savings', 'quota', 'events'];
export const PANE_TITLES: Readonly<Record<Pane, string>> = {
  patterns: 'Patterns',
  savings: 'Savings',
  quota: 'Quota',
  events: 'Events',
};

export type SortKey = 'savings' | 'confidence' | 'uses' | 'lastSeen' | 'signature';
export const SORT_KEYS: readonly SortKey[] = ['savings', 'confidence', 'uses', 'lastSeen', 'signature'];

export type ReviewAction = 'approve' | 'reject' | 'deprecate';
export type PendingKind = ReviewAction | 'undo' | 'offload';

/** How long after a review `u` may undo it. */
export const UNDO_WINDOW_MS = 10_000;
/** How long a message stays in the message line before the key hints come back (errors stay longer). */
export const MESSAGE_MS = 8_000;
export const ERROR_MESSAGE_MS = 15_000;

export type BaseModal = { kind: 'none' } | { kind: 'help'; scroll: number } | { kind: 'details'; id: number };
export type Modal =
  | BaseModal
  | { kind: 'filter'; text: string; before: string }
  | { kind: 'reject'; id: number; signature: string; text: string; back: BaseModal };

export type Tone = 'info' | 'ok' | 'error';

/**
 * What the message line says. `ms`: how long it stays (null while the action it announces is in
 * flight: its answer replaces it). A message offering `u` lasts as long as the undo window.
 */
export interface Message {
  readonly text: string;
  readonly tone: Tone;
  readonly ms: number | null;
}

export interface DashboardState {
  pane: Pane;
  modal: Modal;
  selectedId: number | null;
  /** First visible row of the pattern table (clamped again at render time). */
  offset: number;
  filterText: string;
  statusFilter: PatternStatus | null;
  sort: { key: SortKey; desc: boolean };
  /** `eventsReceived` when the feed was paused; null while live. */
  pausedAt: number | null;
  /** Rows scrolled up from the newest event. */
  feedScroll: number;
  pending: { kind: PendingKind; id: number } | null;
  lastReview: { action: ReviewAction; id: number; signature: string; at: number } | null;
  message: Message | null;
}

export const initialDashboard: DashboardState = {
  pane: 'patterns',
  modal: { kind: 'none' },
  selectedId: null,
  offset: 0,
  filterText: '',
  statusFilter: null,
  sort: { key: 'savings', desc: true },
  pausedAt: null,
  feedScroll: 0,
  pending: null,
  lastReview: null,
  message: null,
};

export interface RowRef {
  readonly id: number;
}

export type DashboardAction =
  | { type: 'setPane'; pane: Pane }
  | { type: 'cyclePane'; delta: 1 | -1 }
  | { type: 'move'; delta: number; rows: readonly RowRef[]; viewport: number }
  | { type: 'moveTo'; edge: 'top' | 'bottom'; rows: readonly RowRef[]; viewport: number }
  | { type: 'select'; id: number }
  | { type: 'toggleHelp' }
  | { type: 'scrollHelp'; delta: number; max: number }
  | { type: 'closeModal' }
  | { type: 'openDetails'; id: number }
  | { type: 'openFilter' }
  | { type: 'openReject'; id: number; signature: string }
  | { type: 'promptInput'; text: string }
  | { type: 'promptDelete' }
  | { type: 'promptCancel' }
  | { type: 'promptDone' }
  | { type: 'clearFilter' }
  | { type: 'cycleStatusFilter' }
  | { type: 'cycleSort' }
  | { type: 'reverseSort' }
  | { type: 'togglePause'; received: number }
  | { type: 'scrollFeed'; delta: number; max: number }
  | { type: 'actionStarted'; kind: PendingKind; id: number; message: string }
  | { type: 'actionSucceeded'; kind: PendingKind; id: number; signature: string; at: number; message: string }
  | { type: 'actionFailed'; message: string }
  | { type: 'say'; text: string; tone: Tone }
  /** The message's time is up: the line goes back to the hints unless another message replaced it. */
  | { type: 'expireMessage'; message: Message };

const say = (text: string, tone: Tone): Message => ({
  text,
  tone,
  ms: tone === 'error' ? ERROR_MESSAGE_MS : MESSAGE_MS,
});

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));

/** Index of the selected row in `rows`: the row with `selectedId`, else the first row, else -1. */
export function selectedIndex(rows: readonly RowRef[], selectedId: number | null): number {
  if (rows.length === 0) return -1;
  if (selectedId === null) return 0;
  const i = rows.findIndex((r) => r.id === selectedId);
  return i < 0 ? 0 : i;
}

/** The first visible row so that `index` is inside a window of `viewport` rows over `total`. */
export function clampOffset(offset: number, index: number, viewport: number, total: number): number {
  if (viewport <= 0 || total <= 0) return 0;
  let o = offset;
  if (index >= 0 && index < o) o = index;
  if (index >= o + viewport) o = index - viewport + 1;
  return clamp(o, 0, Math.max(0, total - viewport));
}

function selectAt(state: DashboardState, rows: readonly RowRef[], index: number, viewport: number): DashboardState {
  if (rows.length === 0) return state;
  const i = clamp(index, 0, rows.length - 1);
  const row = rows[i];
  if (row === undefined) return state;
  const current = selectedIndex(rows, state.selectedId);
  const offset = clampOffset(clampOffset(state.offset, current, viewport, rows.length), i, viewport, rows.length);
  if (row.id === state.selectedId && offset === state.offset) return state;
  return { ...state, selectedId: row.id, offset };
}

function cycle<T>(list: readonly T[], current: T, delta: number): T {
  const i = list.indexOf(current);
  const n = list.length;
  return list[(((i + delta) % n) + n) % n] as T;
}

function backOf(modal: Modal): BaseModal {
  if (modal.kind === 'reject') return modal.back;
  if (modal.kind === 'filter') return { kind: 'none' };
  return modal;
}

export function dashboardReducer(state: DashboardState, action: DashboardAction): DashboardState {
  switch (action.type) {
    case 'setPane':
      return state.pane === action.pane ? state : { ...state, pane: action.pane };
    case 'cyclePane':
      return { ...state, pane: cycle(PANES, state.pane, action.delta) };
    case 'move': {
      const i = selectedIndex(action.rows, state.selectedId);
      return selectAt(state, action.rows, i + action.delta, action.viewport);
    }
    case 'moveTo':
      return selectAt(state, action.rows, action.edge === 'top' ? 0 : action.rows.length - 1, action.viewport);
    case 'select':
      return state.selectedId === action.id ? state : { ...state, selectedId: action.id };
    case 'toggleHelp':
      return { ...state, modal: state.modal.kind === 'help' ? { kind: 'none' } : { kind: 'help', scroll: 0 } };
    case 'scrollHelp': {
      if (state.modal.kind !== 'help') return state;
      const scroll = clamp(state.modal.scroll + action.delta, 0, Math.max(0, action.max));
      return scroll === state.modal.scroll ? state : { ...state, modal: { kind: 'help', scroll } };
    }
    case 'closeModal':
      return state.modal.kind === 'none' ? state : { ...state, modal: { kind: 'none' } };
    case 'openDetails':
      return { ...state, modal: { kind: 'details', id: action.id }, selectedId: action.id };
    case 'openFilter':
      return { ...state, modal: { kind: 'filter', text: state.filterText, before: state.filterText } };
    case 'openReject': {
      const back = state.modal.kind === 'details' ? state.modal : ({ kind: 'none' } as const);
      return { ...state, modal: { kind: 'reject', id: action.id, signature: action.signature, text: '', back } };
    }
    case 'promptInput': {
      const m = state.modal;
      if (m.kind === 'filter') {
        const text = m.text + action.text;
        return { ...state, modal: { ...m, text }, filterText: text, offset: 0 };
      }
      if (m.kind === 'reject') return { ...state, modal: { ...m, text: m.text + action.text } };
      return state;
    }
    case 'promptDelete': {
      const m = state.modal;
      if (m.kind === 'filter') {
        const text = [...m.text].slice(0, -1).join('');
        return { ...state, modal: { ...m, text }, filterText: text };
      }
      if (m.kind === 'reject') return { ...state, modal: { ...m, text: [...m.text].slice(0, -1).join('') } };
      return state;
    }
    case 'promptCancel': {
      const m = state.modal;
      if (m.kind === 'filter') return { ...state, modal: { kind: 'none' }, filterText: m.before };
      if (m.kind === 'reject') return { ...state, modal: m.back, message: say('reject cancelled', 'info') };
      return state;
    }
    case 'promptDone':
      return state.modal.kind === 'filter' || state.modal.kind === 'reject'
        ? { ...state, modal: backOf(state.modal) }
        : state;
    case 'clearFilter':
      return state.filterText === '' && state.statusFilter === null
        ? state
        : { ...state, filterText: '', statusFilter: null, offset: 0 };
    case 'cycleStatusFilter': {
      const options: readonly (PatternStatus | null)[] = [null, ...PATTERN_STATUSES];
      return { ...state, statusFilter: cycle(options, state.statusFilter, 1), offset: 0 };
    }
    case 'cycleSort': {
      const key = cycle(SORT_KEYS, state.sort.key, 1);
      return { ...state, sort: { key, desc: key !== 'signature' }, offset: 0 };
    }
    case 'reverseSort':
      return { ...state, sort: { ...state.sort, desc: !state.sort.desc }, offset: 0 };
    case 'togglePause':
      return state.pausedAt === null
        ? { ...state, pausedAt: action.received }
        : { ...state, pausedAt: null, feedScroll: 0 };
    case 'scrollFeed': {
      const feedScroll = clamp(state.feedScroll + action.delta, 0, Math.max(0, action.max));
      return feedScroll === state.feedScroll ? state : { ...state, feedScroll };
    }
    case 'actionStarted':
      if (state.pending !== null) return state;
      return {
        ...state,
        pending: { kind: action.kind, id: action.id },
        message: { text: action.message, tone: 'info', ms: null },
      };
    case 'actionSucceeded':
      return {
        ...state,
        pending: null,
        // an offload switch is not a review `u` takes back (`o` again does): the last review stays undoable
        lastReview:
          action.kind === 'undo'
            ? null
            : action.kind === 'offload'
              ? state.lastReview
              : { action: action.kind, id: action.id, signature: action.signature, at: action.at },
        // a review's message offers `u`: it goes when the undo window closes
        message: {
          text: action.message,
          tone: 'ok',
          ms: action.kind === 'undo' || action.kind === 'offload' ? MESSAGE_MS : UNDO_WINDOW_MS,
        },
      };
    case 'actionFailed':
      return { ...state, pending: null, message: say(action.message, 'error') };
    case 'say':
      return { ...state, message: say(action.text, action.tone) };
    case 'expireMessage':
      return state.message === action.message ? { ...state, message: null } : state;
    default: {
      return assertNever(action);
    }
  }
}

/** The review `u` would undo at `now`, or null when there is none or it is older than 10 s. */
export function undoable(state: DashboardState, now: number): DashboardState['lastReview'] {
  const r = state.lastReview;
  return r !== null && now - r.at <= UNDO_WINDOW_MS ? r : null;
}
