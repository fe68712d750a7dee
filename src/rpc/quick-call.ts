/**
 * A one-shot request over the daemon's socket: connect, one request line out, one answer line in,
 * close. For commands whose start-up time matters (`outloop statusline`): the same socket check,
 * NDJSON framing, envelope and error mapping as the full client (client.ts), without the
 * json-rpc-2.0 client in its import graph. Rejects with an AppError when the daemon is not there,
 * answers with an error, or takes longer than `timeoutMs` (connect included).
 */
import { connect } from 'node:net';
import { AppError, getErrorMessage } from '../core/errors.js';
import { readIncoming, type EnvelopeRequest } from './envelope.js';
import { JSONRPC_CODES, wireToAppError } from './error-codes.js';
import { encodeMessage, LineTooLongError, NdjsonDecoder } from './ndjson.js';
import type { MethodName, ParamsOf, ResultOf } from './protocol.js';
import { checkSocketBeforeConnect } from './socket-trust.js';

const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export function quickCall<M extends MethodName>(
  socketPath: string,
  method: M,
  params: ParamsOf<M>,
  timeoutMs: number,
): Promise<ResultOf<M>> {
  return new Promise((resolve, reject) => {
    // The same check as the full client: only our own socket in a private directory gets the request.
    try {
      if (checkSocketBeforeConnect(socketPath) === 'absent') {
        reject(unavailable(`the daemon is not running (no socket at ${socketPath})`));
        return;
      }
    } catch (e) {
      reject(e instanceof AppError ? e : unavailable(getErrorMessage(e)));
      return;
    }
    const socket = connect(socketPath);
    const decoder = new NdjsonDecoder(MAX_ANSWER_BYTES);
    let done = false;
    const finish = (err: AppError | null, value?: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value as ResultOf<M>);
    };
    const timer = setTimeout(() => finish(unavailable(`no answer from the daemon within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (e) => finish(unavailable(`the daemon is not reachable at ${socketPath} (${e.message})`)));
    socket.on('close', () => finish(unavailable('the daemon closed the connection without answering')));
    socket.on('connect', () => {
      const request: EnvelopeRequest = { jsonrpc: '2.0', id: 1, method, params: params as object | undefined };
      socket.write(encodeMessage(request));
    });
    socket.on('data', (chunk: Buffer) => {
      let lines: string[];
      try {
        lines = decoder.push(chunk);
      } catch (e) {
        if (!(e instanceof LineTooLongError)) throw e;
        finish(unavailable('the daemon sent an oversized answer'));
        return;
      }
      const [line] = lines;
      if (line === undefined) return;
      const outcome = answerOf(line);
      if (outcome.ok) finish(null, outcome.result);
      else finish(outcome.error);
    });
  });
}

function unavailable(message: string): AppError {
  return new AppError('unavailable', message);
}

/** The result of the answer line, or the error it stands for (mapped as the full client maps it). */
function answerOf(line: string): { ok: true; result: unknown } | { ok: false; error: AppError } {
  const incoming = readIncoming(line);
  if (incoming?.kind !== 'response') {
    return { ok: false, error: new AppError('internal', 'the daemon sent an answer that is not a JSON response') };
  }
  const error = incoming.message['error'];
  if (!error) return { ok: true, result: incoming.message['result'] };
  const e = (typeof error === 'object' ? error : {}) as Record<string, unknown>;
  return {
    ok: false,
    error: wireToAppError({
      code: typeof e['code'] === 'number' ? e['code'] : JSONRPC_CODES.internalError,
      message: typeof e['message'] === 'string' ? e['message'] : 'error',
      data: e['data'],
    }),
  };
}
