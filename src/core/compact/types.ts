/**
 * The compactor contract: a pure function from what a command printed to the short text an agent needs.
 *
 * A compactor reads `(command, output, exit code)`, where `output` is stdout and stderr as the agent's Bash
 * tool would show them (interleaved, possibly with ANSI and `\r` redraws), and answers the compact text plus
 * the facts it read. It answers null when it cannot read the output (an unknown or newer format, a run killed
 * before its summary): the generic compactor then takes over, so a failure is never hidden and nothing is
 * invented.
 */

/** The families offload knows; `generic` is the fallback for every other command. */
export type CompactFamily = 'test' | 'build' | 'lint' | 'format' | 'install' | 'git' | 'generic';

export const COMPACT_FAMILIES: readonly CompactFamily[] = [
  'test',
  'build',
  'lint',
  'format',
  'install',
  'git',
  'generic',
];

/** A command as the compactors see it: the program's words after `cd X &&`, env assignments and runners. */
export interface CommandInfo {
  /** the whole command as the agent wrote it */
  command: string;
  /** the program and its arguments with runners (`npx`, `pnpm exec`, `uv run`, `python -m`, ...) removed */
  words: readonly string[];
  /** lower-case base name of the program (`vitest`, `pytest`, `go`, `cargo`, `npm`, `git`) */
  program: string;
}

/** What a compactor read from the output. Every field is optional: a compactor sets what it knows. */
export interface CompactFacts {
  /** the tool that produced the output: `vitest`, `jest`, `pytest`, `tsc`, `eslint`, `git`, `generic`, ... */
  tool: string;
  exitCode: number | null;
  passed?: number;
  failed?: number;
  skipped?: number;
  errors?: number;
  warnings?: number;
  files?: number;
  durationMs?: number;
  /** names of the failing tests, each kept */
  failures?: string[];
  /** `file:line[:col]` of every error, each kept */
  locations?: string[];
  /** the runner's own summary line, verbatim */
  summary?: string;
}

export interface CompactBody {
  /** the compact text without the closing "left out" line (compact() adds it) */
  text: string;
  facts: CompactFacts;
}

export interface Compactor {
  /** short id, also `facts.tool` by default: `vitest`, `pytest`, `git-status`, ... */
  id: string;
  family: CompactFamily;
  /** true when this compactor is meant for the command (by its program and arguments) */
  matches(cmd: CommandInfo): boolean;
  /**
   * For commands that hide the runner (`npm test`, `make test`, `yarn test`): true when the output itself
   * looks like this tool's. Optional; compactors without it are chosen by command only.
   */
  sniff?(output: string): boolean;
  /** the compact form, or null when the output cannot be read (the generic compactor takes over) */
  compact(cmd: CommandInfo, output: string, exitCode: number | null): CompactBody | null;
}

export interface CompactOptions {
  /** how the reader sees the whole output, for the closing line, e.g. `outloop runs show r-1a2b` */
  seeAll?: string;
}

export interface CompactResult {
  family: CompactFamily;
  /** the compactor that answered (`generic` after a fallback) */
  tool: string;
  /** the compact text, ending with one line saying how much was left out and how to see all of it */
  text: string;
  facts: CompactFacts;
  /** tokens of the output as given (ceil(UTF-8 bytes / 4), the same measure for both sides) */
  rawTokens: number;
  compactTokens: number;
}
