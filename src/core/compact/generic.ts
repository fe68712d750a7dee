import type { CompactBody, CommandInfo, Compactor } from './types.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/** Removes ANSI escapes and applies carriage-return redraws (only what follows the last `\r` of a line stays). */
export function cleanLines(output: string): string[] {
  const text = output.includes('\x1b') ? output.replace(ANSI, '') : output;
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const redraws = text.includes('\r');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    let l = line;
    if (redraws && l.includes('\r')) {
      if (l.endsWith('\r')) l = l.slice(0, -1);
      const cr = l.lastIndexOf('\r');
      if (cr !== -1) l = l.slice(cr + 1);
    }
    if (l.endsWith(' ') || l.endsWith('\t')) l = l.trimEnd();
    if (l !== line) lines[i] = l;
  }
  return lines;
}

/** Control characters other than tab (binary output) shown as U+FFFD, so no NUL reaches the reader. */
export function showControls(line: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(line) ? line.replace(CONTROL, '\uFFFD') : line;
}

/** A line with each run of digits written as `0`: lines that differ only in numbers have the same shape. */
function shape(line: string): string {
  return line.replace(/\d+/g, '0');
}

/**
 * Runs of identical lines become one line with a count; runs of three or more lines that differ only in
 * their numbers (progress, counters, timings) keep their first and last line around a count of the rest.
 * Runs of blank lines become one blank line.
 */
export function collapseRepeats(lines: readonly string[]): string[] {
  const out: string[] = [];
  // each line's shape is computed at most once, so a run of near-identical lines costs one pass
  const shapes: (string | undefined)[] = new Array<string | undefined>(lines.length);
  const shapeAt = (x: number): string => (shapes[x] ??= shape(lines[x] ?? ''));
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    let j = i + 1;
    while (j < lines.length && lines[j] === line) j++;
    if (j - i > 1) {
      out.push(line === '' ? '' : `${line}  (×${j - i})`);
      i = j;
      continue;
    }
    let k = i + 1;
    if (/\d/.test(line)) while (k < lines.length && shapeAt(k) === shapeAt(i)) k++;
    if (k - i >= 3) {
      out.push(line, `  … ${k - i - 2} similar lines …`, lines[k - 1] ?? '');
      i = k;
      continue;
    }
    out.push(line);
    i++;
  }
  return out;
}

const HEAD = 40;
const TAIL = 60;
const MAX_LINE = 400;
const KEEP_OF_LONG_LINE = 300;

/** Keeps the first HEAD and last TAIL lines, with one line saying how many were left out between them. */
export function headTail(lines: readonly string[], head = HEAD, tail = TAIL): string[] {
  if (lines.length <= head + tail + 1) return [...lines];
  return [...lines.slice(0, head), `… ${lines.length - head - tail} lines left out …`, ...lines.slice(-tail)];
}

/** A line over MAX_LINE characters keeps its start and says how many characters were left out. */
export function capLine(line: string): string {
  if (line.length <= MAX_LINE) return line;
  return `${line.slice(0, KEEP_OF_LONG_LINE)} … (${line.length - KEEP_OF_LONG_LINE} more characters)`;
}

/** The fallback for every command: ANSI and redraws removed, repeats collapsed, head and tail kept. */
export const genericCompactor: Compactor = {
  id: 'generic',
  family: 'generic',
  matches: () => true,
  compact(_cmd: CommandInfo, output: string, exitCode: number | null): CompactBody {
    const binary = output.includes('\0');
    const lines = headTail(collapseRepeats(cleanLines(output))).map((l) => showControls(capLine(l)));
    if (binary) lines.unshift('[binary output: control characters shown as \uFFFD]');
    return { text: lines.join('\n'), facts: { tool: 'generic', exitCode } };
  },
};
