import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import {
  JSONRPCServer,
  createJSONRPCErrorResponse,
  type JSONRPCErrorResponse,
  type JSONRPCID,
  type JSONRPCRequest,
  type JSONRPCResponse,
} from 'json-rpc-2.0';
import { AppError, getErrorMessage } from '../core/errors.js';
import { appErrorToWire, JSONRPC_CODES } from '../rpc/error-codes.js';
import { encodeMessage, LineTooLongError, NdjsonDecoder } from '../rpc/ndjson.js';
import type { ClientMethods, DaemonMethods, ParamsOf, ResultOf } from '../rpc/protocol.js';
import { isKnownMethod, validateParams } from '../rpc/validate.js';
import { connectionLimits, type ConnectionLimits } from './conn-limits.js';
import type { Logger } from './logger.js';

/** What a handler knows about the connection that called it. */
export interface Connection {
  readonly id: number;
  notify<N extends keyof ClientMethods>(method: N, params: Parameters<ClientMethods[N]>[0]): void;
  onClose(fn: () => void): void;
}

export type Handler<M extends keyof DaemonMethods> = (
  params: ParamsOf<M>,
  conn: Connection,
) => ResultOf<M> | Promise<ResultOf<M>>;

export type HandlerMap = { [M in keyof DaemonMethods]?: Handler<M> };

export interface RpcServer {
  listen(socketPath: string): Promise<void>;
  /** Stops accepting and closes every connection. */
  close(): Promise<void>;
  readonly connectionCount: number;
  /** Bytes of unfinished request lines held for all connections. */
  readonly bufferedBytes: number;
}

const MAX_BATCH = 100;
const CLOSE_GRACE_MS = 1000;

