/**
 * git. A diff, show or log is the information itself and is condensed only losslessly (ANSI removed,
 * trailing whitespace trimmed, exact repeats counted). status is grouped by state, every path kept unless a
 * section is huge. push, pull and fetch lose their progress lines and keep refs, results, errors and hints.
 * commit and add keep their result lines.
 */
import { cleanLines, collapseRepeats } from './generic.js';
import { exitNote, gitSubcommand, plural, tidy, shorterOf } from './lines.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';
import { compactStatus } from './git-status.js';

/** Matches `git SUB …` for the given subcommands (global options such as `-C dir` skipped). */
const git =
  (subs: readonly string[]) =>
  (cmd: CommandInfo): boolean =>
    cmd.program === 'git' && subs.includes(gitSubcommand(cmd));

function lossless(output: string, exitCode: number | null): CompactBody {
  const lines = collapseRepeats(cleanLines(output));
  return { text: lines.join('\n'), facts: { tool: 'git', exitCode } };
}

/** Progress lines of push, pull, fetch and clone (local and `remote:`), with their counts and rates. */
const PROGRESS =
  /^(?:remote: )?(?:Enumerating|Counting|Compressing|Writing|Receiving|Resolving|Unpacking|Total|Delta compression|Checking out|Updating files)\b.*|^remote:\s*$/;

function compactTransfer(sub: string, output: string, exitCode: number | null): CompactBody | null {
  const lines = cleanLines(output);
  let progress = 0;
  const kept: string[] = [];
  for (const line of lines) {
    if (PROGRESS.test(line.trim())) progress++;
    else kept.push(line);
  }
  const body = tidy(kept);
  const head = `git ${sub}: ${exitCode === 0 ? 'done' : 'failed'} ${exitNote(exitCode)}`;
  const note = progress > 0 ? [`(${plural(progress, 'progress line')} left out)`] : [];
  return { text: [head, ...body, ...note].join('\n'), facts: { tool: 'git', exitCode } };
}

/** ` create mode 100644 path` lines of a commit or merge, one line per mode with every path. */
function compactCommit(output: string, exitCode: number | null): CompactBody {
  const lines = cleanLines(output);
  const modes = new Map<string, string[]>();
  const kept: string[] = [];
  for (const line of lines) {
    const m = /^ (create|delete) mode (\d+) (.*)$/.exec(line);
    if (!m) {
      kept.push(line);
      continue;
    }
    const key = `${m[1]}d (mode ${m[2]})`;
    const list = modes.get(key) ?? [];
    list.push(m[3] ?? '');
    modes.set(key, list);
  }
  const modeLines = [...modes.entries()].map(([k, paths]) => ` ${k}: ${paths.join(', ')}`);
  return { text: tidy([...kept, ...modeLines]).join('\n'), facts: { tool: 'git', exitCode } };
}

export const gitStatusCompactor: Compactor = {
  id: 'git-status',
  family: 'git',
  matches: git(['status']),
  compact: (_cmd, output, exitCode) => shorterOf(compactStatus(output, exitCode), output),
};

export const gitLosslessCompactor: Compactor = {
  id: 'git-diff',
  family: 'git',
  matches: git(['diff', 'show', 'log']),
  compact: (_cmd, output, exitCode) => lossless(output, exitCode),
};

export const gitTransferCompactor: Compactor = {
  id: 'git-remote',
  family: 'git',
  matches: git(['push', 'pull', 'fetch', 'clone']),
  compact: (cmd, output, exitCode) => shorterOf(compactTransfer(gitSubcommand(cmd), output, exitCode), output),
};

export const gitCommitCompactor: Compactor = {
  id: 'git-commit',
  family: 'git',
  matches: git(['commit', 'add', 'merge', 'checkout', 'switch', 'restore', 'rm', 'mv', 'stash']),
  compact: (cmd, output, exitCode) => {
    const sub = gitSubcommand(cmd);
    if (output.trim() === '')
      return { text: `git ${sub}: done, no output ${exitNote(exitCode)}`, facts: { tool: 'git', exitCode } };
    return shorterOf(compactCommit(output, exitCode), output);
  },
};
