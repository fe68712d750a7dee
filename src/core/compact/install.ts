/**
 * Package installs (npm, pnpm, yarn, bun, pip, uv): progress, banners, dependency trees and funding notes
 * left out; errors kept whole; warnings kept once each (repeats counted); the package manager's result
 * lines (`added 3 packages in 2s`, `Successfully installed …`, `Done in 1.2s`) kept.
 */
import { cleanLines, collapseRepeats } from './generic.js';
import { exitNote, plural, subcommand, tidy, shorterOf } from './lines.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';

interface InstallSpec {
  id: string;
  matches(cmd: CommandInfo): boolean;
  noise: readonly RegExp[];
  /** result lines; an output with none of these, no error and no warning is not read */
  result: RegExp;
  error: RegExp;
  warning: RegExp;
  /** lines said once per package (`Requirement already satisfied: NAME …`), gathered into one line of names */
  gather?: { re: RegExp; label: string };
}

/** Lines of a dependency tree (`├─ pkg@1.0.0`), counted instead of listed. */
const TREE = /^\s*[├└│]─/;
/**
 * The output of a build backend that pip quotes inside `╰─> [N lines of output]` … `[end of output]`: only
 * its lines that say error are kept, the rest counted.
 */
function quotedOutput(lines: readonly string[]): { lines: string[]; left: number } {
  const out: string[] = [];
  let inside = false;
  let left = 0;
  for (const line of lines) {
    if (/^\s*╰─> \[\d+ lines? of output\]$/.test(line)) inside = true;
    else if (inside && /^\s*\[end of output\]$/.test(line)) inside = false;
    else if (inside && !/error|exception|traceback|failed/i.test(line)) {
      left++;
      continue;
    }
    out.push(line);
  }
  return { lines: out, left };
}

/** an error line with nothing after its prefix (`npm error`, `npm error 404`) */
const BARE_PREFIX = /^npm (?:ERR!|error)(?: \d{3})?$/;

interface Read {
  kept: string[];
  gathered: string[];
  errors: number;
  warnings: number;
  results: number;
  tree: number;
}

function read(spec: InstallSpec, lines: readonly string[]): Read {
  const r: Read = { kept: [], gathered: [], errors: 0, warnings: 0, results: 0, tree: 0 };
  const warningsSeen = new Map<string, number>();
  for (const line of lines) {
    if (line.trim() === '' || BARE_PREFIX.test(line) || spec.noise.some((re) => re.test(line))) continue;
    if (TREE.test(line)) {
      r.tree++;
      continue;
    }
    const g = spec.gather?.re.exec(line);
    if (g) {
      r.gathered.push(g[1] ?? '');
      r.results++;
      continue;
    }
    if (spec.error.test(line)) r.errors++;
    else if (spec.warning.test(line)) {
      r.warnings++;
      // a warning repeated anywhere in the output is written once, with its count
      const n = warningsSeen.get(line);
      warningsSeen.set(line, (n ?? 0) + 1);
      if (n !== undefined) continue;
    } else if (spec.result.test(line)) r.results++;
    r.kept.push(line);
  }
  r.kept = r.kept.map((l) => ((warningsSeen.get(l) ?? 1) > 1 ? `${l}  (×${warningsSeen.get(l)})` : l));
  return r;
}

function compactInstall(spec: InstallSpec, output: string, exitCode: number | null): CompactBody | null {
  const quoted = quotedOutput(cleanLines(output));
  const lines = quoted.lines;
  const r = read(spec, lines);
  if (r.results === 0 && r.errors === 0 && r.warnings === 0 && !(lines.length === 0 && exitCode === 0)) return null;
  const counts = [
    ...(r.errors > 0 ? [plural(r.errors, 'error line')] : []),
    ...(r.warnings > 0 ? [plural(r.warnings, 'warning')] : []),
  ];
  const head = `${spec.id}: ${exitCode === 0 ? 'done' : 'failed'}${counts.length > 0 ? `, ${counts.join(', ')}` : ''} ${exitNote(exitCode)}`;
  const gathered =
    spec.gather && r.gathered.length > 0
      ? [`${spec.gather.label} (${r.gathered.length}): ${r.gathered.join(', ')}`]
      : [];
  const treeNote = r.tree > 0 ? [`(${plural(r.tree, 'dependency tree line')} left out)`] : [];
  if (quoted.left > 0)
    treeNote.push(`(${plural(quoted.left, 'line')} of quoted build output without an error left out)`);
  return {
    text: tidy([head, ...gathered, ...collapseRepeats(r.kept), ...treeNote]).join('\n'),
    facts: { tool: spec.id, exitCode, errors: r.errors, warnings: r.warnings },
  };
}

