/**
 * Keeps a live `DaemonClient`: when the socket closes it reconnects through the CLI's `connect`
 * (which may start the daemon) with exponential backoff, 250 ms doubling up to 5 s. Timers exist
 * only while disconnected; a connected, idle TUI has none.
 */
import { useEffect, useReducer } from 'react';
import { assertNever } from '../../core/assert-never.js';
import { getErrorMessage } from '../../core/errors.js';
import type { DaemonClient } from '../../rpc/client.js';

export interface ConnectionState {
  /** The current client; null while reconnecting. */
  client: DaemonClient | null;
  status: 'connected' | 'reconnecting';
  /** Failed attempts since the connection was lost. */
  attempt: number;
  lastError: string | null;
  /** Reconnections that succeeded (the data hook resubscribes on each). */
  generation: number;
}

export interface Backoff {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { minMs: 250, maxMs: 5000 };

export function backoffDelay(attempt: number, b: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(b.maxMs, b.minMs * 2 ** Math.max(0, attempt));
}

export type ConnectionAction =
  | { type: 'lost'; client: DaemonClient; reason: string }
  | { type: 'connected'; client: DaemonClient }
  | { type: 'failed'; error: string };

export function connectionReducer(state: ConnectionState, action: ConnectionAction): ConnectionState {
  switch (action.type) {
    case 'lost':
      if (action.client !== state.client) return state;
      return { ...state, client: null, status: 'reconnecting', attempt: 0, lastError: action.reason };
    case 'connected':
      return {
        client: action.client,
        status: 'connected',
        attempt: 0,
        lastError: null,
        generation: state.generation + 1,
      };
    case 'failed':
      return state.status === 'reconnecting'
        ? { ...state, attempt: state.attempt + 1, lastError: action.error }
        : state;
    default: {
      return assertNever(action);
    }
  }
}

export function useConnection(
  initialClient: DaemonClient,
  connect: () => Promise<DaemonClient>,
  backoff: Backoff = DEFAULT_BACKOFF,
): ConnectionState {
  const [state, dispatch] = useReducer(connectionReducer, initialClient, (client) => ({
    client,
    status: 'connected' as const,
    attempt: 0,
    lastError: null,
    generation: 0,
  }));

  const { client } = state;
  useEffect(() => {
    if (client === null) return;
    const off = client.onClose((reason) => dispatch({ type: 'lost', client, reason }));
    if (client.closed) queueMicrotask(() => dispatch({ type: 'lost', client, reason: 'connection closed' }));
    return () => {
      off();
      client.close();
    };
  }, [client]);

  const { status, attempt } = state;
  const { minMs, maxMs } = backoff;
  useEffect(() => {
    if (status !== 'reconnecting') return;
    let cancelled = false;
    const timer = setTimeout(
      () => {
        void connect().then(
          (c) => {
            if (cancelled) c.close();
            else dispatch({ type: 'connected', client: c });
          },
          (e: unknown) => {
            if (!cancelled) dispatch({ type: 'failed', error: getErrorMessage(e) });
          },
        );
      },
      backoffDelay(attempt, { minMs, maxMs }),
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [status, attempt, connect, minMs, maxMs]);

  return state;
}
