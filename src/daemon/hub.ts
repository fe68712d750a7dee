import { randomBytes } from 'node:crypto';
import type { DaemonEvent, DaemonEventKind, EventsChanged, SubscribeResult } from '../rpc/protocol.js';

export interface Subscriber {
  id: number;
  send(params: EventsChanged): void;
}

const RING_SIZE = 5000;
const FRESH_BACKLOG = 200;

/** Formats and parses cursors `c:<instance>:<seq>`. */
export function formatCursor(instance: string, seq: number): string {
  return `c:${instance}:${seq}`;
}

export function parseCursor(cursor: string): { instance: string; seq: number } | null {
  const m = /^c:([0-9a-f]+):(\d+)$/.exec(cursor);
  if (!m || !m[1] || !m[2]) return null;
  const seq = Number(m[2]);
  return Number.isSafeInteger(seq) ? { instance: m[1], seq } : null;
}

/**
 * The live event feed: a bounded in-memory ring of recent events with monotonically increasing
 * sequence numbers, and connection-scoped subscriptions that receive settled batches.
 */
export class Hub {
  readonly instanceId = randomBytes(6).toString('hex');
  private seq = 0;
  private ring: DaemonEvent[] = [];
  private pending: DaemonEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly subscribers = new Map<number, Subscriber>();
  private readonly listeners = new Set<(ev: DaemonEvent) => void>();

  constructor(private readonly settleMs = 40) {}

  get cursor(): string {
    return formatCursor(this.instanceId, this.seq);
  }

  publish(
    kind: DaemonEventKind,
    summary: string,
    extra: Partial<Pick<DaemonEvent, 'sessionId' | 'patternId'>> = {},
    ts?: string,
  ): void {
    const ev: DaemonEvent = { seq: ++this.seq, kind, ts: ts ?? new Date().toISOString(), summary, ...extra };
    this.ring.push(ev);
    if (this.ring.length > RING_SIZE * 1.25) this.ring = this.ring.slice(-RING_SIZE);
    for (const l of this.listeners) l(ev);
    if (this.subscribers.size === 0) return;
    this.pending.push(ev);
    this.timer ??= setTimeout(() => this.flush(), this.settleMs);
  }

  /**
   * Calls `fn` with every event as it is published, in the publisher's call (often inside a store
   * transaction: a listener only takes note and acts later). Returns the way to stop listening.
   */
  listen(fn: (ev: DaemonEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch: EventsChanged = { cursor: this.cursor, events: this.pending };
    this.pending = [];
    for (const s of this.subscribers.values()) s.send(batch);
  }

  subscribe(sub: Subscriber, since: string | undefined): SubscribeResult {
    this.subscribers.set(sub.id, sub);
    return this.since(since, FRESH_BACKLOG);
  }

  unsubscribe(id: number): void {
    this.subscribers.delete(id);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  recent(limit: number): SubscribeResult {
    return { cursor: this.cursor, isFreshInstance: true, events: this.ring.slice(-limit) };
  }

  private since(since: string | undefined, backlog: number): SubscribeResult {
    // Events still waiting for the settle timer are delivered by that flush, not here. They are the
    // ring's tail (both are appended in order), so no per-event search is needed.
    const firstPending = this.pending[0]?.seq ?? Infinity;
    const cut = this.ring.findIndex((e) => e.seq >= firstPending);
    const delivered = cut < 0 ? this.ring : this.ring.slice(0, cut);
    const last = delivered.at(-1)?.seq ?? this.seq - this.pending.length;
    const cursor = formatCursor(this.instanceId, last);
    const parsed = since ? parseCursor(since) : null;
    const oldest = delivered[0]?.seq ?? last + 1;
    if (!parsed || parsed.instance !== this.instanceId || parsed.seq > last || parsed.seq < oldest - 1) {
      return { cursor, isFreshInstance: true, events: delivered.slice(-backlog) };
    }
    return { cursor, isFreshInstance: false, events: delivered.filter((e) => e.seq > parsed.seq) };
  }

  close(): void {
    this.flush();
    this.subscribers.clear();
    this.listeners.clear();
  }
}
