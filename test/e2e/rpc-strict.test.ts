import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FieldSpec } from '../../src/rpc/method-spec.js';
import { RPC_METHODS, type MethodName } from '../../src/rpc/protocol.js';
import { killStarted, spawnForeground, type DaemonTarget, type ForegroundDaemon } from '../helpers/cli.js';
import { RawConnection, socketAnswers } from '../helpers/raw-socket.js';
import { removeShortSockets, shortSocketPath } from '../helpers/short-socket.js';
import { tempDirs } from '../helpers/temp-dir.js';

interface Response {
  id: string | number | null;
  result?: unknown;
  error?: { code: number; message: string; data?: Record<string, unknown> };
}

const dirs = tempDirs();
let target: DaemonTarget;
let daemon: ForegroundDaemon;
let conn: RawConnection;

beforeAll(async () => {
  target = { stateDir: dirs.make('ol-strict-'), socket: shortSocketPath() };
  daemon = spawnForeground(target);
  await vi.waitFor(async () => expect(await socketAnswers(target.socket!)).toBe(true), { timeout: 20_000 });
  conn = await RawConnection.open(target.socket!);
}, 30_000);

afterAll(async () => {
  conn.destroy();
  daemon.child.kill('SIGTERM');
  await daemon.exited;
  await killStarted([target.stateDir]);
  removeShortSockets();
  dirs.removeAll();
});

/**
 * JSON texts of the wrong type for a field, as raw JSON so that values JSON.stringify cannot make
 * (1e999, read as Infinity) are sent too.
 */
const WRONG: Record<FieldSpec['type'], string[]> = {
  string: ['null', '1', 'true', '[]', '{}', '["x"]'],
  integer: ['null', '"1"', 'true', '1.5', '9007199254740993', '1e999', '[]', '{}'],
  number: ['null', '"1"', 'true', '1e999', '-1e999', '[]', '{}'],
  boolean: ['null', '"true"', '1', '[]', '{}'],
  'string[]': ['null', '"x"', '[1]', '[null]', '{}', 'true'],
  unknown: [],
};

/** A value of the right type for a field, so that each case fails on the one field it breaks. */
function validJson(spec: FieldSpec): string {
  switch (spec.type) {
    case 'string':
      return JSON.stringify(spec.oneOf?.[0] ?? 'x');
    case 'integer':
    case 'number':
      return String(spec.min ?? 1);
    case 'boolean':
      return 'true';
    case 'string[]':
      return '["x"]';
    case 'unknown':
      return '{}';
  }
}

interface Case {
  method: MethodName;
  field: string;
  wrong: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const method of Object.keys(RPC_METHODS) as MethodName[]) {
    for (const [field, spec] of Object.entries<FieldSpec>(RPC_METHODS[method].params)) {
      const wrongs = spec.type === 'unknown' && spec.required ? ['null'] : WRONG[spec.type];
      for (const wrong of wrongs) out.push({ method, field, wrong });
    }
  }
  return out;
}

function requestText(c: Case, id: number): string {
  const fields = Object.entries<FieldSpec>(RPC_METHODS[c.method].params)
    .filter(([name, spec]) => name === c.field || spec.required)
    .map(([name, spec]) => `${JSON.stringify(name)}:${name === c.field ? c.wrong : validJson(spec)}`);
  return `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(c.method)},"params":{${fields.join(',')}}}`;
}

describe('every param of every method, sent with each wrong type', () => {
  it('answers -32602 invalid params naming the field, never -32603', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(100);
    await conn.write(all.map((c, i) => `${requestText(c, i + 1)}\n`).join(''));
    const answers = new Map<number, Response>();
    for (let i = 0; i < all.length; i++) {
      const r = JSON.parse(await conn.nextLine()) as Response;
      answers.set(r.id as number, r);
    }
    const wrong = all.flatMap((c, i) => {
      const r = answers.get(i + 1);
      const ok = r?.error?.code === -32602 && r.error.data?.['field'] === c.field;
      return ok ? [] : [`${c.method} ${c.field}=${c.wrong}: ${JSON.stringify(r)}`];
    });
    expect(wrong).toEqual([]);
  });

  it('context/efficiency {"sessionId": null} is invalid params, not an internal error', async () => {
    await conn.write('{"jsonrpc":"2.0","id":"n","method":"context/efficiency","params":{"sessionId":null}}\n');
    const r = JSON.parse(await conn.nextLine()) as Response;
    expect(r.error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/sessionId must be a string, not null/),
    });
  });
});

describe('request ids', () => {
  it.each(['9007199254740993', '1e999', '-1e999', '1.5', 'true', '{}', '[1]'])(
    'id %s answers -32600 invalid request with a null id',
    async (id) => {
      await conn.write(`{"jsonrpc":"2.0","id":${id},"method":"daemon/status"}\n`);
      const r = JSON.parse(await conn.nextLine()) as Response;
      expect(r).toMatchObject({ id: null, error: { code: -32600 } });
    },
  );

  it.each(['9007199254740991', '-9007199254740991', '0', '"abc"'])(
    'id %s is echoed back with the answer',
    async (id) => {
      await conn.write(`{"jsonrpc":"2.0","id":${id},"method":"daemon/status"}\n`);
      const r = JSON.parse(await conn.nextLine()) as Response;
      expect(r.id).toEqual(JSON.parse(id));
      expect(r.result).toMatchObject({ running: true });
    },
  );
});
