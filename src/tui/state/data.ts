/**
 * Server data as the TUI last saw it, and the reducer that folds RPC answers and `events/changed`
 * notifications into it. Pure; the hook `use-daemon-data` feeds it.
 */
import { assertNever } from '../../core/assert-never.js';
import type {
  DaemonEvent,
  ForecastResult,
  PatternDetail,
  PatternSummary,
  SavingsReplayResult,
  SavingsSummary,
  StatusResult,
  SubscribeResult,
  UsageReportResult,
} from '../../rpc/protocol.js';

/** The feed keeps at most this many events. */
export const MAX_FEED_EVENTS = 500;

export interface Resources {
  patterns: readonly PatternSummary[];
  status: StatusResult;
  forecast: ForecastResult;
  savings: SavingsSummary;
  /** what the compactors would have saved on the recorded outputs of the last 30 days */
  replay: SavingsReplayResult;
  usage: UsageReportResult;
  detail: PatternDetail;
}
export type ResourceKey = keyof Resources;

export interface DataState {
  patterns: readonly PatternSummary[] | null;
  status: StatusResult | null;
  forecast: ForecastResult | null;
  savings: SavingsSummary | null;
  replay: SavingsReplayResult | null;
  usage: UsageReportResult | null;
  detail: PatternDetail | null;
  events: readonly DaemonEvent[];
  /** Events received since start (also counts the ones dropped from the bounded feed). */
  eventsReceived: number;
  cursor: string | null;
  errors: Partial<Record<ResourceKey | 'events', string>>;
}

export const initialData: DataState = {
  patterns: null,
  status: null,
  forecast: null,
  savings: null,
  replay: null,
  usage: null,
  detail: null,
  events: [],
  eventsReceived: 0,
  cursor: null,
  errors: {},
};

export type Loaded = { [K in ResourceKey]: { type: 'loaded'; key: K; value: Resources[K] } }[ResourceKey];

export type DataAction =
  | Loaded
  | { type: 'failed'; key: ResourceKey | 'events'; error: string }
  | { type: 'subscribed'; result: SubscribeResult }
  | { type: 'events'; cursor: string; events: readonly DaemonEvent[] }
  | { type: 'patternChanged'; pattern: PatternSummary }
  /** Several answers applied in one update (one redraw per refresh, not one per resource). */
  | { type: 'batch'; actions: readonly DataAction[] };

function withoutError(errors: DataState['errors'], key: ResourceKey | 'events'): DataState['errors'] {
  if (errors[key] === undefined) return errors;
  const next = { ...errors };
  delete next[key];
  return next;
}

function appendBounded(list: readonly DaemonEvent[], more: readonly DaemonEvent[]): readonly DaemonEvent[] {
  if (more.length === 0) return list;
  const all = list.concat(more);
  return all.length > MAX_FEED_EVENTS ? all.slice(all.length - MAX_FEED_EVENTS) : all;
}

export function dataReducer(state: DataState, action: DataAction): DataState {
  switch (action.type) {
    case 'loaded':
      return { ...state, [action.key]: action.value, errors: withoutError(state.errors, action.key) };
    case 'failed':
      return { ...state, errors: { ...state.errors, [action.key]: action.error } };
    case 'subscribed': {
      const { result } = action;
      // A fresh instance (first subscribe, or the daemon restarted) sends its recent backlog:
      // it replaces what we had, so nothing is shown twice.
      const events = result.isFreshInstance
        ? appendBounded([], result.events)
        : appendBounded(state.events, result.events);
      return {
        ...state,
        events,
        eventsReceived: state.eventsReceived + result.events.length,
        cursor: result.cursor,
        errors: withoutError(state.errors, 'events'),
      };
    }
    case 'events':
      return {
        ...state,
        events: appendBounded(state.events, action.events),
        eventsReceived: state.eventsReceived + action.events.length,
        cursor: action.cursor,
      };
    case 'patternChanged': {
      const p = action.pattern;
      const patterns = state.patterns?.map((q) => (q.id === p.id ? p : q)) ?? null;
      const detail = state.detail !== null && state.detail.id === p.id ? { ...state.detail, ...p } : state.detail;
      return { ...state, patterns, detail };
    }
    case 'batch':
      return action.actions.reduce(dataReducer, state);
    default: {
      return assertNever(action);
    }
  }
}

/**
 * Which resources an `events/changed` batch makes stale. Every event may move the counts and the
 * ingest lag (status); pattern and review events touch the list and an open detail of that
 * pattern; savings and usage events the savings and quota figures.
 */
export function staleResources(events: readonly DaemonEvent[], detailId: number | null): Set<ResourceKey> {
  const keys = new Set<ResourceKey>();
  for (const e of events) {
    keys.add('status');
    switch (e.kind) {
      case 'pattern':
      case 'review':
        keys.add('patterns');
        if (detailId !== null && (e.patternId === detailId || e.patternId === null || e.patternId === undefined))
          keys.add('detail');
        break;
      case 'savings':
        keys.add('savings');
        keys.add('patterns');
        break;
      case 'usage':
        keys.add('forecast');
        keys.add('usage');
        break;
      case 'hook_event':
      case 'tool_call':
      case 'workflow_run':
      case 'quarantine':
      case 'warning':
        break;
      default: {
        assertNever(e.kind);
      }
    }
  }
  return keys;
}

export interface FeedWindow {
  /** Oldest first. */
  shown: readonly DaemonEvent[];
  /** Events that arrived since the feed was paused. */
  unseen: number;
  /** How far the view can scroll back. */
  maxScroll: number;
}

/**
 * The slice of the feed to draw: the newest `rows` events (as of the pause, when paused), moved
 * back by `scroll` rows.
 */
export function feedWindow(
  events: readonly DaemonEvent[],
  received: number,
  pausedAt: number | null,
  scroll: number,
  rows: number,
): FeedWindow {
  const unseen = pausedAt === null ? 0 : Math.max(0, received - pausedAt);
  const upto = events.length - Math.min(unseen, events.length);
  const maxScroll = Math.max(0, upto - rows);
  const end = upto - Math.min(Math.max(0, scroll), maxScroll);
  return { shown: events.slice(Math.max(0, end - rows), end), unseen, maxScroll };
}
