/**
 * `compact(command, output, exitCode)`: the one entry point of the compactors, shared by `outloop run`,
 * `outloop compact`, the built-in route runner and the savings replay.
 */
import { baseName, commandStart, parseShell } from '../shell-words.js';
import { utf8ByteLength } from '../text.js';
import { genericCompactor } from './generic.js';
import { COMPACTORS } from './registry.js';
import type { CommandInfo, CompactBody, CompactFamily, CompactOptions, CompactResult, Compactor } from './types.js';

export type { CommandInfo, CompactFacts, CompactFamily, CompactOptions, CompactResult, Compactor } from './types.js';

/** Tokens as both sides of a saving are measured: ceil(UTF-8 bytes / 4). */
export function textTokens(text: string): number {
  return Math.ceil(utf8Bytes(text) / 4);
}

// eslint-disable-next-line no-control-regex
const NON_ASCII_RUN = /[^\x00-\x7f]+/g;

/** UTF-8 bytes of text: the native regex skips ASCII, only non-ASCII runs are measured one by one. */
function utf8Bytes(text: string): number {
  let n = text.length;
  for (const m of text.matchAll(NON_ASCII_RUN)) n += utf8ByteLength(m[0]) - m[0].length;
  return n;
}

/** Runners that stand before the real program; the value is how many words they take. */
const RUNNERS: Readonly<Record<string, number>> = { npx: 1, bunx: 1, pnpx: 1 };
const RUNNER_PAIRS: Readonly<Record<string, number>> = {
  'pnpm exec': 2,
  'pnpm dlx': 2,
  'pnpm run': 2,
  'yarn exec': 2,
  'yarn dlx': 2,
  'yarn run': 2,
  'npm exec': 2,
  'npm run': 2,
  'npm run-script': 2,
  'bun run': 2,
  'uv run': 2,
  'poetry run': 2,
  'pipenv run': 2,
  'python -m': 2,
  'python3 -m': 2,
  'bun x': 2,
};
/** Package managers that run a script or a dependency's binary given as their first word (`pnpm vitest`). */
const BARE_RUNNERS = new Set(['pnpm', 'yarn']);
/** Their own commands, which are not scripts or binaries. */
const PM_COMMANDS = new Set(
  (
    'add audit bin cache config create dedupe deploy dlx env exec fetch help i import info init install ' +
    'install-test it licenses link list login logout ls outdated pack patch prune publish rb rebuild remove ' +
    'rm root run set setup start store t test tst un uninstall unlink up update upgrade version view why ' +
    'whoami workspace workspaces x'
  ).split(' '),
);
/** Commands that prepare the shell rather than do the work: `cd X && npm test`, `source .venv/bin/activate && …`. */
const SETUP = new Set(['cd', 'pushd', 'popd', 'source', '.', 'export', 'set', 'unset', 'ulimit', 'umask', 'true', ':']);
/** Programs that run a project script chosen by name, so the output says which tool really ran. */
const SCRIPT_HOSTS = new Set(['npm', 'pnpm', 'yarn', 'bun', 'make']);

/** Runner options that take the next word as their value (`npx -p typescript tsc`, `npm exec -w web -- jest`). */
const VALUE_OPTIONS = new Set([
  '-p',
  '--package',
  '-c',
  '--call',
  '-w',
  '--workspace',
  '--with',
  '--python',
  '--group',
]);

function skipOptions(words: string[]): string[] {
  let w = words;
  while ((w[0] ?? '').startsWith('-') && w.length > 1) w = w.slice(VALUE_OPTIONS.has(w[0] ?? '') ? 2 : 1);
  return w;
}

/** The words of the first simple command that is not shell setup (`cd`, `source`, `export`), wrappers removed. */
function firstCommand(command: string): string[] {
  for (const words of parseShell(command).commands) {
    const w = words.slice(commandStart(words));
    if (w.length > 0 && !SETUP.has(w[0] ?? '')) return w;
  }
  return [];
}

/** The command as compactors see it: the first simple command that is not shell setup, runners removed. */
export function commandInfo(command: string): CommandInfo {
  let words = firstCommand(command);
  for (let changed = true; changed && words.length > 0;) {
    changed = false;
    const first = baseName(words[0] ?? '');
    const pair = `${first} ${words[1] ?? ''}`;
    const skip = RUNNER_PAIRS[pair] ?? RUNNERS[first];
    if (skip !== undefined && words.length > skip) {
      words = skipOptions(words.slice(skip));
      changed = true;
    } else if (
      BARE_RUNNERS.has(first) &&
      words.length > 1 &&
      !PM_COMMANDS.has(words[1] ?? '') &&
      !(words[1] ?? '').startsWith('-')
    ) {
      words = words.slice(1);
      changed = true;
    }
  }
  return { command, words, program: baseName(words[0] ?? '').toLowerCase() };
}

/** True when the command runs a project script (`npm test`, `pnpm run test:unit`, `make check`), hiding the tool. */
export function runsScript(command: string): boolean {
  const words = firstCommand(command);
  const program = baseName(words[0] ?? '').toLowerCase();
  if (program === 'node') return words.some((w) => w === '--run' || w.startsWith('--run='));
  if (program === 'deno') return words[1] === 'task';
  return SCRIPT_HOSTS.has(program);
}

