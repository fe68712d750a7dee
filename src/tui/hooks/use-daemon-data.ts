/**
 * Server data for the dashboard: subscribes to `events/changed` with the last cursor (again after
 * every reconnect), loads everything once, then refreshes only what incoming events make stale,
 * throttled. Notifications are coalesced so the UI updates at most once per `eventFlushMs`.
 * Nothing polls: with no events there are no timers.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { assertNever } from '../../core/assert-never.js';
import { getErrorMessage } from '../../core/errors.js';
import type { DaemonClient } from '../../rpc/client.js';
import { METHODS, NOTIFICATIONS, type EventsChanged, type PatternSummary } from '../../rpc/protocol.js';
import {
  dataReducer,
  initialData,
  staleResources,
  type DataAction,
  type DataState,
  type ResourceKey,
} from '../state/data.js';
import { Batcher, RefreshScheduler } from './batching.js';

/** The TUI filters and sorts locally; it asks for every pattern up to this many. */
export const PATTERN_FETCH_LIMIT = 50_000;
export const SAVINGS_DAYS = 30;

export interface DataOptions {
  /** Minimum time between two refreshes of stale data (default 1000 ms). */
  refreshMinIntervalMs: number;
  /** Window in which notifications are coalesced into one update (default 100 ms: ≤ 10 redraws/s). */
  eventFlushMs: number;
}

export const DEFAULT_DATA_OPTIONS: DataOptions = { refreshMinIntervalMs: 1000, eventFlushMs: 100 };

export interface DaemonData {
  data: DataState;
  /** Marks resources stale; they are reloaded within the throttle. */
  refresh: (keys: Iterable<ResourceKey>) => void;
  /** Applies a pattern returned by an action at once, before the refresh arrives. */
  patternChanged: (p: PatternSummary) => void;
}

/**
 * Loaded on connect. The replay runs over the recorded outputs of the last 30 days, so it is loaded
 * then and not again on every event (the offloaded runs' savings follow `savings` events).
 */
const ALL_KEYS: readonly ResourceKey[] = ['patterns', 'status', 'forecast', 'savings', 'replay', 'usage'];

function isEventsChanged(v: unknown): v is EventsChanged {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o['cursor'] === 'string' && Array.isArray(o['events']);
}

function sinceDay(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Loads one resource; the answer or the failure comes back as an action, never as a throw. */
async function load(client: DaemonClient, key: ResourceKey, detailId: number | null): Promise<DataAction | null> {
  try {
    switch (key) {
      case 'patterns':
        return {
          type: 'loaded',
          key,
          value: await client.request(METHODS.patternsList, { limit: PATTERN_FETCH_LIMIT }),
        };
      case 'status':
        return { type: 'loaded', key, value: await client.request(METHODS.daemonStatus, {}) };
      case 'forecast':
        return { type: 'loaded', key, value: await client.request(METHODS.forecast, {}) };
      case 'savings':
        return { type: 'loaded', key, value: await client.request(METHODS.savingsSummary, { days: SAVINGS_DAYS }) };
      case 'replay':
        return {
          type: 'loaded',
          key,
          value: await client.request(METHODS.savingsReplay, { since: sinceDay(SAVINGS_DAYS) }),
        };
      case 'usage':
        return {
          type: 'loaded',
          key,
          value: await client.request(METHODS.usageReport, { kind: 'daily', since: sinceDay(SAVINGS_DAYS) }),
        };
      case 'detail':
        return detailId === null
          ? null
          : { type: 'loaded', key, value: await client.request(METHODS.patternsGet, { id: detailId }) };
      default: {
        return assertNever(key);
      }
    }
  } catch (e) {
    return { type: 'failed', key, error: getErrorMessage(e) };
  }
}

export function useDaemonData(
  client: DaemonClient | null,
  detailId: number | null,
  options: DataOptions = DEFAULT_DATA_OPTIONS,
): DaemonData {
  const [data, dispatch] = useReducer(dataReducer, initialData);
  const cursorRef = useRef<string | null>(null);
  const detailIdRef = useRef(detailId);
  const schedulerRef = useRef<RefreshScheduler<ResourceKey> | null>(null);

  useEffect(() => {
    detailIdRef.current = detailId;
  }, [detailId]);

  const { refreshMinIntervalMs, eventFlushMs } = options;
  useEffect(() => {
    if (client === null) return;
    let live = true;
    const put = (a: DataAction): void => {
      if (live) dispatch(a);
    };
    const scheduler = new RefreshScheduler<ResourceKey>(async (keys) => {
      const actions = await Promise.all([...keys].map((k) => load(client, k, detailIdRef.current)));
      put({ type: 'batch', actions: actions.filter((a): a is DataAction => a !== null) });
    }, refreshMinIntervalMs);
    schedulerRef.current = scheduler;
    const batcher = new Batcher<EventsChanged>((batch) => {
      const last = batch[batch.length - 1];
      if (last === undefined) return;
      const events = batch.flatMap((b) => b.events);
      put({ type: 'events', cursor: last.cursor, events });
      scheduler.mark(staleResources(events, detailIdRef.current));
    }, eventFlushMs);

    const off = client.onNotification((method, params) => {
      if (method !== NOTIFICATIONS.eventsChanged || !isEventsChanged(params)) return;
      cursorRef.current = params.cursor;
      batcher.push(params);
    });
    const since = cursorRef.current;
    void client.request(METHODS.eventsSubscribe, since === null ? {} : { since }).then(
      (result) => {
        if (!live) return;
        cursorRef.current = result.cursor;
        put({ type: 'subscribed', result });
      },
      (e: unknown) => put({ type: 'failed', key: 'events', error: getErrorMessage(e) }),
    );
    scheduler.mark(ALL_KEYS);

    return () => {
      live = false;
      off();
      batcher.dispose();
      scheduler.dispose();
      if (schedulerRef.current === scheduler) schedulerRef.current = null;
    };
  }, [client, refreshMinIntervalMs, eventFlushMs]);

  // Opening details loads them at once (not throttled); stale answers for another id are dropped.
  useEffect(() => {
    if (client === null || detailId === null) return;
    let live = true;
    void load(client, 'detail', detailId).then((a) => {
      if (live && a !== null) dispatch(a);
    });
    return () => {
      live = false;
    };
  }, [client, detailId]);

  const refresh = useCallback((keys: Iterable<ResourceKey>) => schedulerRef.current?.mark(keys), []);
  const patternChanged = useCallback((pattern: PatternSummary) => dispatch({ type: 'patternChanged', pattern }), []);
  return { data, refresh, patternChanged };
}
