import { describe, expect, it } from 'vitest';
import {
  clampOffset,
  dashboardReducer,
  ERROR_MESSAGE_MS,
  initialDashboard,
  MESSAGE_MS,
  selectedIndex,
  undoable,
  type DashboardAction,
  type DashboardState,
  UNDO_WINDOW_MS,
} from '../../src/tui/state/dashboard.js';
import { connectionReducer, backoffDelay, type ConnectionState } from '../../src/tui/hooks/use-connection.js';
import { dataReducer, feedWindow, initialData, MAX_FEED_EVENTS, staleResources } from '../../src/tui/state/data.js';
import type { DaemonClient } from '../../src/rpc/client.js';
import type { DaemonEvent } from '../../src/rpc/protocol.js';
import { createUiStore } from '../../src/tui/state/ui-store.js';
import { makePattern } from './fake-client.js';

const run = (actions: DashboardAction[], from: DashboardState = initialDashboard): DashboardState =>
  actions.reduce(dashboardReducer, from);
const rows = Array.from({ length: 50 }, (_, i) => ({ id: i + 100 }));
const ev = (seq: number, kind: DaemonEvent['kind'] = 'tool_call', patternId?: number): DaemonEvent => ({
  seq,
  kind,
  ts: '2025-01-15T00:00:00.000Z',
  summary: `e${seq}`,
  ...(patternId === undefined ? {} : { patternId }),
});

