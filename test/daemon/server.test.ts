import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { NULL_LOGGER, type Logger } from '../../src/daemon/logger.js';
import { createRpcServer, type HandlerMap, type RpcServer } from '../../src/daemon/server.js';
import { connectDaemon, DaemonUnreachableError, type DaemonClient } from '../../src/rpc/client.js';
import type { EventsChanged, StatusResult } from '../../src/rpc/protocol.js';
import { rawCall } from '../helpers/raw-socket.js';
import { removeShortSockets, shortSocketPath } from '../helpers/short-socket.js';
import { rejection } from '../helpers/rejection.js';

const servers: RpcServer[] = [];
const clients: DaemonClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  removeShortSockets();
});

const FAKE_STATUS = { running: true, pid: 1, version: 't' } as unknown as StatusResult;

interface Harness {
  path: string;
  server: RpcServer;
  client: DaemonClient;
  closedConnections: number[];
  logged: string[];
}

async function harness(extra: HandlerMap = {}): Promise<Harness> {
  const path = shortSocketPath();
  const closedConnections: number[] = [];
  const logged: string[] = [];
  const logger: Logger = { ...NULL_LOGGER, error: (m) => logged.push(m), warn: (m) => logged.push(m) };
  const handlers: HandlerMap = {
    'daemon/status': () => FAKE_STATUS,
    'events/subscribe': (_params, conn) => {
      conn.onClose(() => closedConnections.push(conn.id));
      setImmediate(() => conn.notify('events/changed', { cursor: 'c:ab:1', events: [] }));
      return { cursor: 'c:ab:0', isFreshInstance: true, events: [] };
    },
    'events/recent': () => {
      throw new Error('secret internals at /home/x/file.ts:12:3');
    },
    'patterns/get': (params) => {
      throw new AppError('not_found', `no pattern ${params.id}`, { id: params.id });
    },
    'analyze/run': () => new Promise<never>(() => undefined),
    ...extra,
  };
  const server = createRpcServer(handlers, logger);
  await server.listen(path);
  servers.push(server);
  const client = await connectDaemon(path);
  clients.push(client);
  return { path, server, client, closedConnections, logged };
}

describe('client ↔ server over a temp socket', () => {
  it('round-trips a request', async () => {
    const { client } = await harness();
    expect(await client.request('daemon/status', {})).toEqual(FAKE_STATUS);
  });

  it('turns invalid params into an invalid_argument AppError on the client', async () => {
    const { client } = await harness();
    const e = await rejection(client.request('events/recent', { limit: 'x' as unknown as number }));
    expect(e.code).toBe('invalid_argument');
    expect(e.details).toMatchObject({ field: 'limit', rpcCode: -32602 });
  });

  it('keeps an AppError code and details', async () => {
    const { client } = await harness();
    const e = await rejection(client.request('patterns/get', { id: 4 }));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('no pattern 4');
    expect(e.details).toMatchObject({ id: 4, rpcCode: -31001 });
  });

  it('answers an unexpected error with -32603 and no details, and logs it', async () => {
    const { path, logged } = await harness();
    const r = (await rawCall(path, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'events/recent' }))) as Record<
      string,
      unknown
    >;
    expect(r).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32603, message: 'Internal error', data: { kind: 'internal' } },
    });
    expect(logged).toContain('handler failed');
  });

  it('delivers notifications to the client', async () => {
    const { client } = await harness();
    const got: EventsChanged[] = [];
    client.onNotification((method, params) => {
      if (method === 'events/changed') got.push(params);
    });
    await client.request('events/subscribe', {});
    await vi.waitFor(() => expect(got).toEqual([{ cursor: 'c:ab:1', events: [] }]));
  });

  it('runs the connection close hooks when the client goes', async () => {
    const { client, server, closedConnections } = await harness();
    await client.request('events/subscribe', {});
    expect(server.connectionCount).toBe(1);
    client.close();
    await vi.waitFor(() => expect(closedConnections).toHaveLength(1));
    expect(server.connectionCount).toBe(0);
  });

  it('rejects pending requests when the daemon goes away', async () => {
    const { client, server } = await harness();
    const reasons: string[] = [];
    client.onClose((r) => reasons.push(r));
    const pending = client.request('analyze/run', {});
    await client.request('daemon/status', {});
    await server.close();
    const e = await rejection(pending);
    expect(e.code).toBe('unavailable');
    expect(client.closed).toBe(true);
    expect(reasons).toEqual(['connection closed']);
    expect((await rejection(client.request('daemon/status', {}))).code).toBe('unavailable');
  });

  it('a closed client refuses new requests', async () => {
    const { client } = await harness();
    client.close();
    expect((await rejection(client.request('daemon/status', {}))).code).toBe('unavailable');
  });

  it('reports an unreachable daemon', async () => {
    const path = shortSocketPath();
    await expect(connectDaemon(path)).rejects.toBeInstanceOf(DaemonUnreachableError);
  });

  it('refuses a handler for a method that is not in the protocol', () => {
    expect(() => createRpcServer({ 'no/such': () => 1 } as unknown as HandlerMap, NULL_LOGGER)).toThrow(
      /unknown method/,
    );
  });

  it('answers a daemon/shutdown-style reply even when the server closes right after', async () => {
    let server: RpcServer | null = null;
    const { client } = await harness({
      'daemon/shutdown': () => {
        setImmediate(() => void server?.close());
        return { ok: true };
      },
    });
    server = servers.at(-1)!;
    expect(await client.request('daemon/shutdown', {})).toEqual({ ok: true });
  });
});

it('a request that times out is an unavailable AppError', async () => {
  const { client } = await harness();
  const e = await rejection(client.request('analyze/run', {}, { timeoutMs: 50 }));
  expect(e.code).toBe('unavailable');
  expect(e.message).toMatch(/timeout/i);
});
