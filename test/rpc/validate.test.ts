import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { METHODS, RPC_METHODS, type MethodName } from '../../src/rpc/protocol.js';
import { isKnownMethod, validateParams } from '../../src/rpc/validate.js';

function rejection(method: MethodName, params: unknown): AppError {
  try {
    validateParams(method, params);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error(`expected ${method} ${JSON.stringify(params)} to be rejected`);
}

describe('RPC_METHODS', () => {
  it('has a schema for every method in the protocol, and nothing else', () => {
    expect(Object.keys(RPC_METHODS).sort()).toEqual(Object.values(METHODS).sort());
  });

  it('knows its methods and nothing inherited from Object', () => {
    expect(isKnownMethod('daemon/status')).toBe(true);
    expect(isKnownMethod('nope/nothing')).toBe(false);
    expect(isKnownMethod('toString')).toBe(false);
    expect(isKnownMethod('__proto__')).toBe(false);
  });
});

interface Case {
  method: MethodName;
  params: unknown;
  field: string;
}

describe('validateParams', () => {
  it.each([
    { method: 'daemon/status', params: undefined },
    { method: 'daemon/status', params: null },
    { method: 'daemon/status', params: {} },
    { method: 'daemon/status', params: { unknownField: 1 } },
    { method: 'events/recent', params: { limit: 5 } },
    { method: 'events/subscribe', params: { since: 'c:abc:1' } },
    { method: 'patterns/list', params: { status: 'active', sort: 'savings', limit: 10, offset: 0 } },
    { method: 'patterns/approve', params: { id: 3, note: 'ok' } },
    { method: 'tools/register', params: { name: 't', signature: 'test:unit:backend', argv: ['pytest'] } },
    { method: 'route', params: { input: 'run the tests', threshold: 72.5, dryRun: true } },
    { method: 'usage/report', params: { kind: 'daily' } },
    { method: 'statusline/update', params: { payload: [1, 'x'] } },
  ] as const satisfies readonly { method: MethodName; params: unknown }[])(
    'accepts $method $params',
    ({ method, params }) => {
      expect(() => validateParams(method, params)).not.toThrow();
    },
  );

  it.each([
    { method: 'events/recent', params: { limit: 'x' }, field: 'limit' },
    { method: 'events/recent', params: { limit: 1.5 }, field: 'limit' },
    { method: 'events/recent', params: { limit: 0 }, field: 'limit' },
    { method: 'events/recent', params: { limit: 10_001 }, field: 'limit' },
    { method: 'events/subscribe', params: { since: 7 }, field: 'since' },
    { method: 'patterns/get', params: {}, field: 'id' },
    { method: 'patterns/get', params: { id: '3' }, field: 'id' },
    { method: 'patterns/list', params: { status: 'sleeping' }, field: 'status' },
    { method: 'patterns/list', params: { offset: -1 }, field: 'offset' },
    { method: 'tools/register', params: { name: '', signature: 's', argv: ['x'] }, field: 'name' },
    { method: 'tools/register', params: { name: 'n', signature: 's', argv: [] }, field: 'argv' },
    { method: 'tools/register', params: { name: 'n', signature: 's', argv: [1] }, field: 'argv' },
    { method: 'tools/register', params: { name: 'n', signature: 's', argv: 'pytest' }, field: 'argv' },
    { method: 'route', params: { input: 'x', dryRun: 'yes' }, field: 'dryRun' },
    { method: 'route', params: { input: 'x', threshold: Number.NaN }, field: 'threshold' },
    { method: 'route', params: {}, field: 'input' },
    { method: 'usage/report', params: { kind: 'weekly' }, field: 'kind' },
    { method: 'statusline/update', params: {}, field: 'payload' },
    { method: 'daemon/status', params: [1, 2], field: 'params' },
    { method: 'daemon/status', params: 'x', field: 'params' },
  ] as const satisfies readonly Case[])('rejects $method $params (field $field)', ({ method, params, field }) => {
    const e = rejection(method, params);
    expect(e.code).toBe('invalid_argument');
    expect(e.details).toEqual({ field });
    expect(e.message).toContain(method);
    expect(e.message).toContain(field);
  });

  it('returns the params object unchanged', () => {
    const params = { limit: 3, extra: true };
    expect(validateParams('events/recent', params)).toBe(params);
  });
});
