import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { killStarted, pidAlive, spawnForeground, type DaemonTarget, type ForegroundDaemon } from '../helpers/cli.js';
import { RawConnection, rawCall, socketAnswers } from '../helpers/raw-socket.js';
import { removeShortSockets, shortSocketPath } from '../helpers/short-socket.js';
import { tempDirs } from '../helpers/temp-dir.js';

interface RpcError {
  code: number;
  message: string;
  data?: { kind?: string; [k: string]: unknown };
}
interface Response {
  jsonrpc: '2.0';
  id: string | number | null;
  result?: unknown;
  error?: RpcError;
}

const dirs = tempDirs();
let target: DaemonTarget;
let daemon: ForegroundDaemon;
let socket: string;
/** Every error answer seen, checked at the end for leaked stacks. */
const errorsSeen: RpcError[] = [];
const opened: RawConnection[] = [];

const status = (id: number | string): string => JSON.stringify({ jsonrpc: '2.0', id, method: 'daemon/status' });

async function open(): Promise<RawConnection> {
  const conn = await RawConnection.open(socket);
  opened.push(conn);
  return conn;
}

function asResponse(value: unknown): Response {
  const r = value as Response;
  if (r.error) errorsSeen.push(r.error);
  return r;
}

async function call(line: string): Promise<Response> {
  return asResponse(await rawCall(socket, line));
}

/** Proves the daemon still serves: a fresh connection gets a status answer. */
async function stillServing(): Promise<void> {
  const r = await call(status('alive'));
  expect(r).toMatchObject({ id: 'alive', result: { running: true, pid: daemon.pid } });
}

beforeAll(async () => {
  target = { stateDir: dirs.make('ol-bad-'), socket: shortSocketPath() };
  socket = target.socket!;
  daemon = spawnForeground(target);
  try {
    await vi.waitFor(async () => expect(await socketAnswers(socket)).toBe(true), { timeout: 25_000, interval: 25 });
  } catch (e) {
    throw new Error(`the daemon did not answer (exit ${String(daemon.child.exitCode)}): ${daemon.stderr()}`, {
      cause: e,
    });
  }
});

afterAll(async () => {
  for (const c of opened) c.destroy();
  await killStarted([target.stateDir]);
  removeShortSockets();
  dirs.removeAll();
});

