import type { CompactBody, CommandInfo, Compactor } from './types.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Removes ANSI escapes and applies carriage-return redraws (only what follows the last `\r` of a line stays). */
export function cleanLines(output: string): string[] {
  const text = output.replace(ANSI, '');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => {
    const l = line.endsWith('\r') ? line.slice(0, -1) : line;
    const cr = l.lastIndexOf('\r');
    return (cr === -1 ? l : l.slice(cr + 1)).trimEnd();
  });
}

/** Consecutive identical lines become one line with a count. */
export function collapseRepeats(lines: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    let j = i + 1;
    while (j < lines.length && lines[j] === line) j++;
    const n = j - i;
    out.push(n > 1 ? `${line}  (×${n})` : line);
    i = j;
  }
  return out;
}

const HEAD = 40;
const TAIL = 60;

/** Keeps the first HEAD and last TAIL lines, with one line saying how many were left out between them. */
export function headTail(lines: readonly string[], head = HEAD, tail = TAIL): string[] {
  if (lines.length <= head + tail + 1) return [...lines];
  return [...lines.slice(0, head), `… ${lines.length - head - tail} lines left out …`, ...lines.slice(-tail)];
}

/** The fallback for every command: ANSI and redraws removed, repeats collapsed, head and tail kept. */
export const genericCompactor: Compactor = {
  id: 'generic',
  family: 'generic',
  matches: () => true,
  compact(_cmd: CommandInfo, output: string, exitCode: number | null): CompactBody {
    const lines = headTail(collapseRepeats(cleanLines(output)));
    return { text: lines.join('\n'), facts: { tool: 'generic', exitCode } };
  },
};