describe('dashboard reducer', () => {
  it('switches and cycles panes', () => {
    expect(run([{ type: 'setPane', pane: 'quota' }]).pane).toBe('quota');
    expect(run([{ type: 'cyclePane', delta: -1 }]).pane).toBe('events');
    expect(
      run([
        { type: 'cyclePane', delta: 1 },
        { type: 'cyclePane', delta: 1 },
      ]).pane,
    ).toBe('quota');
  });

  it('moves the selection by id and keeps it in the window', () => {
    const s = run([{ type: 'move', delta: 25, rows, viewport: 10 }]);
    expect(s.selectedId).toBe(125);
    expect(s.offset).toBe(16);
    const up = run([{ type: 'move', delta: -100, rows, viewport: 10 }], s);
    expect(up.selectedId).toBe(100);
    expect(up.offset).toBe(0);
    expect(run([{ type: 'moveTo', edge: 'bottom', rows, viewport: 10 }]).selectedId).toBe(149);
    expect(run([{ type: 'move', delta: 1, rows: [], viewport: 10 }])).toBe(initialDashboard);
  });

  it('selection helpers', () => {
    expect(selectedIndex([], 3)).toBe(-1);
    expect(selectedIndex(rows, null)).toBe(0);
    expect(selectedIndex(rows, 999)).toBe(0);
    expect(selectedIndex(rows, 120)).toBe(20);
    expect(clampOffset(0, 20, 10, 50)).toBe(11);
    expect(clampOffset(30, 20, 10, 50)).toBe(20);
    expect(clampOffset(45, 49, 10, 50)).toBe(40);
    expect(clampOffset(5, 0, 10, 3)).toBe(0);
  });

  it('help and details modals', () => {
    const h = run([{ type: 'toggleHelp' }]);
    expect(h.modal).toEqual({ kind: 'help', scroll: 0 });
    expect(run([{ type: 'scrollHelp', delta: 5, max: 3 }], h).modal).toEqual({ kind: 'help', scroll: 3 });
    expect(run([{ type: 'toggleHelp' }], h).modal).toEqual({ kind: 'none' });
    const d = run([{ type: 'openDetails', id: 7 }]);
    expect(d.modal).toEqual({ kind: 'details', id: 7 });
    expect(d.selectedId).toBe(7);
    expect(run([{ type: 'closeModal' }], d).modal).toEqual({ kind: 'none' });
  });

  it('filter prompt edits live, cancel restores, done keeps', () => {
    const typed = run([
      { type: 'openFilter' },
      { type: 'promptInput', text: 'pyt' },
      { type: 'promptInput', text: 'x' },
      { type: 'promptDelete' },
    ]);
    expect(typed.filterText).toBe('pyt');
    expect(run([{ type: 'promptCancel' }], typed).filterText).toBe('');
    const kept = run([{ type: 'promptDone' }], typed);
    expect(kept.filterText).toBe('pyt');
    expect(kept.modal.kind).toBe('none');
    expect(run([{ type: 'clearFilter' }], kept).filterText).toBe('');
  });

  it('reject prompt returns to where it came from', () => {
    const fromDetails = run([
      { type: 'openDetails', id: 7 },
      { type: 'openReject', id: 7, signature: 's' },
      { type: 'promptInput', text: 'no' },
    ]);
    expect(fromDetails.modal).toMatchObject({ kind: 'reject', text: 'no', back: { kind: 'details', id: 7 } });
    expect(run([{ type: 'promptDone' }], fromDetails).modal).toEqual({ kind: 'details', id: 7 });
    const cancelled = run([{ type: 'promptCancel' }], fromDetails);
    expect(cancelled.modal).toEqual({ kind: 'details', id: 7 });
    expect(cancelled.message?.text).toBe('reject cancelled');
  });

  it('status filter and sort cycle', () => {
    expect(run([{ type: 'cycleStatusFilter' }]).statusFilter).toBe('detected');
    expect(run(Array.from({ length: 8 }, () => ({ type: 'cycleStatusFilter' }) as const)).statusFilter).toBeNull();
    expect(run([{ type: 'cycleSort' }]).sort).toEqual({ key: 'confidence', desc: true });
    expect(run([{ type: 'reverseSort' }]).sort).toEqual({ key: 'savings', desc: false });
    expect(run(Array.from({ length: 4 }, () => ({ type: 'cycleSort' }) as const)).sort).toEqual({
      key: 'signature',
      desc: false,
    });
  });

  it('pause remembers how many events had arrived; feed scroll is clamped', () => {
    const p = run([{ type: 'togglePause', received: 42 }]);
    expect(p.pausedAt).toBe(42);
    expect(run([{ type: 'togglePause', received: 50 }], p).pausedAt).toBeNull();
    expect(run([{ type: 'scrollFeed', delta: 10, max: 4 }]).feedScroll).toBe(4);
    expect(run([{ type: 'scrollFeed', delta: -3, max: 4 }]).feedScroll).toBe(0);
  });

  it('one action at a time; success remembers the review for undo, for 10 s', () => {
    const started = run([{ type: 'actionStarted', kind: 'approve', id: 3, message: 'approving' }]);
    expect(started.pending).toEqual({ kind: 'approve', id: 3 });
    expect(run([{ type: 'actionStarted', kind: 'reject', id: 4, message: 'x' }], started)).toBe(started);
    const done = run(
      [{ type: 'actionSucceeded', kind: 'approve', id: 3, signature: 's', at: 1000, message: 'ok' }],
      started,
    );
    expect(done.pending).toBeNull();
    expect(started.message).toEqual({ text: 'approving', tone: 'info', ms: null });
    expect(done.message).toEqual({ text: 'ok', tone: 'ok', ms: UNDO_WINDOW_MS });
    expect(undoable(done, 11_000)).toEqual({ action: 'approve', id: 3, signature: 's', at: 1000 });
    expect(undoable(done, 11_001)).toBeNull();
    const undone = run(
      [{ type: 'actionSucceeded', kind: 'undo', id: 3, signature: 's', at: 2000, message: 'undone' }],
      done,
    );
    expect(undone.lastReview).toBeNull();
    expect(undone.message).toEqual({ text: 'undone', tone: 'ok', ms: MESSAGE_MS });
    const failed = run([
      { type: 'actionStarted', kind: 'deprecate', id: 3, message: '' },
      { type: 'actionFailed', message: 'boom' },
    ]);
    expect(failed.pending).toBeNull();
    expect(failed.message).toEqual({ text: 'boom', tone: 'error', ms: ERROR_MESSAGE_MS });
  });

  it('a message expires only while it is still the one shown', () => {
    const said = run([{ type: 'say', text: 'first', tone: 'info' }]);
    const first = said.message;
    expect(first).toEqual({ text: 'first', tone: 'info', ms: MESSAGE_MS });
    if (first === null) return;
    expect(run([{ type: 'expireMessage', message: first }], said).message).toBeNull();
    const replaced = run([{ type: 'say', text: 'first', tone: 'info' }], said);
    expect(run([{ type: 'expireMessage', message: first }], replaced)).toBe(replaced);
  });
});

