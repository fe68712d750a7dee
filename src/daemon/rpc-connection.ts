/**
 * One client connection of the RPC server: request lines in, answers out. It bounds what the peer
 * can make the daemon hold (a line's bytes, all connections' unfinished lines together, the time to
 * finish a line), writes the answers with backpressure and runs the handlers' close hooks.
 */
import type { Socket } from 'node:net';
import { getErrorMessage } from '../core/errors.js';
import { lineTooLongResponse, type Response } from '../rpc/envelope.js';
import { encodeMessage, LineTooLongError, NdjsonDecoder } from '../rpc/ndjson.js';
import type { ClientMethods } from '../rpc/protocol.js';
import type { ConnectionLimits } from './conn-limits.js';
import type { Logger } from './logger.js';

/** What a handler knows about the connection that called it. */
export interface Connection {
  readonly id: number;
  notify<N extends keyof ClientMethods>(method: N, params: Parameters<ClientMethods[N]>[0]): void;
  onClose(fn: () => void): void;
}

/** Bytes of unfinished lines held for all connections together. */
export interface BufferBudget {
  total: number;
}

export interface ConnectionContext {
  limits: ConnectionLimits;
  logger: Logger;
  budget: BufferBudget;
  /** The answer to one request line (null: nothing to send). */
  answer(line: string, conn: Connection): Promise<Response | Response[] | null>;
}

/** Serves the socket until it closes. */
export function serveConnection(socket: Socket, id: number, ctx: ConnectionContext): Connection {
  const served = new RpcConnection(socket, id, ctx);
  served.start();
  return served.conn;
}

class RpcConnection {
  readonly conn: Connection;
  private readonly closeFns: (() => void)[] = [];
  private readonly decoder: NdjsonDecoder;
  /** This connection's share of the budget. */
  private held = 0;
  private lineTimer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private peerEnded = false;
  private corked = false;

  constructor(
    private readonly socket: Socket,
    id: number,
    private readonly ctx: ConnectionContext,
  ) {
    this.decoder = new NdjsonDecoder(ctx.limits.maxLineBytes);
    this.conn = {
      id,
      notify: (method, params) => {
        if (!socket.destroyed && socket.writable) socket.write(encodeMessage({ jsonrpc: '2.0', method, params }));
      },
      onClose: (fn) => this.closeFns.push(fn),
    };
  }

  start(): void {
    this.armLineTimer();
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', (e) => this.ctx.logger.debug(`connection ${this.conn.id} error: ${getErrorMessage(e)}`));
    this.socket.on('end', () => this.peerEnd());
    this.socket.on('close', () => this.closed());
  }

  private receive(chunk: Buffer): void {
    const { maxBufferedBytes } = this.ctx.limits;
    // Checked before decoding when the chunk only extends an unfinished line: bytes that are
    // going to be dropped are never copied into the line buffer.
    if (this.ctx.budget.total + chunk.length > maxBufferedBytes && !chunk.includes(0x0a)) {
      this.drop(`unfinished lines of all connections passed ${maxBufferedBytes} bytes`);
      return;
    }
    const lines = this.decode(chunk);
    if (lines === null) return;
    if (this.ctx.budget.total > maxBufferedBytes) {
      this.drop(`unfinished lines of all connections passed ${maxBufferedBytes} bytes`);
      return;
    }
    if (lines.length > 0) this.clearLineTimer();
    if (this.decoder.buffered > 0) this.armLineTimer();
    for (const line of lines) {
      if (line.trim() !== '') this.answer(line);
    }
  }

  /** The complete lines of the chunk, or null when the line grew past its limit (the connection closes). */
  private decode(chunk: Buffer): string[] | null {
    try {
      const lines = this.decoder.push(chunk);
      this.account();
      return lines;
    } catch (e) {
      this.account();
      if (!(e instanceof LineTooLongError)) throw e;
      this.ctx.logger.warn(`connection ${this.conn.id}: ${e.message}; closing it`);
      this.send(lineTooLongResponse(e.limit));
      this.socket.end();
      this.socket.destroy();
      return null;
    }
  }

  private account(): void {
    this.ctx.budget.total += this.decoder.buffered - this.held;
    this.held = this.decoder.buffered;
  }

  private drop(why: string): void {
    this.ctx.logger.warn(`connection ${this.conn.id}: ${why}; closing it`);
    this.socket.destroy();
  }

  // A line must be finished within lineTimeoutMs of its first byte (or of the connection, for
  // the first one): a peer that trickles or never ends a line cannot hold its buffer forever.
  private armLineTimer(): void {
    if (this.lineTimer) return;
    const { lineTimeoutMs } = this.ctx.limits;
    this.lineTimer = setTimeout(() => this.drop(`no complete line within ${lineTimeoutMs} ms`), lineTimeoutMs);
    this.lineTimer.unref();
  }

  private clearLineTimer(): void {
    if (this.lineTimer) clearTimeout(this.lineTimer);
    this.lineTimer = null;
  }

  private answer(line: string): void {
    this.inFlight++;
    void this.ctx.answer(line, this.conn).then(
      (response) => {
        this.send(response);
        this.settled();
      },
      (e: unknown) => {
        this.ctx.logger.error('unexpected dispatch failure', e);
        this.settled();
      },
    );
  }

  private send(msg: Response | Response[] | null): void {
    const socket = this.socket;
    if (!msg || socket.destroyed || !socket.writable) return;
    // The answers to one chunk of pipelined requests settle together: one write for all of them.
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    // Backpressure: a client that does not read its answers stops being read from.
    if (!socket.write(encodeMessage(msg)) && !socket.isPaused()) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }

  private settled(): void {
    this.inFlight--;
    if (this.peerEnded && this.inFlight === 0) this.socket.end();
  }

  private peerEnd(): void {
    this.peerEnded = true;
    this.clearLineTimer();
    if (this.inFlight === 0) this.socket.end();
  }

  private closed(): void {
    this.clearLineTimer();
    this.ctx.budget.total -= this.held;
    this.held = 0;
    for (const fn of this.closeFns) {
      try {
        fn();
      } catch (e) {
        this.ctx.logger.warn('connection close hook failed', e);
      }
    }
  }
}
