import { describe, expect, it } from 'vitest';
import { AppError, type AppErrorCode } from '../../src/core/errors.js';
import { APP_CODES, appErrorToWire, JSONRPC_CODES, wireToAppError } from '../../src/rpc/error-codes.js';

describe('error codes', () => {
  it('uses the standard JSON-RPC codes for protocol faults', () => {
    expect(JSONRPC_CODES).toEqual({
      parseError: -32700,
      invalidRequest: -32600,
      methodNotFound: -32601,
      invalidParams: -32602,
      internalError: -32603,
    });
  });

  it('keeps application codes outside the reserved range, each distinct', () => {
    const codes = Object.values(APP_CODES);
    for (const code of codes) expect(code < -32768 || code > -32000).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('appErrorToWire', () => {
  it.each(Object.keys(APP_CODES) as AppErrorCode[])('maps %s with data.kind and no stack', (kind) => {
    const wire = appErrorToWire(new AppError(kind, `something ${kind}`, { id: 7 }));
    expect(wire.code).toBe(kind === 'invalid_argument' ? JSONRPC_CODES.invalidParams : APP_CODES[kind]);
    expect(wire.message).toBe(`something ${kind}`);
    expect(wire.data).toEqual({ kind, id: 7 });
    expect(JSON.stringify(wire)).not.toMatch(/\n\s+at |stack/);
  });

  it('keeps data.kind even when details carry a field called kind', () => {
    const wire = appErrorToWire(new AppError('not_found', 'no such pattern', { kind: 'pattern' }));
    expect(wire.data?.kind).toBe('not_found');
  });
});

describe('wireToAppError', () => {
  it('round-trips an AppError', () => {
    const original = new AppError('conflict', 'already approved', { id: 3 });
    const back = wireToAppError(appErrorToWire(original));
    expect(back).toBeInstanceOf(AppError);
    expect(back.code).toBe('conflict');
    expect(back.message).toBe('already approved');
    expect(back.details).toEqual({ id: 3, rpcCode: APP_CODES.conflict });
  });

  it.each([
    [{ code: -32602, message: 'bad' }, 'invalid_argument'],
    [{ code: -32601, message: 'Method not found' }, 'not_found'],
    [{ code: -32603, message: 'Internal error' }, 'internal'],
    [{ code: -32700, message: 'Parse error' }, 'internal'],
    [{ code: -31004, message: 'x', data: { kind: 'made_up' } }, 'internal'],
    [{ code: -31004, message: 'x', data: 'not an object' }, 'internal'],
  ] as const)('maps %j to %s', (wire, code) => {
    expect(wireToAppError(wire).code).toBe(code);
  });
});
