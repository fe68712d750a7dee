import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatCursor, Hub, parseCursor } from '../../src/daemon/hub.js';
import type { EventsChanged } from '../../src/rpc/protocol.js';

/** A subscriber that records every batch it is sent. */
function recorder(id: number): { id: number; batches: EventsChanged[]; send: (b: EventsChanged) => void } {
  const batches: EventsChanged[] = [];
  return { id, batches, send: (b) => batches.push(b) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('cursors', () => {
  it.each([
    ['abc123', 0],
    ['deadbeef0000', 42],
    ['0', Number.MAX_SAFE_INTEGER],
  ])('formats and parses %s:%i', (instance, seq) => {
    const cursor = formatCursor(instance, seq);
    expect(cursor).toBe(`c:${instance}:${seq}`);
    expect(parseCursor(cursor)).toEqual({ instance, seq });
  });

  it.each([
    '',
    'c:',
    'c::1',
    'c:abc:',
    'c:abc:-1',
    'c:abc:1.5',
    'c:abc:1x',
    'x:abc:1',
    'c:XYZ:1',
    'c:abc:1:2',
    ' c:abc:1',
    'c:abc:99999999999999999999',
  ])('rejects %j', (cursor) => {
    expect(parseCursor(cursor)).toBeNull();
  });
});

describe('Hub', () => {
  it('has a random instance id per start, and its cursor names it', () => {
    const a = new Hub();
    const b = new Hub();
    expect(a.instanceId).toMatch(/^[0-9a-f]+$/);
    expect(a.instanceId).not.toBe(b.instanceId);
    expect(parseCursor(a.cursor)).toEqual({ instance: a.instanceId, seq: 0 });
  });

  it('answers a fresh instance with a snapshot when there is no cursor', () => {
    const hub = new Hub();
    hub.publish('hook_event', 'one');
    hub.publish('tool_call', 'two');
    const r = hub.subscribe(recorder(1), undefined);
    expect(r.isFreshInstance).toBe(true);
    expect(r.events.map((e) => e.summary)).toEqual(['one', 'two']);
    expect(r.cursor).toBe(formatCursor(hub.instanceId, 2));
  });

  it.each([
    ['another instance', (hub: Hub) => formatCursor(hub.instanceId === 'abc' ? 'abd' : 'abc', 1)],
    ['a malformed cursor', () => 'garbage'],
    ['a cursor from the future', (hub: Hub) => formatCursor(hub.instanceId, 99)],
  ])('answers %s with isFreshInstance and the snapshot', (_name, cursorFor) => {
    const hub = new Hub();
    hub.publish('usage', 'u1');
    const r = hub.subscribe(recorder(1), cursorFor(hub));
    expect(r.isFreshInstance).toBe(true);
    expect(r.events.map((e) => e.summary)).toEqual(['u1']);
  });

  it('gives only newer events for a cursor of this instance', () => {
    const hub = new Hub();
    hub.publish('hook_event', 'a');
    const first = hub.subscribe(recorder(1), undefined);
    hub.unsubscribe(1);
    hub.publish('hook_event', 'b');
    hub.publish('hook_event', 'c');
    const again = hub.subscribe(recorder(2), first.cursor);
    expect(again.isFreshInstance).toBe(false);
    expect(again.events.map((e) => e.summary)).toEqual(['b', 'c']);
    expect(again.events.map((e) => e.seq)).toEqual([2, 3]);
    expect(parseCursor(again.cursor)?.seq).toBe(3);
    const none = hub.subscribe(recorder(3), again.cursor);
    expect(none).toEqual({ cursor: again.cursor, isFreshInstance: false, events: [] });
  });

  it('treats a cursor older than the ring as a fresh instance', () => {
    const hub = new Hub();
    hub.publish('hook_event', 'first');
    const old = hub.cursor;
    for (let i = 0; i < 7000; i++) hub.publish('hook_event', `e${i}`);
    const r = hub.subscribe(recorder(1), formatCursor(hub.instanceId, 0));
    expect(r.isFreshInstance).toBe(true);
    expect(r.events.length).toBeLessThanOrEqual(200);
    expect(r.events.at(-1)?.summary).toBe('e6999');
    expect(hub.subscribe(recorder(2), old).isFreshInstance).toBe(true);
  });

  it('settles a burst into one batch per subscriber, carrying the last cursor', () => {
    vi.useFakeTimers();
    const hub = new Hub(40);
    const a = recorder(1);
    const b = recorder(2);
    hub.subscribe(a, undefined);
    hub.subscribe(b, undefined);
    hub.publish('hook_event', 'x');
    hub.publish('tool_call', 'y');
    vi.advanceTimersByTime(39);
    hub.publish('usage', 'z');
    expect(a.batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(a.batches).toHaveLength(1);
    expect(a.batches[0]?.events.map((e) => e.summary)).toEqual(['x', 'y', 'z']);
    expect(a.batches[0]?.cursor).toBe(formatCursor(hub.instanceId, 3));
    expect(b.batches).toEqual(a.batches);
    hub.publish('usage', 'w');
    vi.advanceTimersByTime(40);
    expect(a.batches.map((batch) => batch.events.map((e) => e.seq))).toEqual([[1, 2, 3], [4]]);
  });

  it('never gives a pending event twice to a subscriber that joins mid-settle', () => {
    vi.useFakeTimers();
    const hub = new Hub(40);
    hub.subscribe(recorder(1), undefined);
    hub.publish('hook_event', 'before');
    hub.flush();
    hub.publish('hook_event', 'pending');
    const late = recorder(2);
    const r = hub.subscribe(late, undefined);
    expect(r.events.map((e) => e.summary)).toEqual(['before']);
    expect(parseCursor(r.cursor)?.seq).toBe(1);
    vi.advanceTimersByTime(40);
    expect(late.batches.map((batch) => batch.events.map((e) => e.summary))).toEqual([['pending']]);
  });

  it('stops sending to a subscriber that left, and sends nothing with no subscribers', () => {
    vi.useFakeTimers();
    const hub = new Hub(10);
    const a = recorder(1);
    hub.subscribe(a, undefined);
    hub.unsubscribe(1);
    expect(hub.subscriberCount).toBe(0);
    hub.publish('pattern', 'p');
    vi.advanceTimersByTime(100);
    expect(a.batches).toEqual([]);
  });

  it('flushes what is pending on close', () => {
    vi.useFakeTimers();
    const hub = new Hub(1000);
    const a = recorder(1);
    hub.subscribe(a, undefined);
    hub.publish('warning', 'last words');
    hub.close();
    expect(a.batches.map((b) => b.events.map((e) => e.summary))).toEqual([['last words']]);
    expect(hub.subscriberCount).toBe(0);
  });

  it('returns the most recent events, newest last', () => {
    const hub = new Hub();
    for (let i = 1; i <= 5; i++) hub.publish('hook_event', `e${i}`, { sessionId: 's1' }, `2026-01-0${i}T00:00:00.000Z`);
    const r = hub.recent(2);
    expect(r.events).toEqual([
      { seq: 4, kind: 'hook_event', ts: '2026-01-04T00:00:00.000Z', summary: 'e4', sessionId: 's1' },
      { seq: 5, kind: 'hook_event', ts: '2026-01-05T00:00:00.000Z', summary: 'e5', sessionId: 's1' },
    ]);
    expect(r.cursor).toBe(hub.cursor);
  });
});
