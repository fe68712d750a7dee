/**
 * Helpers shared by the Python, Go, Rust and C toolchain compactors: reading lines, finding the
 * subcommand, the one-line header every compact text starts with, and keeping long lists short.
 */
import { cleanLines } from './generic.js';
import { exitNote } from './lines.js';
import type { CommandInfo } from './types.js';

/** Charset-selection escapes (`ESC ( B`) some tools print after colour resets; cleanLines keeps them. */
// eslint-disable-next-line no-control-regex
const CHARSET = /\x1b[()][0-9A-Za-z]/g;

/** The output's lines without ANSI colour, charset escapes or `\r` redraws. */
export function toolLines(output: string): string[] {
  return cleanLines(output.replace(CHARSET, ''));
}

/** The first word after the program that is not a flag (`test` in `cargo +nightly test --lib`). */
export function subcommand(cmd: CommandInfo): string {
  for (const w of cmd.words.slice(1)) {
    if (!w.startsWith('-') && !w.startsWith('+')) return w;
  }
  return '';
}

/** `tool: what (exit N)`, the first line of every toolchain compact text. */
export function headerLine(tool: string, what: string, exitCode: number | null): string {
  return `${tool}: ${what} ${exitNote(exitCode)}`;
}

/** The text cut to `max` characters with an ellipsis when longer. */
export function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** At most `max` items, then one line saying how many more there were. */
export function capList(items: readonly string[], max: number, what: string): string[] {
  if (items.length <= max) return [...items];
  return [...items.slice(0, max), `… ${items.length - max} more ${what}`];
}

/** Seconds as printed by a tool (`4.44s`, `0.004s`) in whole milliseconds. */
export function secondsToMs(seconds: string): number {
  return Math.round(Number(seconds) * 1000);
}

/** Values in first-seen order without repeats. */
export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** A diagnostic split into its file and the rest (`12:5: error: …`); a line with no file has `file` ''. */
export interface FileLine {
  file: string;
  text: string;
}

/**
 * Diagnostics in their order, each run of the same file under one line naming the file: the path is said
 * once instead of on every line. A line without a file is kept as it is and ends the run.
 */
export function fileGroups(items: readonly FileLine[]): string[] {
  const out: string[] = [];
  let file = '';
  for (const item of items) {
    if (item.file === '') {
      out.push(item.text);
      file = '';
      continue;
    }
    if (item.file !== file) out.push((file = item.file));
    out.push(`  ${item.text}`);
  }
  return out;
}

/** `path/file.ext:12:5: rest` as file and `12:5: rest`; null when the line does not start with a location. */
export function splitLocation(line: string): FileLine | null {
  const m = /^(\S(?:.*?\S)?):(\d+(?::\d+)?: .*)$/.exec(line);
  return m ? { file: m[1] ?? '', text: m[2] ?? '' } : null;
}
