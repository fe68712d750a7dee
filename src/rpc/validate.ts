/**
 * The check of every request's params against its method's field specs in the protocol table,
 * before any handler runs.
 */
import { AppError } from '../core/errors.js';
import type { FieldSpec, FieldType, ParamSpecs } from './method-spec.js';
import { RPC_METHODS, type MethodName, type ParamsOf } from './protocol.js';

const TYPE_NAMES: Record<FieldType, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  'string[]': 'an array of strings',
  unknown: 'a value',
};

function fail(method: string, field: string, problem: string): never {
  throw new AppError('invalid_argument', `invalid params for ${method}: ${field} ${problem}`, { field });
}

function checkField(method: string, name: string, spec: FieldSpec, value: unknown): void {
  switch (spec.type) {
    case 'unknown':
      return;
    case 'string': {
      if (typeof value !== 'string') fail(method, name, 'must be a string');
      if (spec.minLength !== undefined && value.length < spec.minLength) fail(method, name, 'must not be empty');
      if (spec.maxLength !== undefined && value.length > spec.maxLength)
        fail(method, name, `must be at most ${spec.maxLength} characters`);
      if (spec.oneOf && !spec.oneOf.includes(value)) fail(method, name, `must be one of ${spec.oneOf.join(', ')}`);
      return;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(method, name, 'must be a number');
      // a safe integer only: above 2^53 two different ids read as the same number
      if (spec.type === 'integer' && !Number.isSafeInteger(value)) fail(method, name, 'must be a safe integer');
      if (spec.min !== undefined && value < spec.min) fail(method, name, `must be >= ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) fail(method, name, `must be <= ${spec.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail(method, name, 'must be a boolean');
      return;
    case 'string[]': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        fail(method, name, 'must be an array of strings');
      if (spec.minLength !== undefined && value.length < spec.minLength)
        fail(method, name, `must have at least ${spec.minLength} item(s)`);
      if (spec.maxLength !== undefined && value.length > spec.maxLength)
        fail(method, name, `must have at most ${spec.maxLength} items`);
      return;
    }
  }
}

export function isKnownMethod(method: string): method is MethodName {
  return Object.prototype.hasOwnProperty.call(RPC_METHODS, method);
}

/** Returns the params typed for the method, or throws an invalid_argument AppError. */
export function validateParams<M extends MethodName>(method: M, params: unknown): ParamsOf<M> {
  const specs: ParamSpecs = RPC_METHODS[method].params;
  if (params === undefined || params === null) params = {};
  if (typeof params !== 'object' || Array.isArray(params)) fail(method, 'params', 'must be an object');
  const obj = params as Record<string, unknown>;
  for (const [name, spec] of Object.entries(specs)) {
    const value = obj[name];
    if (value === undefined) {
      if (spec.required) fail(method, name, 'is required');
      continue;
    }
    if (value === null && spec.type !== 'unknown') fail(method, name, `must be ${TYPE_NAMES[spec.type]}, not null`);
    if (value === null && spec.required) fail(method, name, 'is required');
    checkField(method, name, spec, value);
  }
  return obj as ParamsOf<M>;
}
