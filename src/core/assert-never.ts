/**
 * The exhaustiveness check of a `switch` over a union: `assertNever(x)` type-checks only where every
 * member of x's union has been handled, so a new member without its case is a compile error. At run
 * time it hands the value back unchanged rather than throwing, so a value outside the declared union
 * (an event kind or a resource key from a newer daemon) passes through the default case quietly.
 */
export function assertNever(value: never): never {
  return value;
}
