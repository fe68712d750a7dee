import { describe, expect, it } from 'vitest';
import {
  answerLine,
  checkRequest,
  errorResponse,
  lineTooLongResponse,
  MAX_BATCH,
  type EnvelopeRequest,
  type Response,
} from '../../src/rpc/envelope.js';

/** Answers every sound request with its method name; requests without an id get no answer. */
function echo(seen: EnvelopeRequest[] = []) {
  return (request: EnvelopeRequest): Promise<Response | null> => {
    seen.push(request);
    if (request.id === undefined) return Promise.resolve(null);
    return Promise.resolve({ jsonrpc: '2.0', id: request.id, result: request.method });
  };
}

describe('errorResponse', () => {
  it('leaves data out when there is none, in the order the wire has always had', () => {
    expect(JSON.stringify(errorResponse(1, -32600, 'Invalid Request'))).toBe(
      '{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"Invalid Request"}}',
    );
    expect(JSON.stringify(errorResponse('a', -31001, 'no', { kind: 'not_found' }))).toBe(
      '{"jsonrpc":"2.0","id":"a","error":{"code":-31001,"message":"no","data":{"kind":"not_found"}}}',
    );
  });

  it('answers an overlong line with no id', () => {
    expect(lineTooLongResponse(10)).toEqual(errorResponse(null, -32600, 'message too large (limit 10 bytes)'));
  });
});

describe('checkRequest', () => {
  it('passes a sound request through as it came', () => {
    const msg = { jsonrpc: '2.0', id: 7, method: 'm', params: { a: 1 } };
    expect(checkRequest(msg)).toEqual({ ok: true, request: msg });
    expect(checkRequest({ jsonrpc: '2.0', method: 'm', params: [1] }).ok).toBe(true);
  });

  it.each([
    [5, null, -32600, 'Invalid Request'],
    [[1], null, -32600, 'Invalid Request'],
    [
      { jsonrpc: '2.0', id: 1.5, method: 'm' },
      null,
      -32600,
      'Invalid Request: id must be a string, a safe integer or null',
    ],
    [{ jsonrpc: '2.0', id: 2 ** 53 + 2, method: 'm' }, null, -32600, 'Invalid Request: id must be'],
    [{ jsonrpc: '1.0', id: 3, method: 'm' }, 3, -32600, 'Invalid Request: jsonrpc must be "2.0" and method a string'],
    [{ jsonrpc: '2.0', id: 'x', method: 4 }, 'x', -32600, 'Invalid Request: jsonrpc must be'],
    [{ jsonrpc: '2.0', id: 4, method: 'm', params: 'p' }, 4, -32602, 'Invalid params: must be an object or array'],
    [{ jsonrpc: '2.0', id: 4, method: 'm', params: null }, 4, -32602, 'Invalid params'],
  ])('answers %j with id %j and code %i', (msg, id, code, message) => {
    const checked = checkRequest(msg);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.response.id).toBe(id);
    expect(checked.response.error.code).toBe(code);
    expect(checked.response.error.message).toContain(message);
  });

  it('marks bad params as an invalid argument', () => {
    const checked = checkRequest({ jsonrpc: '2.0', id: 1, method: 'm', params: 1 });
    expect(checked.ok ? null : checked.response.error.data).toEqual({ kind: 'invalid_argument' });
  });

  it('does not take a request that carries an error field for an answer', () => {
    const msg = { jsonrpc: '2.0', id: 1, method: 'm', error: { code: 1, message: 'x' } };
    expect(checkRequest(msg)).toEqual({ ok: true, request: msg });
  });
});

describe('answerLine', () => {
  it('answers a line that is not JSON with a parse error', async () => {
    expect(await answerLine('{', echo())).toEqual(errorResponse(null, -32700, 'Parse error'));
  });

  it('dispatches a single request', async () => {
    const seen: EnvelopeRequest[] = [];
    expect(await answerLine('{"jsonrpc":"2.0","id":1,"method":"a"}', echo(seen))).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: 'a',
    });
    expect(seen.map((r) => r.method)).toEqual(['a']);
  });

  it('answers a batch in order, faults included, and leaves notifications out', async () => {
    const line = JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'a' },
      { jsonrpc: '2.0', method: 'note' },
      7,
      { jsonrpc: '2.0', id: 2, method: 'b' },
    ]);
    expect(await answerLine(line, echo())).toEqual([
      { jsonrpc: '2.0', id: 1, result: 'a' },
      errorResponse(null, -32600, 'Invalid Request'),
      { jsonrpc: '2.0', id: 2, result: 'b' },
    ]);
  });

  it('sends nothing for a batch of notifications', async () => {
    expect(await answerLine('[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b"}]', echo())).toBeNull();
  });

  it('refuses an empty batch and one past the limit without dispatching', async () => {
    const seen: EnvelopeRequest[] = [];
    expect(await answerLine('[]', echo(seen))).toEqual(errorResponse(null, -32600, 'Invalid Request: empty batch'));
    const big = JSON.stringify(
      Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'a' })),
    );
    expect(await answerLine(big, echo(seen))).toEqual(
      errorResponse(null, -32600, `Invalid Request: batch larger than ${MAX_BATCH}`),
    );
    expect(seen).toEqual([]);
  });
});