export function createRpcServer(
  handlers: HandlerMap,
  logger: Logger,
  limits: ConnectionLimits = connectionLimits({}),
): RpcServer {
  // json-rpc-2.0 reports every error a method throws (console.warn by default: never stdout). The
  // expected ones (AppError) are answered to the caller; the unexpected ones are logged below.
  const rpc = new JSONRPCServer<Connection>({
    errorListener: (message, data) => logger.debug(`rpc: ${message}`, data),
  });
  rpc.mapErrorToJSONRPCErrorResponse = (id: JSONRPCID, error: unknown): JSONRPCErrorResponse => {
    if (error instanceof AppError) {
      const w = appErrorToWire(error);
      return createJSONRPCErrorResponse(id, w.code, w.message, w.data);
    }
    logger.error('handler failed', error);
    return createJSONRPCErrorResponse(id, JSONRPC_CODES.internalError, 'Internal error', { kind: 'internal' });
  };
  for (const [name, handler] of Object.entries(handlers) as [keyof DaemonMethods, Handler<keyof DaemonMethods>][]) {
    if (!isKnownMethod(name)) throw new Error(`handler for unknown method ${name}`);
    rpc.addMethod(name, (params: unknown, conn: Connection) => handler(validateParams(name, params) as never, conn));
  }

  const sockets = new Set<Socket>();
  let nextId = 1;
  /** Bytes of unfinished lines held for all connections together. */
  let totalBuffered = 0;
  let refusedSinceFree = 0;
  // allowHalfOpen: a client may send its requests and then end its side (`nc -U`, a shell
  // executor); it still gets every answer, and the connection ends when the last one is out.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    if (sockets.size >= limits.maxConnections) {
      // Closed at once: a descriptor held for a connection past the cap is one the watcher, the
      // tailers or the store may need. Logged on the first refusal and then every 1000th.
      if (refusedSinceFree++ % 1000 === 0) {
        logger.warn(`${limits.maxConnections} connections open (the cap); closing new ones until some end`);
      }
      socket.destroy();
      return;
    }
    refusedSinceFree = 0;
    sockets.add(socket);
    serveConnection(socket);
  });

  function serveConnection(socket: Socket): void {
    const closeFns: (() => void)[] = [];
    const conn: Connection = {
      id: nextId++,
      notify: (method, params) => {
        if (!socket.destroyed && socket.writable) socket.write(encodeMessage({ jsonrpc: '2.0', method, params }));
      },
      onClose: (fn) => closeFns.push(fn),
    };
    const decoder = new NdjsonDecoder(limits.maxLineBytes);
    /** This connection's share of totalBuffered. */
    let held = 0;
    const account = (): void => {
      totalBuffered += decoder.buffered - held;
      held = decoder.buffered;
    };
    const drop = (why: string): void => {
      logger.warn(`connection ${conn.id}: ${why}; closing it`);
      socket.destroy();
    };
    // A line must be finished within lineTimeoutMs of its first byte (or of the connection, for
    // the first one): a peer that trickles or never ends a line cannot hold its buffer forever.
    let lineTimer: NodeJS.Timeout | null = null;
    const armLineTimer = (): void => {
      if (lineTimer) return;
      lineTimer = setTimeout(() => drop(`no complete line within ${limits.lineTimeoutMs} ms`), limits.lineTimeoutMs);
      lineTimer.unref();
    };
    const clearLineTimer = (): void => {
      if (lineTimer) clearTimeout(lineTimer);
      lineTimer = null;
    };
    armLineTimer();
    let inFlight = 0;
    let peerEnded = false;
    let corked = false;
    const send = (msg: JSONRPCResponse | JSONRPCResponse[] | null): void => {
      if (!msg || socket.destroyed || !socket.writable) return;
      // The answers to one chunk of pipelined requests settle together: one write for all of them.
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(() => {
          corked = false;
          socket.uncork();
        });
      }
      // Backpressure: a client that does not read its answers stops being read from.
      if (!socket.write(encodeMessage(msg)) && !socket.isPaused()) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    };
    const settled = (): void => {
      inFlight--;
      if (peerEnded && inFlight === 0) socket.end();
    };
    socket.on('data', (chunk: Buffer) => {
      // Checked before decoding when the chunk only extends an unfinished line: bytes that are
      // going to be dropped are never copied into the line buffer.
      if (totalBuffered + chunk.length > limits.maxBufferedBytes && !chunk.includes(0x0a)) {
        drop(`unfinished lines of all connections passed ${limits.maxBufferedBytes} bytes`);
        return;
      }
      let lines: string[];
      try {
        lines = decoder.push(chunk);
      } catch (e) {
        account();
        if (e instanceof LineTooLongError) {
          logger.warn(`connection ${conn.id}: ${e.message}; closing it`);
          send(
            createJSONRPCErrorResponse(
              null,
              JSONRPC_CODES.invalidRequest,
              `message too large (limit ${e.limit} bytes)`,
            ),
          );
          socket.end();
          socket.destroy();
          return;
        }
        throw e;
      }
      account();
      if (totalBuffered > limits.maxBufferedBytes) {
        drop(`unfinished lines of all connections passed ${limits.maxBufferedBytes} bytes`);
        return;
      }
      if (lines.length > 0) clearLineTimer();
      if (decoder.buffered > 0) armLineTimer();
      for (const line of lines) {
        if (line.trim() === '') continue;
        inFlight++;
        void handleLine(line, conn).then(
          (response) => {
            send(response);
            settled();
          },
          (e: unknown) => {
            logger.error('unexpected dispatch failure', e);
            settled();
          },
        );
      }
    });
    socket.on('error', (e) => logger.debug(`connection ${conn.id} error: ${getErrorMessage(e)}`));
    socket.on('end', () => {
      peerEnded = true;
      clearLineTimer();
      if (inFlight === 0) socket.end();
    });
    socket.on('close', () => {
      clearLineTimer();
      totalBuffered -= held;
      held = 0;
      sockets.delete(socket);
      for (const fn of closeFns) {
        try {
          fn();
        } catch (e) {
          logger.warn('connection close hook failed', e);
        }
      }
    });
  }

  async function handleLine(line: string, conn: Connection): Promise<JSONRPCResponse | JSONRPCResponse[] | null> {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return createJSONRPCErrorResponse(null, JSONRPC_CODES.parseError, 'Parse error');
    }
    if (Array.isArray(msg)) {
      if (msg.length === 0)
        return createJSONRPCErrorResponse(null, JSONRPC_CODES.invalidRequest, 'Invalid Request: empty batch');
      if (msg.length > MAX_BATCH)
        return createJSONRPCErrorResponse(
          null,
          JSONRPC_CODES.invalidRequest,
          `Invalid Request: batch larger than ${MAX_BATCH}`,
        );
      const results = await Promise.all(msg.map((m: unknown) => handleOne(m, conn)));
      const responses = results.filter((r): r is JSONRPCResponse => r !== null);
      return responses.length > 0 ? responses : null;
    }
    return handleOne(msg, conn);
  }

  async function handleOne(msg: unknown, conn: Connection): Promise<JSONRPCResponse | null> {
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return createJSONRPCErrorResponse(null, JSONRPC_CODES.invalidRequest, 'Invalid Request');
    }
    const req = msg as Partial<JSONRPCRequest>;
    // An id is echoed back as given: one that does not survive the round trip (2^53+1, 1e999 read
    // as Infinity, 1.5) would answer a request the caller never made.
    const id = typeof req.id === 'string' || Number.isSafeInteger(req.id) ? (req.id as string | number) : null;
    if (req.id !== undefined && req.id !== null && id === null) {
      return createJSONRPCErrorResponse(
        null,
        JSONRPC_CODES.invalidRequest,
        'Invalid Request: id must be a string, a safe integer or null',
      );
    }
    if (req.jsonrpc !== '2.0' || typeof req.method !== 'string') {
      return createJSONRPCErrorResponse(
        id,
        JSONRPC_CODES.invalidRequest,
        'Invalid Request: jsonrpc must be "2.0" and method a string',
      );
    }
    if (req.params !== undefined && (typeof req.params !== 'object' || req.params === null)) {
      return createJSONRPCErrorResponse(id, JSONRPC_CODES.invalidParams, 'Invalid params: must be an object or array', {
        kind: 'invalid_argument',
      });
    }
    return rpc.receive(req as JSONRPCRequest, conn);
  }

  return {
    listen: (socketPath) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ path: socketPath, backlog: 1024 }, () => {
          server.off('error', reject);
          try {
            chmodSync(socketPath, 0o600);
          } catch (e) {
            logger.warn('chmod of the socket failed', e);
          }
          resolve();
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) {
          // Flush what is queued (the reply to daemon/shutdown), then drop the connection; a peer
          // that does not read gets a short grace.
          const timer = setTimeout(() => s.destroy(), CLOSE_GRACE_MS);
          s.once('close', () => clearTimeout(timer));
          s.end(() => s.destroy());
        }
      }),
    get connectionCount() {
      return sockets.size;
    },
    get bufferedBytes() {
      return totalBuffered;
    },
  };
}
