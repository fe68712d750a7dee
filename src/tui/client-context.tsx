/**
 * Injection point for the daemon connection: the app reads the current client and connection
 * state through `useDaemon()`; tests provide a fake `DaemonClient` and a fake `connect`.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { DaemonClient } from '../rpc/client.js';
import { DEFAULT_BACKOFF, useConnection, type Backoff, type ConnectionState } from './hooks/use-connection.js';

const ClientContext = createContext<ConnectionState | null>(null);

export interface DaemonProviderProps {
  readonly initialClient: DaemonClient;
  /** Opens a new connection (the CLI's version starts the daemon when needed). */
  readonly connect: () => Promise<DaemonClient>;
  readonly backoff?: Backoff;
  readonly children: ReactNode;
}

export function DaemonProvider({ initialClient, connect, backoff = DEFAULT_BACKOFF, children }: DaemonProviderProps) {
  const connection = useConnection(initialClient, connect, backoff);
  return <ClientContext.Provider value={connection}>{children}</ClientContext.Provider>;
}

export function useDaemon(): ConnectionState {
  const value = useContext(ClientContext);
  if (value === null) throw new Error('useDaemon() must be used inside <DaemonProvider>');
  return value;
}