/**
 * The command a package manager echoed before running a script: npm and pnpm print `> name@1.0.0 test` then
 * `> vitest run`; yarn 1 and bun print `$ vitest run`. Only the first lines are looked at.
 */
export function echoedScript(output: string): string | null {
  const lines = output.slice(0, 4096).split('\n', 12);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (/^> \S+@\S* \S+/.test(line) && (lines[i + 1] ?? '').trim().startsWith('> ')) {
      return (lines[i + 1] ?? '').trim().slice(2);
    }
    if (line.startsWith('$ ') && line.length > 2) return line.slice(2);
  }
  return null;
}

/** `Exit code N` lines that Claude Code puts before a failed command's output: the code, and the output without them. */
export function splitExitPrefix(output: string): { code: number | null; output: string } {
  let rest = output;
  let code: number | null = null;
  for (
    let m = /^(?:Error: )?Exit code (-?\d+)[ \t]*\r?\n/.exec(rest);
    m !== null;
    m = /^(?:Error: )?Exit code (-?\d+)[ \t]*\r?\n/.exec(rest)
  ) {
    code ??= Number(m[1]);
    rest = rest.slice(m[0].length);
  }
  const bare = /^(?:Error: )?Exit code (-?\d+)\s*$/.exec(rest);
  if (bare !== null) return { code: code ?? Number(bare[1]), output: '' };
  return { code, output: rest };
}

/** The compactor for a command by its words alone (null: only the generic one applies). */
export function compactorFor(command: string): Compactor | null {
  const cmd = commandInfo(command);
  return COMPACTORS.find((c) => c.matches(cmd)) ?? null;
}

/** The family offload would compact a command as (`generic` when no dedicated compactor knows it). */
export function familyOf(command: string): CompactFamily {
  return compactorFor(command)?.family ?? 'generic';
}

/**
 * The closing line: how much was left out and where the whole output is. Only the generic compactor can
 * leave nothing out; a dedicated one always summarizes, so its line gives the sizes even when nothing shrank.
 */
function leftOutLine(
  rawTokens: number,
  compactTokens: number,
  rawLines: number,
  opts: CompactOptions,
  summarized: boolean,
): string {
  const where = opts.seeAll ? `; full output: ${opts.seeAll}` : '';
  if (compactTokens >= rawTokens && !summarized) return `[outloop: nothing left out (${rawLines} lines)${where}]`;
  const pct = Math.max(0, Math.round((1 - compactTokens / Math.max(1, rawTokens)) * 100));
  return `[outloop: ${rawLines} lines, ~${rawTokens} → ~${compactTokens} tokens (${pct}% left out)${where}]`;
}

/** The compactors to try, in order: by the command, else (for a script runner) by the echoed script or the output. */
function candidatesFor(cmd: CommandInfo, command: string, output: string): Compactor[] {
  const direct = COMPACTORS.filter((c) => c.matches(cmd));
  if (direct.length > 0 || !runsScript(command)) return direct;
  const echoed = echoedScript(output);
  if (echoed !== null) {
    const byScript = COMPACTORS.filter((c) => c.matches(commandInfo(echoed)));
    if (byScript.length > 0) return byScript;
  }
  return COMPACTORS.filter((c) => c.sniff?.(output) === true);
}

function tryCompact(c: Compactor, cmd: CommandInfo, output: string, exitCode: number | null): CompactBody | null {
  try {
    return c.compact(cmd, output, exitCode);
  } catch {
    return null;
  }
}

/** Compacts one command's output. Never throws; a compactor that cannot read the output falls back to generic. */
export function compact(
  command: string,
  output: string,
  exitCode: number | null,
  opts: CompactOptions = {},
): CompactResult {
  const cmd = commandInfo(command);
  const prefixed = splitExitPrefix(output);
  const code = exitCode ?? prefixed.code;
  let chosen: Compactor = genericCompactor;
  let body: CompactBody | null = null;
  for (const c of candidatesFor(cmd, command, prefixed.output)) {
    body = tryCompact(c, cmd, prefixed.output, code);
    if (body !== null) {
      chosen = c;
      break;
    }
  }
  body ??= genericCompactor.compact(cmd, prefixed.output, code) ?? {
    text: output,
    facts: { tool: 'generic', exitCode: code },
  };
  const rawTokens = textTokens(output);
  const rawLines = countLines(output);
  const closing = (tokens: number): string =>
    `${body.text}\n${leftOutLine(rawTokens, tokens, rawLines, opts, chosen !== genericCompactor)}`;
  // the closing line counts itself: measured once with the body alone, then with the line it made
  const text = closing(textTokens(closing(textTokens(body.text))));
  return {
    family: chosen.family,
    tool: chosen.id,
    text,
    facts: body.facts,
    rawTokens,
    compactTokens: textTokens(text),
  };
}

function countLines(output: string): number {
  if (output === '') return 0;
  let n = 0;
  for (let i = output.indexOf('\n'); i !== -1; i = output.indexOf('\n', i + 1)) n++;
  return output.endsWith('\n') ? n : n + 1;
}
