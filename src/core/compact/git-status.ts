/**
 * `git status` in its long and short (`-s`, `--porcelain`) forms, grouped by state: one line per section
 * with every path and its change, the branch line kept, the `(use "git …")` hints left out.
 */
import { cleanLines } from './generic.js';
import { exitNote, joinCapped } from './lines.js';
import type { CompactBody } from './types.js';

/** Paths listed per section before the rest are counted. */
const PATHS_MAX = 500;

const SECTIONS: Readonly<Record<string, string>> = {
  'Changes to be committed:': 'staged',
  'Changes not staged for commit:': 'unstaged',
  'Untracked files:': 'untracked',
  'Unmerged paths:': 'unmerged',
  'Ignored files:': 'ignored',
};

const CHANGE: Readonly<Record<string, string>> = {
  modified: 'M',
  'new file': 'A',
  deleted: 'D',
  renamed: 'R',
  copied: 'C',
  typechange: 'T',
  'both modified': 'UU',
  'both added': 'AA',
  'both deleted': 'DD',
  'added by us': 'AU',
  'added by them': 'UA',
  'deleted by us': 'DU',
  'deleted by them': 'UD',
};

/** `modified:   path` or `new file:   path (new commits)`; untracked entries are a bare path */
const ENTRY = /^([a-z ]+):\s+(.*)$/;
const HINT = /^\s*\(use "git |^\s*\(commit or discard|^\s*\(fix conflicts|^\s*\(all conflicts fixed/;

function section(name: string, paths: readonly string[]): string {
  return `${name} (${paths.length}): ${joinCapped(paths, PATHS_MAX)}`;
}

function compactLong(lines: readonly string[], exitCode: number | null): CompactBody | null {
  const groups = new Map<string, string[]>();
  const other: string[] = [];
  let current = '';
  for (const line of lines) {
    if (line.trim() === '' || HINT.test(line)) continue;
    const sec = SECTIONS[line.trim()];
    if (sec !== undefined) {
      current = sec;
      groups.set(sec, groups.get(sec) ?? []);
      continue;
    }
    if (current !== '' && line.startsWith('\t')) {
      const entry = line.slice(1);
      const e = ENTRY.exec(entry);
      const code = e ? CHANGE[e[1] ?? ''] : undefined;
      groups.get(current)?.push(code !== undefined && e ? `${code} ${e[2]}` : entry);
      continue;
    }
    current = '';
    other.push(line);
  }
  if (
    groups.size === 0 &&
    !other.some((l) => /^(?:On branch|HEAD detached|nothing to commit|Not currently on)/.test(l))
  )
    return null;
  const text = [...other, ...[...groups.entries()].map(([name, paths]) => section(name, paths))];
  if (exitCode !== 0) text.push(`git status ${exitNote(exitCode)}`);
  const files = [...groups.values()].reduce((n, g) => n + g.length, 0);
  return { text: text.join('\n'), facts: { tool: 'git', exitCode, files } };
}

/** `XY path` lines of `git status -s` / `--porcelain`, with the `## branch` line. */
function compactShort(lines: readonly string[], exitCode: number | null): CompactBody | null {
  const staged: string[] = [];
  const unstaged: string[] = [];
  const untracked: string[] = [];
  const ignored: string[] = [];
  const unmerged: string[] = [];
  const other: string[] = [];
  for (const line of lines) {
    const m = /^([ MADRCTU?!])([ MADRCTU?!]) (.+)$/.exec(line);
    if (!m) {
      if (line.trim() !== '') other.push(line);
      continue;
    }
    const [, x = ' ', y = ' ', path = ''] = m;
    if (x === '?' && y === '?') untracked.push(path);
    else if (x === '!' && y === '!') ignored.push(path);
    else if (x === 'U' || y === 'U' || (x === y && (x === 'A' || x === 'D'))) unmerged.push(`${x}${y} ${path}`);
    else {
      if (x !== ' ') staged.push(`${x} ${path}`);
      if (y !== ' ') unstaged.push(`${y} ${path}`);
    }
  }
  if (other.some((l) => !l.startsWith('## '))) return null;
  const groups: [string, string[]][] = [
    ['staged', staged],
    ['unstaged', unstaged],
    ['unmerged', unmerged],
    ['untracked', untracked],
    ['ignored', ignored],
  ];
  const text = [...other, ...groups.filter(([, g]) => g.length > 0).map(([name, g]) => section(name, g))];
  const files = groups.reduce((n, [, g]) => n + g.length, 0);
  if (files === 0) text.push('clean: no changes');
  return { text: text.join('\n'), facts: { tool: 'git', exitCode, files } };
}

export function compactStatus(output: string, exitCode: number | null): CompactBody | null {
  const lines = cleanLines(output);
  if (
    lines.some((l) =>
      /^(?:On branch |HEAD detached |Not currently on any branch|Changes |Untracked files:|nothing to commit)/.test(l),
    )
  ) {
    return compactLong(lines, exitCode);
  }
  if (exitCode !== 0) return null;
  return compactShort(lines, exitCode);
}
