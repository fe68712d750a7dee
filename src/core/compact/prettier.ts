/**
 * Prettier `--check` and `--list-different`: the files that need formatting (every path, unless the list is
 * huge, then the rest counted), syntax errors with their location, and Prettier's own verdict.
 */
import { cleanLines } from './generic.js';
import { exitNote, hasWord, joinCapped, plural, tidy, shorterOf } from './lines.js';
import type { CompactBody, Compactor } from './types.js';

/** Paths listed before the rest are counted. */
const PATHS_MAX = 200;

const WARN = /^\[warn\] (.*)$/;
const ERROR_HEAD = /^\[error\] (.+?): (\w*Error): (.*)$/;
const ERROR_ANY = /^\[error\] ?(.*)$/;
const VERDICT =
  /^(?:Code style issues|All matched files use Prettier|Error occurred when checking|Checking formatting)/;

interface Parsed {
  files: string[];
  errors: string[];
  verdicts: string[];
  other: string[];
}

function parse(lines: readonly string[], listing: boolean): Parsed {
  const p: Parsed = { files: [], errors: [], verdicts: [], other: [] };
  for (const line of lines) {
    if (line.trim() === '') continue;
    const w = WARN.exec(line);
    const text = w ? (w[1] ?? '') : line;
    if (VERDICT.test(text)) {
      if (!text.startsWith('Checking formatting')) p.verdicts.push(text);
      continue;
    }
    const e = ERROR_HEAD.exec(line);
    if (e) {
      p.errors.push(`${e[1]} ${e[2]}: ${e[3]}`);
      continue;
    }
    // the code frame under a syntax error
    if (ERROR_ANY.test(line)) continue;
    if (w || (listing && !line.includes(' '))) p.files.push(text);
    else p.other.push(line);
  }
  return p;
}

function compactPrettier(listing: boolean, output: string, exitCode: number | null): CompactBody | null {
  const lines = cleanLines(output);
  const p = parse(lines, listing);
  const empty = lines.every((l) => l.trim() === '');
  if (p.verdicts.length === 0 && p.files.length === 0 && p.errors.length === 0 && !(empty && exitCode === 0)) {
    return null;
  }
  const head =
    p.files.length === 0 && p.errors.length === 0
      ? `prettier: all files formatted ${exitNote(exitCode)}`
      : `prettier: ${plural(p.files.length, 'file')} not formatted, ${plural(p.errors.length, 'syntax error')} ${exitNote(exitCode)}`;
  const text = tidy([
    head,
    ...p.other,
    ...(p.files.length > 0 ? [joinCapped(p.files, PATHS_MAX, '\n')] : []),
    ...p.errors,
    ...p.verdicts,
  ]);
  return {
    text: text.join('\n'),
    facts: {
      tool: 'prettier',
      exitCode,
      files: p.files.length,
      errors: p.errors.length,
      locations: p.errors.map((e) => e.split(' ')[0] ?? ''),
      ...(p.verdicts[0] !== undefined ? { summary: p.verdicts[0] } : {}),
    },
  };
}

export const prettierCompactor: Compactor = {
  id: 'prettier',
  family: 'format',
  matches: (cmd) => cmd.program === 'prettier' && hasWord(cmd, '--check', '-c', '--list-different', '-l'),
  compact: (cmd, output, exitCode) =>
    shorterOf(compactPrettier(hasWord(cmd, '--list-different', '-l'), output, exitCode), output),
};
