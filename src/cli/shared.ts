import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, getErrorMessage } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';

export { EXIT };

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command shares, declared once. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

export const DAEMON_CLIENT_OPTIONS = {
  ...COMMON_OPTIONS,
  'no-autostart': { type: 'boolean', default: false },
} as const satisfies Options;

export interface CommandSpec<O extends Options> {
  name: string;
  usage: string;
  summary: string;
  options: O;
  positionals?: { min?: number; max?: number };
}

export class UsageError extends Error {}

export type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>;

/**
 * Parses argv for a command. Returns the parsed values, or an exit code when the command should
 * stop now (help printed: 0; bad usage printed to stderr: 2).
 */
export function parseCommand<O extends Options>(spec: CommandSpec<O>, argv: string[]): Parsed<O> | number {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: argv, options: spec.options, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`outloop ${spec.name}: ${getErrorMessage(e)}\n\n${helpText(spec)}`);
    return EXIT.usage;
  }
  if ((parsed.values as Record<string, unknown>)['help']) {
    process.stdout.write(helpText(spec));
    return EXIT.ok;
  }
  const n = parsed.positionals.length;
  const { min = 0, max = 0 } = spec.positionals ?? {};
  if (n < min || n > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    process.stderr.write(`outloop ${spec.name}: expected ${want} argument(s), got ${n}\n\n${helpText(spec)}`);
    return EXIT.usage;
  }
  return parsed;
}

export function helpText<O extends Options>(spec: CommandSpec<O>): string {
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, '', 'Options:'];
  for (const [name, opt] of Object.entries(spec.options)) {
    const o = opt as { type: string; short?: string; multiple?: boolean };
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ' VALUE' : ''}${o.multiple ? ' (repeatable)' : ''}`;
    lines.push(`  ${flag}`);
  }
  return `${lines.join('\n')}\n`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Reports an error on stderr (and, in JSON mode, one JSON document on stdout); returns the exit code. */
export function reportError(command: string, e: unknown, json: boolean, code?: number): number {
  const exit = code ?? exitCodeFor(e);
  const message = getErrorMessage(e);
  if (json) {
    const kind = e instanceof AppError ? e.code : 'internal';
    printJson({ error: { type: kind, message, code: exit } });
  }
  process.stderr.write(`outloop ${command}: ${message}\n`);
  return exit;
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.usage;
  if (e instanceof AppError) {
    if (e.code === 'unavailable') return EXIT.unreachable;
    if (e.code === 'invalid_argument') return EXIT.usage;
  }
  return EXIT.failure;
}
