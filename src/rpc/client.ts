import { connect, type Socket } from 'node:net';
import { JSONRPCClient, type JSONRPCResponse } from 'json-rpc-2.0';
import { AppError } from '../core/errors.js';
import { readIncoming } from './envelope.js';
import { wireToAppError } from './error-codes.js';
import { encodeMessage, NdjsonDecoder, MAX_ANSWER_LINE_BYTES } from './ndjson.js';
import type { ClientMethods, MethodName, ParamsOf, ResultOf } from './protocol.js';
import { checkSocketBeforeConnect } from './socket-trust.js';

export type NotificationHandler = <N extends keyof ClientMethods>(
  method: N,
  params: Parameters<ClientMethods[N]>[0],
) => void;

/** What the CLI and the TUI use to talk to the daemon; tests may inject a fake with the same shape. */
export interface DaemonClient {
  request<M extends MethodName>(method: M, params: ParamsOf<M>, opts?: { timeoutMs?: number }): Promise<ResultOf<M>>;
  onNotification(handler: NotificationHandler): () => void;
  onClose(handler: (reason: string) => void): () => void;
  close(): void;
  readonly closed: boolean;
}

export class DaemonUnreachableError extends AppError {
  constructor(socketPath: string, cause: unknown) {
    super('unavailable', `the outloop daemon is not reachable at ${socketPath}`, { socket: socketPath }, { cause });
  }
}

/**
 * Connects to the daemon. The socket is checked first (ours, in a directory only we can write):
 * an impostor gets an UntrustedSocketError and never a byte of the requests.
 */
export function connectDaemon(socketPath: string, opts: { connectTimeoutMs?: number } = {}): Promise<DaemonClient> {
  return new Promise((resolve, reject) => {
    try {
      if (checkSocketBeforeConnect(socketPath) === 'absent') {
        reject(new DaemonUnreachableError(socketPath, new Error('no socket at the path')));
        return;
      }
    } catch (e) {
      reject(e instanceof AppError ? e : new DaemonUnreachableError(socketPath, e));
      return;
    }
    const socket = connect(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DaemonUnreachableError(socketPath, new Error('connect timeout')));
    }, opts.connectTimeoutMs ?? 2000);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new DaemonUnreachableError(socketPath, err));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(new SocketClient(socket));
    });
  });
}

class SocketClient implements DaemonClient {
  private readonly rpc: JSONRPCClient;
  private readonly notificationHandlers = new Set<NotificationHandler>();
  private readonly closeHandlers = new Set<(reason: string) => void>();
  private isClosed = false;

  constructor(private readonly socket: Socket) {
    this.rpc = new JSONRPCClient((request) => {
      if (this.isClosed) return Promise.reject(new AppError('unavailable', 'connection to the daemon is closed'));
      socket.write(encodeMessage(request));
      return Promise.resolve();
    });
    const decoder = new NdjsonDecoder(MAX_ANSWER_LINE_BYTES);
    socket.on('data', (chunk: Buffer) => {
      let lines: string[];
      try {
        lines = decoder.push(chunk);
      } catch {
        this.shutdown('oversized message from daemon');
        return;
      }
      for (const line of lines) this.receiveLine(line);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.shutdown('connection closed'));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  private receiveLine(line: string): void {
    const incoming = readIncoming(line);
    if (incoming?.kind === 'response') this.rpc.receive(incoming.message as unknown as JSONRPCResponse);
    else if (incoming) this.notify(incoming.method as keyof ClientMethods, incoming.params);
  }

  private notify(method: keyof ClientMethods, params: unknown): void {
    for (const h of this.notificationHandlers) {
      try {
        h(method, params as Parameters<ClientMethods[typeof method]>[0]);
      } catch {
        // a handler's failure never breaks the connection
      }
    }
  }

  async request<M extends MethodName>(
    method: M,
    params: ParamsOf<M>,
    opts: { timeoutMs?: number } = {},
  ): Promise<ResultOf<M>> {
    if (this.isClosed) throw new AppError('unavailable', 'connection to the daemon is closed');
    const caller = opts.timeoutMs ? this.rpc.timeout(opts.timeoutMs) : this.rpc;
    try {
      return (await caller.request(method, params ?? {})) as ResultOf<M>;
    } catch (e) {
      throw toAppError(e);
    }
  }

  onNotification(handler: NotificationHandler): () => void {
    this.notificationHandlers.add(handler);
    return () => this.notificationHandlers.delete(handler);
  }

  onClose(handler: (reason: string) => void): () => void {
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  close(): void {
    this.shutdown('closed by client');
    this.socket.end();
  }

  private shutdown(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.rpc.rejectAllPendingRequests(`connection to the daemon lost: ${reason}`);
    this.socket.destroy();
    for (const h of this.closeHandlers) h(reason);
  }
}

function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'number') {
    const err = e as { code: number; message: string; data?: unknown };
    // Code 0 never comes from the daemon: json-rpc-2.0 makes it up for a request timeout or for
    // the pending requests of a lost connection. Both mean the daemon is not answering.
    if (err.code === 0) return new AppError('unavailable', err.message);
    return wireToAppError(err);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new AppError(message.startsWith('connection to the daemon') ? 'unavailable' : 'internal', message);
}
