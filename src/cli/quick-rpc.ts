/**
 * A one-shot JSON-RPC request over the daemon's socket: connect, one NDJSON line out, one line in,
 * close. For commands whose start-up time matters (`outloop statusline`): its import graph is
 * node:net only, not the json-rpc-2.0 client. Rejects when the daemon is not there, answers with an
 * error, or takes longer than `timeoutMs` (connect included).
 */
import { connect } from 'node:net';
import { getErrorMessage } from '../core/errors.js';
import { checkSocketBeforeConnect } from '../rpc/socket-trust.js';

const MAX_REPLY_BYTES = 4 * 1024 * 1024;

export class QuickRpcError extends Error {
  constructor(
    message: string,
    readonly code: number | null = null,
  ) {
    super(message);
    this.name = 'QuickRpcError';
  }
}

export function quickRequest(socketPath: string, method: string, params: unknown, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // The same check as the full client: only our own socket in a private directory gets the request.
    try {
      if (checkSocketBeforeConnect(socketPath) === 'absent') {
        reject(new QuickRpcError(`the daemon is not running (no socket at ${socketPath})`));
        return;
      }
    } catch (e) {
      reject(new QuickRpcError(getErrorMessage(e)));
      return;
    }
    const socket = connect(socketPath);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null, value?: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(
      () => finish(new QuickRpcError(`no answer from the daemon within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('error', (e) => finish(new QuickRpcError(`the daemon is not reachable at ${socketPath} (${e.message})`)));
    socket.on('close', () => finish(new QuickRpcError('the daemon closed the connection without answering')));
    socket.on('connect', () => {
      socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })}\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        chunks.push(chunk);
        size += chunk.length;
        if (size > MAX_REPLY_BYTES) finish(new QuickRpcError('the daemon sent an oversized answer'));
        return;
      }
      chunks.push(chunk.subarray(0, nl));
      let msg: { result?: unknown; error?: { code?: unknown; message?: unknown } };
      try {
        msg = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof msg;
      } catch {
        finish(new QuickRpcError('the daemon sent an answer that is not JSON'));
        return;
      }
      if (msg.error) {
        const code = typeof msg.error.code === 'number' ? msg.error.code : null;
        finish(new QuickRpcError(typeof msg.error.message === 'string' ? msg.error.message : 'error', code));
      } else finish(null, msg.result);
    });
  });
}