describe('data reducer', () => {
  it('stores loaded resources and errors', () => {
    const p = [makePattern(1)];
    const s = dataReducer(dataReducer(initialData, { type: 'failed', key: 'patterns', error: 'down' }), {
      type: 'loaded',
      key: 'patterns',
      value: p,
    });
    expect(s.patterns).toBe(p);
    expect(s.errors.patterns).toBeUndefined();
  });

  it('a fresh instance replaces the feed; a resumed one appends', () => {
    const a = dataReducer(initialData, {
      type: 'subscribed',
      result: { cursor: 'c:1:2', isFreshInstance: true, events: [ev(1), ev(2)] },
    });
    const b = dataReducer(a, {
      type: 'subscribed',
      result: { cursor: 'c:1:3', isFreshInstance: false, events: [ev(3)] },
    });
    expect(b.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    const c = dataReducer(b, {
      type: 'subscribed',
      result: { cursor: 'c:2:1', isFreshInstance: true, events: [ev(1)] },
    });
    expect(c.events.map((e) => e.seq)).toEqual([1]);
    expect(c.cursor).toBe('c:2:1');
    expect(c.eventsReceived).toBe(4);
  });

  it('bounds the feed', () => {
    const many = Array.from({ length: MAX_FEED_EVENTS + 100 }, (_, i) => ev(i + 1));
    const s = dataReducer(initialData, { type: 'events', cursor: 'c:1:600', events: many });
    expect(s.events).toHaveLength(MAX_FEED_EVENTS);
    expect(s.events[0]?.seq).toBe(101);
    expect(s.eventsReceived).toBe(MAX_FEED_EVENTS + 100);
  });

  it('applies an action result to the list and the open detail', () => {
    const list = dataReducer(initialData, { type: 'loaded', key: 'patterns', value: [makePattern(1), makePattern(2)] });
    const withDetail = dataReducer(list, {
      type: 'loaded',
      key: 'detail',
      value: { ...makePattern(2), reviews: [], tool: null, contextProfile: null, confidenceBreakdown: {} },
    });
    const s = dataReducer(withDetail, { type: 'patternChanged', pattern: makePattern(2, { status: 'approved' }) });
    expect(s.patterns?.map((p) => p.status)).toEqual(['candidate', 'approved']);
    expect(s.detail?.status).toBe('approved');
    expect(s.detail?.reviews).toEqual([]);
  });

  it('knows what each event kind makes stale', () => {
    expect([...staleResources([ev(1, 'tool_call')], null)]).toEqual(['status']);
    expect([...staleResources([ev(1, 'review', 3)], 3)].sort()).toEqual(['detail', 'patterns', 'status']);
    expect([...staleResources([ev(1, 'review', 4)], 3)].sort()).toEqual(['patterns', 'status']);
    expect([...staleResources([ev(1, 'usage')], null)].sort()).toEqual(['forecast', 'status', 'usage']);
    expect([...staleResources([ev(1, 'savings')], null)].sort()).toEqual(['patterns', 'savings', 'status']);
    expect(staleResources([], null).size).toBe(0);
  });

  it('feed window: newest rows, frozen while paused, scrollable', () => {
    const events = Array.from({ length: 10 }, (_, i) => ev(i + 1));
    expect(feedWindow(events, 10, null, 0, 3).shown.map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(feedWindow(events, 10, null, 2, 3).shown.map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(feedWindow(events, 10, null, 99, 3)).toMatchObject({ maxScroll: 7 });
    const paused = feedWindow(events, 10, 8, 0, 3);
    expect(paused.shown.map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(paused.unseen).toBe(2);
  });
});

describe('connection reducer', () => {
  const a = { closed: false } as DaemonClient;
  const b = { closed: false } as DaemonClient;
  const start: ConnectionState = { client: a, status: 'connected', attempt: 0, lastError: null, generation: 0 };

  it('loses, retries with backoff, reconnects', () => {
    const lost = connectionReducer(start, { type: 'lost', client: a, reason: 'connection closed' });
    expect(lost).toMatchObject({ client: null, status: 'reconnecting', lastError: 'connection closed' });
    expect(connectionReducer(start, { type: 'lost', client: b, reason: 'x' })).toBe(start);
    const failed = connectionReducer(lost, { type: 'failed', error: 'ECONNREFUSED' });
    expect(failed.attempt).toBe(1);
    const back = connectionReducer(failed, { type: 'connected', client: b });
    expect(back).toEqual({ client: b, status: 'connected', attempt: 0, lastError: null, generation: 1 });
  });

  it('backoff doubles from 250 ms up to 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });
});

describe('store', () => {
  it('notifies only on change and reads synchronously', () => {
    const store = createUiStore(dashboardReducer, initialDashboard);
    let n = 0;
    const off = store.subscribe(() => n++);
    store.dispatch({ type: 'setPane', pane: 'patterns' });
    expect(n).toBe(0);
    store.dispatch({ type: 'actionStarted', kind: 'approve', id: 1, message: '' });
    expect(store.getState().pending).toEqual({ kind: 'approve', id: 1 });
    expect(n).toBe(1);
    off();
    store.dispatch({ type: 'say', text: 'x', tone: 'info' });
    expect(n).toBe(1);
  });
});
