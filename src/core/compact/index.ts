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
  return Math.ceil(utf8ByteLength(text) / 4);
}

/** Runners that stand before the real program; the value is how many words they take. */
const RUNNERS: Readonly<Record<string, number>> = { npx: 1, bunx: 1, pnpx: 1 };
const RUNNER_PAIRS: Readonly<Record<string, number>> = {
  'pnpm exec': 2,
  'pnpm dlx': 2,
  'yarn exec': 2,
  'yarn dlx': 2,
  'npm exec': 2,
  'uv run': 2,
  'poetry run': 2,
  'pipenv run': 2,
  'python -m': 2,
  'python3 -m': 2,
  'bun x': 2,
};

/** The command as compactors see it: the first simple command that is not `cd`, runners removed. */
export function commandInfo(command: string): CommandInfo {
  const commands = parseShell(command).commands;
  const first = commands.find((words) => {
    const w = words.slice(commandStart(words));
    return w.length > 0 && w[0] !== 'cd';
  });
  let words = first ? first.slice(commandStart(first)) : [];
  for (let changed = true; changed && words.length > 0;) {
    changed = false;
    const pair = `${baseName(words[0] ?? '')} ${words[1] ?? ''}`;
    const skip = RUNNER_PAIRS[pair] ?? RUNNERS[baseName(words[0] ?? '')];
    if (skip !== undefined && words.length > skip) {
      words = words.slice(skip);
      while ((words[0] ?? '').startsWith('-') && words.length > 1) words = words.slice(1);
      changed = true;
    }
  }
  return { command, words, program: baseName(words[0] ?? '').toLowerCase() };
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

function leftOutLine(rawTokens: number, compactTokens: number, rawLines: number, opts: CompactOptions): string {
  const where = opts.seeAll ? `; full output: ${opts.seeAll}` : '';
  if (compactTokens >= rawTokens) return `[outloop: nothing left out (${rawLines} lines)${where}]`;
  const pct = Math.round((1 - compactTokens / Math.max(1, rawTokens)) * 100);
  return `[outloop: ${rawLines} lines, ~${rawTokens} tokens compacted to ~${compactTokens} (${pct}% left out)${where}]`;
}

/** Compacts one command's output. Never throws; a compactor that cannot read the output falls back to generic. */
export function compact(
  command: string,
  output: string,
  exitCode: number | null,
  opts: CompactOptions = {},
): CompactResult {
  const cmd = commandInfo(command);
  let chosen: Compactor = genericCompactor;
  let body: CompactBody | null = null;
  const candidates = COMPACTORS.filter((c) => c.matches(cmd));
  if (candidates.length === 0) candidates.push(...COMPACTORS.filter((c) => c.sniff?.(output) === true));
  for (const c of candidates) {
    try {
      body = c.compact(cmd, output, exitCode);
    } catch {
      body = null;
    }
    if (body !== null) {
      chosen = c;
      break;
    }
  }
  body ??= genericCompactor.compact(cmd, output, exitCode) ?? { text: output, facts: { tool: 'generic', exitCode } };
  const rawTokens = textTokens(output);
  const bodyTokens = textTokens(body.text);
  const rawLines = output === '' ? 0 : output.split('\n').length - (output.endsWith('\n') ? 1 : 0);
  const text = `${body.text}\n${leftOutLine(rawTokens, bodyTokens, rawLines, opts)}`;
  return {
    family: chosen.family,
    tool: chosen.id,
    text,
    facts: body.facts,
    rawTokens,
    compactTokens: textTokens(text),
  };
}
