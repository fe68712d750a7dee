import { AppError } from '../core/errors.js';
import { PATTERN_STATUSES } from '../core/types.js';
import type { DaemonMethods, ParamsOf } from './protocol.js';

type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'string[]' | 'unknown';

export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  min?: number;
  max?: number;
  /** for strings: max length in characters; for arrays: max items */
  maxLength?: number;
  minLength?: number;
  oneOf?: readonly string[];
}

type Schema = Record<string, FieldSpec>;

/** One spec for every param the protocol declares for a method: a param added there without one fails to compile. */
type SchemaFor<P> = { [K in keyof Required<NonNullable<P>>]: FieldSpec };

const MAX_INPUT_CHARS = 2 * 1024 * 1024;

const patternAction = {
  id: { type: 'integer', required: true, min: 1 },
  note: { type: 'string', maxLength: 10_000 },
  actor: { type: 'string', maxLength: 200 },
} satisfies Schema;

/**
 * Every method's params, checked before any handler runs. Unknown fields are ignored; a declared
 * one that is present must have its type (null included: no param is declared nullable).
 */
export const PARAM_SCHEMAS: { [M in keyof DaemonMethods]: SchemaFor<ParamsOf<M>> } = {
  'daemon/status': {},
  'daemon/shutdown': {},
  'events/subscribe': { since: { type: 'string', maxLength: 200 } },
  'events/recent': { limit: { type: 'integer', min: 1, max: 10_000 } },
  'patterns/list': {
    status: { type: 'string', oneOf: PATTERN_STATUSES },
    text: { type: 'string', maxLength: 1000 },
    sort: { type: 'string', oneOf: ['savings', 'confidence', 'occurrences', 'lastSeen', 'signature'] },
    limit: { type: 'integer', min: 1, max: 100_000 },
    offset: { type: 'integer', min: 0 },
  },
  'patterns/get': { id: { type: 'integer', required: true, min: 1 } },
  'patterns/approve': patternAction,
  'patterns/reject': patternAction,
  'patterns/deprecate': patternAction,
  'patterns/undo': patternAction,
  'patterns/rollback': { note: { type: 'string', maxLength: 10_000 }, actor: { type: 'string', maxLength: 200 } },
  'savings/summary': {
    days: { type: 'integer', min: 1, max: 3650 },
    since: { type: 'string', maxLength: 10 },
    until: { type: 'string', maxLength: 10 },
  },
  'savings/replay': { since: { type: 'string', maxLength: 10 }, until: { type: 'string', maxLength: 10 } },
  'tools/register': {
    name: { type: 'string', required: true, minLength: 1, maxLength: 200 },
    signature: { type: 'string', required: true, minLength: 1, maxLength: 500 },
    triggers: { type: 'string[]', maxLength: 100 },
    argv: { type: 'string[]', required: true, minLength: 1, maxLength: 1000 },
    timeoutMs: { type: 'integer', min: 1, max: 24 * 3600 * 1000 },
    // the runner holds up to this much of a tool's output in memory
    outputCapBytes: { type: 'integer', min: 1, max: 64 * 1024 * 1024 },
    cwdPolicy: { type: 'string', oneOf: ['request', 'fixed', 'inherit'] },
    cwd: { type: 'string', maxLength: 4096 },
  },
  'tools/list': {},
  'tools/enable': { name: { type: 'string', required: true, minLength: 1, maxLength: 200 } },
  'tools/disable': { name: { type: 'string', required: true, minLength: 1, maxLength: 200 } },
  route: {
    input: { type: 'string', required: true, maxLength: MAX_INPUT_CHARS },
    cwd: { type: 'string', maxLength: 4096 },
    workflowType: { type: 'string', maxLength: 200 },
    dryRun: { type: 'boolean' },
    threshold: { type: 'number', min: 0, max: 100 },
  },
  preflight: {
    input: { type: 'string', required: true, maxLength: MAX_INPUT_CHARS },
    workflowType: { type: 'string', maxLength: 200 },
    priority: { type: 'string', oneOf: ['low', 'normal', 'high'] },
  },
  forecast: {},
  'usage/report': {
    kind: { type: 'string', required: true, oneOf: ['daily', 'monthly', 'session', 'blocks'] },
    since: { type: 'string', maxLength: 10 },
    until: { type: 'string', maxLength: 10 },
  },
  'context/efficiency': {
    sessionId: { type: 'string', maxLength: 500 },
    workflowId: { type: 'string', maxLength: 500 },
  },
  'context/profile': { signature: { type: 'string', required: true, minLength: 1, maxLength: 500 } },
  'analyze/run': {
    createIssues: { type: 'boolean' },
    repo: { type: 'string', maxLength: 200 },
    cwd: { type: 'string', maxLength: 4096 },
  },
  'ingest/run': { paths: { type: 'string[]', required: true, minLength: 1, maxLength: 10_000 } },
  'statusline/update': { payload: { type: 'unknown', required: true } },
  'offload/status': {},
  'offload/set': {
    signature: { type: 'string', minLength: 1, maxLength: 500 },
    patternId: { type: 'integer', min: 1 },
    on: { type: 'boolean', required: true },
    actor: { type: 'string', maxLength: 200 },
    note: { type: 'string', maxLength: 10_000 },
  },
  'quarantine/list': { path: { type: 'string', maxLength: 4096 } },
};

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

export function isKnownMethod(method: string): method is keyof DaemonMethods {
  return Object.prototype.hasOwnProperty.call(PARAM_SCHEMAS, method);
}

/** Returns the params typed for the method, or throws an invalid_argument AppError. */
export function validateParams<M extends keyof DaemonMethods>(method: M, params: unknown): ParamsOf<M> {
  const schema: Schema = PARAM_SCHEMAS[method];
  if (params === undefined || params === null) params = {};
  if (typeof params !== 'object' || Array.isArray(params)) fail(method, 'params', 'must be an object');
  const obj = params as Record<string, unknown>;
  for (const [name, spec] of Object.entries(schema)) {
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
