import { isAbsolute, resolve } from 'node:path';
import { CWD_POLICIES, METHODS, type CwdPolicy, type ToolInfo } from '../../rpc/protocol.js';
import { findOnPath } from '../../sys/executable.js';
import { withDaemon } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, helpText, parseCommand, printJson, reportError, UsageError } from '../shared.js';
import { renderTable } from '../table.js';

const USAGE =
  'outloop tools register --name N --signature SIG [--trigger PHRASE]... [--timeout SECONDS] [--output-cap BYTES]\n' +
  '                       [--cwd-policy request|fixed|inherit] [--cwd DIR] [--json] -- COMMAND ARG...\n' +
  '       outloop tools list [--json]\n' +
  '       outloop tools enable|disable NAME [--json]';

const spec = {
  name: 'tools',
  usage: USAGE,
  summary:
    'The registry of deterministic tools. A tool is an argv (run without a shell, the request as JSON on stdin) linked to the ' +
    'pattern with the same signature; it routes only while enabled and its pattern is approved or active. ' +
    "Defaults: timeout 600 s, output cap 1 MiB, cwd policy request (the caller's cwd, else --cwd, else this directory).",
  options: {
    ...DAEMON_CLIENT_OPTIONS,
    name: { type: 'string' },
    signature: { type: 'string' },
    trigger: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    'output-cap': { type: 'string' },
    'cwd-policy': { type: 'string' },
    cwd: { type: 'string' },
  },
  positionals: { min: 1, max: 2 },
} as const;

/** A relative path becomes absolute against this cwd; a bare name is looked up on this PATH. */
export function resolveCommand(command: string, cwd: string, path: string | undefined): string {
  if (isAbsolute(command)) return command;
  if (command.includes('/')) return resolve(cwd, command);
  return findOnPath(command, path, cwd) ?? command; // else the daemon explains what is wrong
}

function positiveInt(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got '${raw}'`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const head = dash === -1 ? argv : argv.slice(0, dash);
  const command = dash === -1 ? [] : argv.slice(dash + 1);
  const parsed = parseCommand(spec, head);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const json = v.json;
  const [sub, arg] = parsed.positionals;
  const autostart = !v['no-autostart'];
  try {
    switch (sub) {
      case 'register': {
        if (arg !== undefined) throw new UsageError('register takes no positional argument before --');
        if (!v.name) throw new UsageError('register needs --name');
        if (!v.signature) throw new UsageError('register needs --signature');
        if (command.length === 0)
          throw new UsageError('register needs the command after --, e.g. -- ./scripts/run-tests.sh --quick');
        const policy = v['cwd-policy'] ?? 'request';
        if (!(CWD_POLICIES as readonly string[]).includes(policy))
          throw new UsageError(`--cwd-policy must be one of ${CWD_POLICIES.join(', ')}`);
        const cwd = resolve(v.cwd ?? process.cwd());
        const [cmd = '', ...args] = command;
        const tool = await withDaemon(autostart, (c) =>
          c.request(METHODS.toolsRegister, {
            name: v.name ?? '',
            signature: v.signature ?? '',
            triggers: v.trigger ?? [],
            argv: [resolveCommand(cmd, process.cwd(), process.env['PATH']), ...args],
            ...(v.timeout ? { timeoutMs: positiveInt(v.timeout, '--timeout') * 1000 } : {}),
            ...(v['output-cap'] ? { outputCapBytes: positiveInt(v['output-cap'], '--output-cap') } : {}),
            cwdPolicy: policy as CwdPolicy,
            ...(policy === 'inherit' ? {} : { cwd }),
          }),
        );
        if (json) printJson(tool);
        else process.stdout.write(`${describe(tool)}\n`);
        return EXIT.ok;
      }
      case 'list': {
        if (arg !== undefined) throw new UsageError('list takes no argument');
        const list = await withDaemon(autostart, (c) => c.request(METHODS.toolsList, {}));
        if (json) printJson(list);
        else process.stdout.write(render(list));
        return EXIT.ok;
      }
      case 'enable':
      case 'disable': {
        if (arg === undefined) throw new UsageError(`${sub} needs the tool's NAME`);
        const method = sub === 'enable' ? METHODS.toolsEnable : METHODS.toolsDisable;
        const tool = await withDaemon(autostart, (c) => c.request(method, { name: arg }));
        if (json) printJson(tool);
        else process.stdout.write(`${describe(tool)}\n`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown subcommand '${sub ?? ''}': use register, list, enable or disable`);
    }
  } catch (e) {
    if (e instanceof UsageError && !json) {
      process.stderr.write(`outloop tools: ${e.message}\n\n${helpText(spec)}`);
      return EXIT.usage;
    }
    return reportError('tools', e, json);
  }
}

function state(t: ToolInfo): string {
  if (!t.enabled) return `disabled${t.disabledReason ? ` (${t.disabledReason})` : ''}`;
  if (t.routable) return 'routable';
  return t.patternStatus === null ? 'waiting for its pattern' : `enabled; pattern is ${t.patternStatus}`;
}

function describe(t: ToolInfo): string {
  return `tool ${t.name} → ${t.signature}: ${state(t)}`;
}

function render(list: ToolInfo[]): string {
  if (list.length === 0) return "no tools registered: see 'outloop tools register --help'\n";
  return renderTable(
    ['name', 'signature', 'pattern', 'state', 'runs', 'success', 'timeout', 'command'],
    list.map((t) => [
      t.name,
      t.signature,
      t.patternId === null ? '—' : `${t.patternId} ${t.patternStatus ?? ''}`,
      state(t),
      t.runs,
      t.successRate === null ? '—' : `${Math.round(t.successRate * 1000) / 10}%`,
      `${Math.round(t.timeoutMs / 1000)} s`,
      t.argv.join(' ').slice(0, 60),
    ]),
  );
}
