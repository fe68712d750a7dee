/**
 * Seeing through `outloop run`: an offloaded Bash call reads `outloop run --pattern SIG -- 'CMD'`
 * (possibly with the node binary and the bin path written out absolutely). What it performs is CMD,
 * so learning, the hook and the compactors look at CMD, and the hook knows a command already wrapped.
 */
import { RUN_SUBCOMMAND } from './offload-file.js';
import { baseName, commandStart, parseShell, splitCommands } from '../shell-words.js';

/** The parts of a wrapped command. */
export interface RunWrap {
  /** the command `outloop run` executes: the words after `--`, joined with spaces as `outloop run` does */
  command: string;
  /** the `--pattern` value, null without one */
  pattern: string | null;
}

const NODE = /^(?:node|nodejs|node\d+)(?:\.exe)?$/i;
const OUTLOOP_BIN = /^outloop(?:\.c?js|\.mjs|\.exe|\.cmd)?$/i;

/** Index of the word after the program that is `outloop` (optionally run by node), or -1. */
function afterOutloop(words: readonly string[]): number {
  let i = commandStart(words);
  if (NODE.test(baseName(words[i] ?? ''))) {
    i++;
    while ((words[i] ?? '').startsWith('-')) i++; // node's own options (--no-warnings, ...)
  }
  const bin = words[i] ?? '';
  const isOutloop = OUTLOOP_BIN.test(baseName(bin)) || /(?:^|[\\/])cli[\\/]main\.js$/.test(bin);
  return isOutloop ? i + 1 : -1;
}

/**
 * The argv `outloop run` receives after `run`, read the way `outloop run` reads it: options until `--`
 * or the first word that is not an option; the rest is the command. Null when it names no command.
 */
export function readRunArgs(args: readonly string[]): (RunWrap & { json: boolean; help: boolean }) | null {
  let pattern: string | null = null;
  let json = false;
  let help = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      i++;
      break;
    }
    if (a === '--pattern') pattern = args[++i] ?? '';
    else if (a.startsWith('--pattern=')) pattern = a.slice('--pattern='.length);
    else if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') help = true;
    else if (a.startsWith('-')) return null;
    else break;
  }
  const rest = args.slice(i);
  if (rest.length === 0 && !help) return null;
  return { command: rest.join(' '), pattern, json, help };
}

/**
 * The wrapped command when `command` is exactly one `outloop run [--pattern SIG] [--] CMD...`, else null.
 * Anything joined to it (`;`, `&&`, pipes) makes it not a wrap: the whole line is then what ran.
 */
export function unwrapRunParts(command: string): RunWrap | null {
  // cheap refusal first: learning asks this of every command it reads
  if (!command.includes(` ${RUN_SUBCOMMAND}`) || !(command.includes('outloop') || command.includes('main.js')))
    return null;
  const parsed = parseShell(command);
  if (parsed.unterminated || parsed.commands.length !== 1) return null;
  const words = parsed.commands[0] ?? [];
  const at = afterOutloop(words);
  if (at < 0 || words[at] !== RUN_SUBCOMMAND) return null;
  const args = readRunArgs(words.slice(at + 1));
  if (args === null || args.help || args.command.trim() === '') return null;
  return { command: args.command, pattern: args.pattern };
}

/** The command inside an `outloop run` wrapper, or null when `command` is not one. */
export function unwrapRun(command: string): string | null {
  return unwrapRunParts(command)?.command ?? null;
}

/**
 * True when any command of the line runs `outloop run`: `outloop run …`, `/path/outloop run …`,
 * `node /path/dist/cli/outloop.cjs run …` or `node /path/dist/cli/main.js run …`, quoted or not, after env
 * assignments or wrappers, alone or joined to other commands. Wider than `unwrapRun` (one wrap alone): the
 * hook must not wrap again anything that already goes through `outloop run`.
 */
export function isOutloopRun(command: string): boolean {
  for (const words of splitCommands(command)) {
    const at = afterOutloop(words);
    if (at >= 0 && words[at] === RUN_SUBCOMMAND) return true;
  }
  return /(?:^|[\s/'"])outloop(?:\.c?js|\.mjs)?['"]?\s+run(?:\s|$)/.test(command);
}