describe('protocol faults over a raw socket', () => {
  it('malformed JSON → -32700 with id null, and the connection keeps working', async () => {
    const conn = await open();
    const r = asResponse(await conn.call('{"jsonrpc":"2.0","id":1,"method":'));
    expect(r).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(asResponse(await conn.call('not json at all'))).toMatchObject({ id: null, error: { code: -32700 } });
    expect(asResponse(await conn.call('\u0000\u0001\u00ff binary'))).toMatchObject({
      id: null,
      error: { code: -32700 },
    });
    expect(asResponse(await conn.call(status(2)))).toMatchObject({ id: 2, result: { running: true } });
  });

  it('a batch gets an array of answers; notifications inside get none', async () => {
    const batch = JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'daemon/status' },
      { jsonrpc: '2.0', id: 2, method: 'no/such' },
      { jsonrpc: '2.0', method: 'daemon/status' },
      { jsonrpc: '2.0', id: 3, method: 'events/recent', params: { limit: 'x' } },
    ]);
    const answers = (await rawCall(socket, batch)) as Response[];
    expect(Array.isArray(answers)).toBe(true);
    answers.forEach(asResponse);
    expect(answers.map((a) => [a.id, a.error?.code ?? 'ok'])).toEqual([
      [1, 'ok'],
      [2, -32601],
      [3, -32602],
    ]);
  });

  it('an empty batch → one -32600', async () => {
    expect(await call('[]')).toMatchObject({ id: null, error: { code: -32600 } });
  });

  it('a batch of non-objects → -32600 for each', async () => {
    const answers = (await rawCall(socket, '[1, "x", null]')) as Response[];
    answers.forEach(asResponse);
    expect(answers.map((a) => a.error?.code)).toEqual([-32600, -32600, -32600]);
  });

  it.each([
    ['no jsonrpc', { id: 7, method: 'daemon/status' }, 7],
    ['jsonrpc 1.0', { jsonrpc: '1.0', id: 8, method: 'daemon/status' }, 8],
    ['no method', { jsonrpc: '2.0', id: 9 }, 9],
    ['method not a string', { jsonrpc: '2.0', id: 10, method: 42 }, 10],
    ['id an object', { jsonrpc: '2.0', id: { a: 1 }, method: 'daemon/status' }, null],
  ])('%s → -32600', async (_name, message, id) => {
    expect(await call(JSON.stringify(message))).toMatchObject({ id, error: { code: -32600 } });
  });

  it.each(['42', '"a string"', 'null', 'true'])('a bare %s → -32600', async (line) => {
    expect(await call(line)).toMatchObject({ id: null, error: { code: -32600 } });
  });

  it('an unknown method → -32601 with the request id', async () => {
    expect(await call(JSON.stringify({ jsonrpc: '2.0', id: 'u1', method: 'nope/nothing' }))).toMatchObject({
      id: 'u1',
      error: { code: -32601 },
    });
    expect(await call(JSON.stringify({ jsonrpc: '2.0', id: 'u2', method: 'toString' }))).toMatchObject({
      error: { code: -32601 },
    });
    expect(await call(JSON.stringify({ jsonrpc: '2.0', id: 'u3', method: '__proto__' }))).toMatchObject({
      error: { code: -32601 },
    });
  });

  it.each([
    ['events/recent', { limit: 'x' }, 'limit'],
    ['events/recent', { limit: -1 }, 'limit'],
    ['events/subscribe', { since: 12 }, 'since'],
    ['daemon/status', [1, 2], 'params'],
    ['daemon/status', 'a string', null],
  ])('%s with %j → -32602, data.kind invalid_argument', async (method, params, field) => {
    const r = await call(JSON.stringify({ jsonrpc: '2.0', id: 'p', method, params }));
    expect(r).toMatchObject({ id: 'p', error: { code: -32602, data: { kind: 'invalid_argument' } } });
    if (field) expect(r.error?.data?.['field']).toBe(field);
  });

  it('a notification gets no answer, even a bad one', async () => {
    const conn = await open();
    await conn.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'daemon/status' })}\n`);
    await conn.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'events/recent', params: { limit: 'x' } })}\n`);
    await conn.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'no/such' })}\n`);
    expect(asResponse(await conn.call(status('after')))).toMatchObject({ id: 'after' });
  });

  it('frames several messages per write, a message over several writes, and a character split across writes', async () => {
    const conn = await open();
    await conn.write(`${status(1)}\n${status(2)}\r\n\n${status(3)}\n`);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(asResponse(await conn.nextJson()).id);
    expect(ids.sort()).toEqual([1, 2, 3]);

    const bytes = Buffer.from(`${status('ü€🚀')}\n`);
    const euro = bytes.indexOf(Buffer.from('€'));
    const rocket = bytes.indexOf(Buffer.from('🚀'));
    await conn.write(bytes.subarray(0, euro + 1));
    await conn.write(bytes.subarray(euro + 1, rocket + 2));
    await conn.write(bytes.subarray(rocket + 2));
    expect(asResponse(await conn.nextJson())).toMatchObject({ id: 'ü€🚀', result: { running: true } });
  });
});

describe('abusive clients', () => {
  it('a 2 MiB line closes that connection only', async () => {
    const bystander = await open();
    const big = await open();
    await big.write(
      `{"jsonrpc":"2.0","id":1,"method":"daemon/status","params":{"x":"${'x'.repeat(2 * 1024 * 1024)}"}}\n`,
    );
    await big.closed;
    expect(big.hasClosed).toBe(true);
    expect(asResponse(await bystander.call(status('b')))).toMatchObject({ id: 'b', result: { running: true } });
    await stillServing();
  });

  it('a line just under the limit is still answered', async () => {
    const pad = 1024 * 1024 - 200;
    const line = JSON.stringify({
      jsonrpc: '2.0',
      id: 'big-ok',
      method: 'daemon/status',
      params: { pad: 'y'.repeat(pad) },
    });
    expect(Buffer.byteLength(line)).toBeLessThan(1024 * 1024);
    expect(await call(line)).toMatchObject({ id: 'big-ok', result: { running: true } });
  });

  it('a client that connects and sends nothing (or half a line) does not block anyone', async () => {
    const idle = await open();
    const half = await open();
    await half.write('{"jsonrpc":"2.0","id":1,"meth');
    for (let i = 0; i < 5; i++) await stillServing();
    expect(idle.hasClosed).toBe(false);
    expect(half.hasClosed).toBe(false);
  });

  it('200 connections at once each get their status answer', async () => {
    const conns = await Promise.all(Array.from({ length: 200 }, () => open()));
    const answers = await Promise.all(conns.map((c, i) => c.call(status(i)).then(asResponse)));
    expect(answers.map((a) => a.id)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    for (const a of answers) expect(a.result).toMatchObject({ running: true, pid: daemon.pid });
    for (const c of conns) c.destroy();
  });

  it('clients that disconnect mid-request do not hurt the daemon', async () => {
    for (let i = 0; i < 20; i++) {
      const c = await RawConnection.open(socket);
      if (i % 2 === 0) await c.write('{"jsonrpc":"2.0","id":1,"method":"daemon/st');
      else await c.write(`${status(i)}\n${status(i + 1)}\n`);
      c.destroy();
    }
    // a client that sends its request and half-closes still gets its answer
    const halfClosed = await RawConnection.open(socket);
    halfClosed.socket.end(`${status('half')}\n`);
    expect(asResponse(await halfClosed.nextJson())).toMatchObject({ id: 'half', result: { running: true } });
    await halfClosed.closed;
    await stillServing();
    expect(pidAlive(daemon.pid)).toBe(true);
  });

  it('a client that pipelines without reading its answers does not block others', async () => {
    const greedy = await open();
    greedy.socket.pause();
    const burst = `${status('g')}\n`.repeat(2000);
    // not awaited: once the daemon stops reading this client (backpressure), these writes stall
    for (let i = 0; i < 10; i++) void greedy.write(burst);
    await stillServing();
    greedy.destroy();
    await stillServing();
  });
});

describe('hygiene', () => {
  it('puts no stack trace on the wire', () => {
    expect(errorsSeen.length).toBeGreaterThan(20);
    for (const e of errorsSeen) {
      const text = JSON.stringify(e);
      expect(text).not.toMatch(/\bat .+:\d+:\d+|\.(ts|js):\d+|stack/i);
      expect(Object.keys(e).sort()).toEqual(e.data === undefined ? ['code', 'message'] : ['code', 'data', 'message']);
    }
  });

  it('writes nothing on stdout, and a SIGTERM after all that still exits 0', async () => {
    await stillServing();
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
    expect(daemon.stdout()).toBe('');
    expect(daemon.stderr()).toBe('');
  });
});
