/**
 * The vocabulary of the protocol table (protocol.ts): a method is its param field specs plus its
 * result type. The specs are runtime data (the daemon checks every request against them) and the
 * params' TypeScript types are read off them here, so a param is declared once.
 */

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'string[]' | 'unknown';

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

export type ParamSpecs = Readonly<Record<string, FieldSpec>>;

declare const resultType: unique symbol;

/** A method's result type, held at type level only: its runtime value is an empty object. */
export interface ResultMarker<T> {
  readonly [resultType]?: T;
}

/** Marks a table entry's result type: `result: returns<StatusResult>()`. */
export function returns<T>(): ResultMarker<T> {
  return {};
}

export interface MethodSpec {
  readonly params: ParamSpecs;
  readonly result: ResultMarker<unknown>;
}

/** The TypeScript value of each field type. */
interface FieldValues {
  string: string;
  integer: number;
  number: number;
  boolean: boolean;
  'string[]': string[];
  unknown: unknown;
}

/** A field's value: the listed strings when it has `oneOf`, else its type's value. */
export type FieldValue<F extends FieldSpec> = F extends { oneOf: readonly (infer S)[] } ? S : FieldValues[F['type']];

type RequiredKeys<S extends ParamSpecs> = {
  [K in keyof S]: S[K] extends { required: true } ? K : never;
}[keyof S];

type Flat<T> = { [K in keyof T]: T[K] } & {};

/**
 * The params object a method's specs describe: required fields present, the others optional. A
 * method without params takes an empty object or nothing.
 */
export type ParamsFrom<S extends ParamSpecs> = [keyof S] extends [never]
  ? Record<string, never> | undefined
  : Flat<
      { -readonly [K in RequiredKeys<S>]: FieldValue<S[K]> } & {
        -readonly [K in Exclude<keyof S, RequiredKeys<S>>]?: FieldValue<S[K]>;
      }
    >;

export type ResultFrom<S extends MethodSpec> = S['result'] extends ResultMarker<infer R> ? R : never;

/** `patterns/list` → `patternsList`: the key a method name has in `METHODS`. */
export type MethodKey<M extends string> = M extends `${infer Head}/${infer Tail}`
  ? `${Head}${MethodKey<Capitalize<Tail>>}`
  : M;

export function methodKey<M extends string>(method: M): MethodKey<M> {
  return method.replace(/\/(.)/g, (_slash, c: string) => c.toUpperCase()) as MethodKey<M>;
}
