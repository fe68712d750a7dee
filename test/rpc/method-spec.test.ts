import { describe, expect, expectTypeOf, it } from 'vitest';
import type { PatternStatus } from '../../src/core/types.js';
import { methodKey, returns, type FieldSpec, type ParamsFrom, type ResultFrom } from '../../src/rpc/method-spec.js';
import { METHODS, RPC_METHODS, type MethodName, type ParamsOf, type ResultOf } from '../../src/rpc/protocol.js';

describe('methodKey', () => {
  it.each([
    ['patterns/list', 'patternsList'],
    ['statusline/update', 'statuslineUpdate'],
    ['route', 'route'],
    ['a/b/c', 'aBC'],
  ])('%s → %s', (name, key) => {
    expect(methodKey(name)).toBe(key);
  });
});

describe('METHODS', () => {
  it('names every method of the table once, under its camel-case key', () => {
    const names = Object.keys(RPC_METHODS) as MethodName[];
    expect(Object.entries(METHODS)).toEqual(names.map((name) => [methodKey(name), name]));
    expect(METHODS.patternsList).toBe('patterns/list');
    expect(METHODS.usageReport).toBe('usage/report');
  });
});

describe('types read off the specs', () => {
  it('makes required fields present, the others optional, oneOf a union', () => {
    type Specs = {
      id: { type: 'integer'; required: true; min: 1 };
      tags: { type: 'string[]' };
      mode: { type: 'string'; oneOf: readonly ['a', 'b'] };
      on: { type: 'boolean'; required: true };
      payload: { type: 'unknown' };
    };
    expectTypeOf<ParamsFrom<Specs>>().toEqualTypeOf<{
      id: number;
      on: boolean;
      tags?: string[];
      mode?: 'a' | 'b';
      payload?: unknown;
    }>();
    expectTypeOf<ParamsFrom<Record<never, FieldSpec>>>().toEqualTypeOf<Record<string, never> | undefined>();
  });

  it('carries the result type of an entry', () => {
    const entry = { params: {}, result: returns<{ line: string }>() };
    expectTypeOf<ResultFrom<typeof entry>>().toEqualTypeOf<{ line: string }>();
    expect(entry.result).toEqual({});
  });

  it('types the protocol methods from the table', () => {
    expectTypeOf<ParamsOf<'patterns/list'>['status']>().toEqualTypeOf<PatternStatus | undefined>();
    expectTypeOf<ParamsOf<'usage/report'>['kind']>().toEqualTypeOf<'daily' | 'monthly' | 'session' | 'blocks'>();
    expectTypeOf<ResultOf<'statusline/update'>>().toEqualTypeOf<{ line: string }>();
  });
});
