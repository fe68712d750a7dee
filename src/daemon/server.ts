/**
 * The daemon's JSON-RPC server on its Unix socket: accepts connections up to the cap, serves each
 * (rpc-connection.ts), checks each line's envelope (rpc/envelope.ts) and each request's params
 * (rpc/validate.ts) before the method's handler runs.
 */
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { JSONRPCServer, type JSONRPCErrorResponse, type JSONRPCID, type JSONRPCRequest } from 'json-rpc-2.0';
import { AppError } from '../core/errors.js';
import { answerLine, errorResponse, type Response } from '../rpc/envelope.js';
import { appErrorToWire, JSONRPC_CODES } from '../rpc/error-codes.js';
import type { MethodName, ParamsOf, ResultOf } from '../rpc/protocol.js';
import { isKnownMethod, validateParams } from '../rpc/validate.js';
import { connectionLimits, type ConnectionLimits } from './conn-limits.js';
import type { Logger } from './logger.js';
import { serveConnection, type BufferBudget, type Connection } from './rpc-connection.js';

export type Handler<M extends MethodName> = (
  params: ParamsOf<M>,
  conn: Connection,
) => ResultOf<M> | Promise<ResultOf<M>>;

export type HandlerMap = { [M in MethodName]?: Handler<M> };

export interface RpcServer {
  listen(socketPath: string): Promise<void>;
  /** Stops accepting and closes every connection. */
  close(): Promise<void>;
  readonly connectionCount: number;
  /** Bytes of unfinished request lines held for all connections. */
  readonly bufferedBytes: number;
}

const CLOSE_GRACE_MS = 1000;

export function createRpcServer(
  handlers: HandlerMap,
  logger: Logger,
  limits: ConnectionLimits = connectionLimits({}),
): RpcServer {
  const rpc = createDispatcher(handlers, logger);
  const answer = (line: string, conn: Connection): Promise<Response | Response[] | null> =>
    answerLine(line, (request) => rpc.receive(request as JSONRPCRequest, conn));
  const budget: BufferBudget = { total: 0 };
  const sockets = new Set<Socket>();
  let nextId = 1;
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
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, nextId++, { limits, logger, budget, answer });
  });
  return {
    listen: (socketPath) => listen(server, socketPath, logger),
    close: () => closeAll(server, sockets),
    get connectionCount() {
      return sockets.size;
    },
    get bufferedBytes() {
      return budget.total;
    },
  };
}

/**
 * The method table: each handler behind the check of its params. An AppError a handler throws is
 * answered with its code; anything else is logged and answered as an internal error, without details.
 */
function createDispatcher(handlers: HandlerMap, logger: Logger): JSONRPCServer<Connection> {
  // json-rpc-2.0 reports every error a method throws (console.warn by default: never stdout). The
  // expected ones (AppError) are answered to the caller; the unexpected ones are logged below.
  const rpc = new JSONRPCServer<Connection>({
    errorListener: (message, data) => logger.debug(`rpc: ${message}`, data),
  });
  rpc.mapErrorToJSONRPCErrorResponse = (id: JSONRPCID, error: unknown): JSONRPCErrorResponse => {
    if (error instanceof AppError) {
      const w = appErrorToWire(error);
      return errorResponse(id, w.code, w.message, w.data);
    }
    logger.error('handler failed', error);
    return errorResponse(id, JSONRPC_CODES.internalError, 'Internal error', { kind: 'internal' });
  };
  for (const [name, handler] of Object.entries(handlers) as [MethodName, Handler<MethodName>][]) {
    if (!isKnownMethod(name)) throw new Error(`handler for unknown method ${name}`);
    rpc.addMethod(name, (params: unknown, conn: Connection) => handler(validateParams(name, params) as never, conn));
  }
  return rpc;
}

function listen(server: Server, socketPath: string, logger: Logger): Promise<void> {
  return new Promise<void>((resolve, reject) => {
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
  });
}

function closeAll(server: Server, sockets: ReadonlySet<Socket>): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    for (const s of sockets) {
      // Flush what is queued (the reply to daemon/shutdown), then drop the connection; a peer
      // that does not read gets a short grace.
      const timer = setTimeout(() => s.destroy(), CLOSE_GRACE_MS);
      s.once('close', () => clearTimeout(timer));
      s.end(() => s.destroy());
    }
  });
}
