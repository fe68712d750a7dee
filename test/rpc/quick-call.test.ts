import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { quickCall } from '../../src/rpc/quick-call.js';
import { removeShortSockets, shortSocketPath } from '../helpers/short-socket.js';
import { rejection } from '../helpers/rejection.js';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  removeShortSockets();
});

/** A daemon stand-in: hands each connection and its first request line to `onRequest`. */
async function fakeDaemon(onRequest: (line: string, socket: Socket) => void): Promise<string> {
  const path = shortSocketPath();
  const server = createServer((socket) => {
    let buf = '';
    socket.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl !== -1) onRequest(buf.slice(0, nl), socket);
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

describe('quickCall', () => {
  it('sends one request line and resolves with the result of the answer, even split across writes', async () => {
    const seen: string[] = [];
    const path = await fakeDaemon((line, socket) => {
      seen.push(line);
      socket.write('{"jsonrpc":"2.0","id":1,"res');
      setImmediate(() => socket.write('ult":{"line":"today $1.00 · risk low"}}\n'));
    });
    const r = await quickCall(path, 'statusline/update', { payload: { a: 1 } }, 5000);
    expect(r.line).toBe('today $1.00 · risk low');
    expect(seen).toEqual(['{"jsonrpc":"2.0","id":1,"method":"statusline/update","params":{"payload":{"a":1}}}']);
  });

  it('maps an error answer to the AppError the full client would throw', async () => {
    const path = await fakeDaemon((_line, socket) => {
      socket.write(
        '{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"bad","data":{"field":"payload","kind":"invalid_argument"}}}\n',
      );
    });
    const e = await rejection(quickCall(path, 'statusline/update', { payload: null }, 5000));
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toBe('bad');
    expect(e.details).toEqual({ field: 'payload', rpcCode: -32602 });
  });

  it('rejects an answer that is not JSON', async () => {
    const path = await fakeDaemon((_line, socket) => socket.write('not json\n'));
    expect((await rejection(quickCall(path, 'daemon/status', {}, 5000))).message).toMatch(/not a JSON response/);
  });

  it('is unavailable when there is no socket, when the daemon hangs up, and when it does not answer in time', async () => {
    const none = shortSocketPath();
    expect((await rejection(quickCall(none, 'daemon/status', {}, 5000))).code).toBe('unavailable');

    const hangsUp = await fakeDaemon((_line, socket) => socket.destroy());
    const closed = await rejection(quickCall(hangsUp, 'daemon/status', {}, 5000));
    expect(closed.code).toBe('unavailable');
    expect(closed.message).toMatch(/closed the connection without answering/);

    const silent = await fakeDaemon(() => undefined);
    const late = await rejection(quickCall(silent, 'daemon/status', {}, 50));
    expect(late.code).toBe('unavailable');
    expect(late.message).toMatch(/no answer from the daemon within 50 ms/);
  });
});