function installCompactor(spec: InstallSpec): Compactor {
  return {
    id: spec.id,
    family: 'install',
    matches: spec.matches,
    compact: (_cmd, output, exitCode) => shorterOf(compactInstall(spec, output, exitCode), output),
  };
}

const JS_INSTALL = ['install', 'i', 'add', 'ci', 'update', 'up', 'remove', 'rm', 'uninstall'];
const isJsInstall = (program: string) => (cmd: CommandInfo) =>
  cmd.program === program && (JS_INSTALL.includes(subcommand(cmd)) || (program === 'yarn' && cmd.words.length === 1));

export const npmInstallCompactor = installCompactor({
  id: 'npm',
  matches: isJsInstall('npm'),
  noise: [/^npm (?:http|timing|sill|verb) /, /^\d+ packages? (?:is|are) looking for funding/, /^\s+run `npm fund`/],
  result: /^(?:added|removed|changed|up to date|audited) |vulnerabilit/,
  error: /^npm (?:ERR!|error) /,
  warning: /^npm (?:WARN|warn) /,
});

export const pnpmInstallCompactor = installCompactor({
  id: 'pnpm',
  matches: isJsInstall('pnpm'),
  noise: [/^Progress: resolved /, /^\+{3,}$|^-{3,}$|^[+-]+$/, /^Lockfile is up to date, resolution step is skipped/],
  result: /^(?:Done in |Already up to date|Packages: |[+-] \S)/,
  error: /ERR_PNPM_|^\s*ERROR /,
  warning: /^\s*WARN /,
});

export const yarnInstallCompactor = installCompactor({
  id: 'yarn',
  matches: isJsInstall('yarn'),
  noise: [
    /^yarn (?:install|add|remove|upgrade) v/,
    /^\[\d\/\d\] /,
    /^info (?:Direct dependencies|All dependencies|No lockfile found|Visit https)/,
  ],
  result: /^(?:success |✨\s+Done in |Done in )/,
  error: /^error /,
  warning: /^warning /,
});

export const bunInstallCompactor = installCompactor({
  id: 'bun',
  matches: isJsInstall('bun'),
  noise: [
    /^bun (?:install|add|remove|update) v/,
    /^Resolving dependencies$/,
    /^Resolved, downloaded and extracted/,
    /^Saved lockfile$/,
  ],
  result: /^(?:\d+ packages? installed|installed |[+-] \S|Checked \d+ installs|\d+ packages? removed)/,
  error: /^error:/,
  warning: /^warn:/,
});

const isPip = (cmd: CommandInfo): boolean =>
  (cmd.program === 'pip' || cmd.program === 'pip3' || /^pip3\.\d+$/.test(cmd.program)) && subcommand(cmd) === 'install';

export const pipInstallCompactor = installCompactor({
  id: 'pip',
  matches: isPip,
  noise: [
    /^Looking in (?:indexes|links): /,
    /^(?:Processing|Collecting|Downloading|Using cached|Obtaining) /,
    /^\s+(?:Downloading|Using cached|Preparing metadata|Building wheel|Getting requirements|Installing build dependencies|Stored in directory|Created wheel|Running setup\.py)/,
    /^\s+━/,
    /^Building wheels for collected packages/,
  ],
  result:
    /^(?:Successfully (?:installed|built|uninstalled) |Requirement already satisfied: |Installing collected packages)/,
  error: /^(?:ERROR: |error: |\s*× )/,
  warning: /^WARNING: /,
  gather: { re: /^Requirement already satisfied: (\S+)/, label: 'Requirement already satisfied' },
});

export const uvCompactor = installCompactor({
  id: 'uv',
  matches: (cmd) =>
    cmd.program === 'uv' &&
    (['add', 'sync', 'remove', 'lock'].includes(subcommand(cmd)) ||
      (subcommand(cmd) === 'pip' && ['install', 'sync', 'uninstall'].includes(cmd.words[2] ?? ''))),
  noise: [/^\s*(?:Downloading|Downloaded|Building|Built) \S/, /^Using (?:CPython|Python) /],
  result: /^(?:Resolved|Prepared|Installed|Uninstalled|Audited|Checked) \d+ packages?|^ [+-~] \S/,
  error: /^(?:error: |\s*× )/,
  warning: /^warning: /,
});
