/**
 * Package installs (npm, pnpm, yarn, bun, pip, uv): progress, banners, dependency trees and funding notes
 * left out; errors kept whole; warnings kept once each (repeats counted); the package manager's result
 * lines (`added 3 packages in 2s`, `Successfully installed …`, `Done in 1.2s`) kept.
 */
import { cleanLines } from './generic.js';
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
}

/** Lines of a dependency tree (`├─ pkg@1.0.0`), counted instead of listed. */
const TREE = /^\s*[├└│]─/;

function compactInstall(spec: InstallSpec, output: string, exitCode: number | null): CompactBody | null {
  const lines = cleanLines(output);
  const kept: string[] = [];
  const seen = new Map<string, number>();
  let errors = 0;
  let warnings = 0;
  let results = 0;
  let tree = 0;
  for (const line of lines) {
    if (line.trim() === '' || spec.noise.some((re) => re.test(line))) continue;
    if (TREE.test(line)) {
      tree++;
      continue;
    }
    if (spec.error.test(line)) errors++;
    else if (spec.warning.test(line)) warnings++;
    else if (spec.result.test(line)) results++;
    const n = seen.get(line);
    seen.set(line, (n ?? 0) + 1);
    if (n === undefined) kept.push(line);
  }
  if (results === 0 && errors === 0 && warnings === 0 && !(lines.length === 0 && exitCode === 0)) return null;
  const repeated = kept.map((l) => ((seen.get(l) ?? 1) > 1 ? `${l}  (×${seen.get(l)})` : l));
  const verdict = exitCode === 0 ? 'done' : 'failed';
  const head = `${spec.id}: ${verdict}, ${plural(errors, 'error line')}, ${plural(warnings, 'warning')} ${exitNote(exitCode)}`;
  const treeNote = tree > 0 ? [`(${plural(tree, 'dependency tree line')} left out)`] : [];
  return {
    text: tidy([head, ...repeated, ...treeNote]).join('\n'),
    facts: { tool: spec.id, exitCode, errors, warnings },
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
