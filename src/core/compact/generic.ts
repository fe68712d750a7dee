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

/** Collapsed lines, each with how many lines of the output it stands for. */
interface Folded {
  lines: string[];
  covers: number[];
}

/**
 * Runs of identical lines become one line with a count; runs of three or more lines that differ only in
 * their numbers (progress, counters, timings) keep their first and last line around a count of the rest.
 * Runs of blank lines become one blank line.
 */
function fold(lines: readonly string[]): Folded {
  const out: Folded = { lines: [], covers: [] };
  const push = (line: string, covers: number): void => {
    out.lines.push(line);
    out.covers.push(covers);
  };
  // each line's shape is computed at most once, so a run of near-identical lines costs one pass
  const shapes: (string | undefined)[] = new Array<string | undefined>(lines.length);
  const shapeAt = (x: number): string => (shapes[x] ??= shape(lines[x] ?? ''));
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    let j = i + 1;
    while (j < lines.length && lines[j] === line) j++;
    if (j - i > 1) {
      push(line === '' ? '' : `${line}  (×${j - i})`, j - i);
      i = j;
      continue;
    }
    let k = i + 1;
    if (/\d/.test(line)) while (k < lines.length && shapeAt(k) === shapeAt(i)) k++;
    if (k - i >= 3) {
      push(line, 1);
      push(`  … ${k - i - 2} similar lines …`, k - i - 2);
      push(lines[k - 1] ?? '', 1);
      i = k;
      continue;
    }
    push(line, 1);
    i++;
  }
  return out;
}

/** The generic fold alone: identical runs counted, near-identical runs (numbers only differ) cut around a count. */
export function foldSimilar(lines: readonly string[]): string[] {
  return fold(lines).lines;
}

/**
 * Lossless condensing for output that is the information itself (diffs, logs): only runs of identical lines
 * become one line with a count; nothing else changes.
 */
export function collapseRepeats(lines: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    let j = i + 1;
    while (j < lines.length && lines[j] === line) j++;
    out.push(j - i > 1 ? `${line}  (×${j - i})` : line);
    i = j;
  }
  return out;
}

const HEAD = 40;
const TAIL = 60;
const MAX_LINE = 400;
const KEEP_OF_LONG_LINE = 300;
/** Outputs longer than this are read only in their first and last REGION characters (the middle is counted). */
const LARGE = 1024 * 1024;
const REGION = 256 * 1024;

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const leftOut = (n: number): string => `… ${n} line${n === 1 ? '' : 's'} of the output left out …`;

/** Newlines in output[from, to). */
function newlines(output: string, from: number, to: number): number {
  let n = 0;
  for (let i = output.indexOf('\n', from); i !== -1 && i < to; i = output.indexOf('\n', i + 1)) n++;
  return n;
}

/** Head and tail of the folded output, the marker counting the output lines behind what was cut. */
function keepEnds(output: string): string[] {
  const all = fold(cleanLines(output));
  if (all.lines.length <= HEAD + TAIL + 1) return all.lines;
  const cut = sum(all.covers.slice(HEAD, -TAIL));
  return [...all.lines.slice(0, HEAD), leftOut(cut), ...all.lines.slice(-TAIL)];
}

/**
 * A large output is read in its first and last REGION characters, cut at line ends; the lines between are
 * only counted. Null when those regions would not be whole lines apart (a few huge lines).
 */
function keepEndsOfLarge(output: string): string[] | null {
  const headEnd = output.lastIndexOf('\n', REGION);
  const tailStart = output.indexOf('\n', output.length - REGION) + 1;
  if (headEnd <= 0 || tailStart <= headEnd + 1 || tailStart >= output.length) return null;
  const head = fold(cleanLines(output.slice(0, headEnd)));
  const tail = fold(cleanLines(output.slice(tailStart)));
  const headRaw = newlines(output, 0, headEnd) + 1;
  const tailRaw = newlines(output, tailStart, output.length) + (output.endsWith('\n') ? 0 : 1);
  const keptHead = head.lines.length > HEAD ? HEAD : head.lines.length;
  const keptTail = tail.lines.length > TAIL ? TAIL : tail.lines.length;
  const cut =
    newlines(output, headEnd + 1, tailStart) +
    (headRaw - sum(head.covers.slice(0, keptHead))) +
    (tailRaw - sum(tail.covers.slice(tail.covers.length - keptTail)));
  return [...head.lines.slice(0, keptHead), leftOut(cut), ...tail.lines.slice(tail.lines.length - keptTail)];
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
    const kept = (output.length > LARGE ? keepEndsOfLarge(output) : null) ?? keepEnds(output);
    const lines = kept.map((l) => showControls(capLine(l)));
    if (binary) lines.unshift('[binary output: control characters shown as \uFFFD]');
    return { text: lines.join('\n'), facts: { tool: 'generic', exitCode } };
  },
};
