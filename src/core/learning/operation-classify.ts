/**
 * Classifies one simple command (its words, prefixes already skipped) into a category and
 * subcategory, looking through runners (`npx`, `uv run`, `npm exec`, `python -m`, ...). Each hop
 * asks a table of rules in order, then the handler of the program's family; the first that answers decides. A rule answers with the operation
 * found, or with the index of the command a runner runs, which the next hop classifies.
 */
import { isScriptFile, SCRIPT_CATEGORY, scriptName } from './script-run.js';
import {
  ALIASES,
  DEPS_VERBS,
  DIR_FLAGS,
  GIT_SUBS,
  GIT_VALUES,
  KNOWN_CATEGORIES,
  MAKE_VALUES,
  PY_VALUES,
  RUNNER_VALUES,
  RUNNERS,
  SCRIPT_WORDS,
  SIMPLE,
  SUBS,
} from './operation-words.js';
import { baseName, isEnvAssignment } from '../shell-words.js';

export interface Found {
  category: string;
  subcategory: string;
  program: string;
  /** Index of the word the operation starts at. */
  start: number;
  known: boolean;
  /** The command string a shell runs (`bash -c '...'`), classified in its place. */
  nested?: string;
}

/** The program a word names: base name, lower case, aliases resolved (`python3.12` → `python`). */
export function progName(word: string): string {
  let b = baseName(word).slice(0, 120).toLowerCase();
  if (b.includes('.')) b = b.replace(/\.(exe|cmd|bat|ps1)$/, '');
  return ALIASES.get(b) ?? (b.startsWith('python') && /^python\d(\.\d+)?$/.test(b) ? 'python' : b);
}

/**
 * Skips option words from `i` (with the values of `values` options); records directory options in `dirs`.
 * With `stopAtModule`, stops at `-m`/`-c` (python -m, bash -c).
 */
function skipFlags(
  w: readonly string[],
  i: number,
  dirs: string[],
  values: ReadonlySet<string>,
  stopAtModule = false,
): number {
  let j = i;
  for (let f = w[j] ?? ''; f.startsWith('-') && f.length > 1; f = w[j] ?? '') {
    if (stopAtModule && (f === '-m' || f === '-c')) return j;
    if (f === '--') return j + 1;
    const eq = f.indexOf('=');
    if (eq > 0 && DIR_FLAGS.has(f.slice(0, eq))) dirs.push(f.slice(eq + 1));
    if (eq < 0 && DIR_FLAGS.has(f)) dirs.push(w[j + 1] ?? '');
    j += eq < 0 && (DIR_FLAGS.has(f) || values.has(f)) ? 2 : 1;
  }
  return j;
}

/** A package script or task target run by `mgr`: its category comes from the name's first word. */
function script(mgr: string, name: string, start: number): Found {
  const parts = name
    .toLowerCase()
    .split(/[:\-_.]+/)
    .filter((p) => p !== '');
  const [a = '', b = ''] = parts;
  const cat = (a === 'type' && b === 'check') || (a === 'check' && b === 'types') ? 'typecheck' : SCRIPT_WORDS.get(a);
  const sub = parts.length === 1 && a === name.toLowerCase() ? mgr : `${mgr}-${name}`;
  if (cat === undefined) return { category: 'other', subcategory: `${mgr}-${name}`, program: mgr, start, known: false };
  return { category: cat, subcategory: sub, program: mgr, start, known: true };
}

const fixed = (category: string, subcategory: string, program: string, start: number): Found => ({
  category,
  subcategory,
  program,
  start,
  known: KNOWN_CATEGORIES.has(category),
});
const other = (prog: string, sub: string, start: number): Found =>
  fixed('other', sub ? `${prog}-${sub}` : prog, prog, start);
/** a script file run through `prog`: not a known operation (chains still prefer tests, builds, ...) */
const scriptRun = (file: string, prog: string, start: number): Found =>
  fixed(SCRIPT_CATEGORY, scriptName(file), prog, start);

/** One hop: the command at `i`, its program, and its first word after the options (`j`, `sub`). */
interface At {
  readonly w: readonly string[];
  readonly i: number;
  readonly prog: string;
  readonly j: number;
  /** The word at `j`, lower case ('' past the end). */
  readonly sub: string;
  /** Directory options seen so far (written by the rules as they skip options). */
  readonly dirs: string[];
}

/** The operation, or the index of the command a runner runs. */
type Step = Found | number;
/** A rule answers only for the commands it knows; a handler always answers. */
type Rule = (at: At) => Step | undefined;
type Handler = (at: At) => Step;

function at(w: readonly string[], i: number, dirs: string[]): At {
  const prog = progName(w[i] ?? '');
  const j = skipFlags(w, i + 1, dirs, RUNNER_VALUES, prog === 'python' || prog === 'bash');
  return { w, i, prog, j, sub: (w[j] ?? '').toLowerCase(), dirs };
}

/** `vitest`, `eslint`, `tsc` (`tsc -b` builds): the program's name says the operation. */
const simpleProgram: Rule = ({ w, i, prog }) => {
  const simple = SIMPLE.get(prog);
  if (simple === undefined) return undefined;
  return fixed(prog === 'tsc' && (w.includes('-b') || w.includes('--build')) ? 'build' : simple, prog, prog, i);
};

/** `npx X`, `coverage run X`, `uv run X`, `poetry exec X`, `uv tool run X`: on to X (`-m` skipped). */
const runnerPrefix: Rule = ({ w, prog, j, sub, dirs }) => {
  let next: number;
  if (prog === 'npx') next = j;
  else if (prog === 'coverage' && sub === 'run') next = skipFlags(w, j + 1, dirs, RUNNER_VALUES, true);
  else if (RUNNERS.has(prog) && (sub === 'run' || sub === 'exec' || (sub === 'tool' && w[j + 1] === 'run')))
    next = skipFlags(w, j + (sub === 'tool' ? 2 : 1), dirs, RUNNER_VALUES, true);
  else return undefined;
  return w[next] === '-m' ? next + 1 : next;
};

/** `uv pip install ...`: dependencies, by the pip verb. */
const uvPip: Rule = ({ w, i, prog, j, sub }) => {
  if (prog !== 'uv' || sub !== 'pip') return undefined;
  return fixed('deps', `uv-${DEPS_VERBS.get((w[j + 1] ?? '').toLowerCase()) ?? 'install'}`, prog, i);
};

/** `deno run x.ts`, `deno x.ts`: a script run (other deno subcommands go by the table). */
const denoScript: Rule = ({ w, i, prog, j, sub, dirs }) => {
  if (prog !== 'deno' || (sub !== 'run' && !isScriptFile(sub))) return undefined;
  const file = (sub === 'run' ? w[skipFlags(w, j + 1, dirs, RUNNER_VALUES)] : w[j]) ?? '';
  return isScriptFile(file) ? scriptRun(file, prog, i) : undefined;
};

/** `cargo test`, `go vet`, `pip install`, ...: the program's subcommand table decides. */
const subcommandTable: Rule = ({ i, prog, sub }) => {
  const table = SUBS.get(prog);
  if (!table) return undefined;
  const hit = table.get(sub) ?? table.get('*');
  return hit ? fixed(hit[0], hit[1], prog, i) : other(prog, sub, i);
};

/** `git [options] status`: a known git subcommand, else `git:other`. */
const gitCommand: Handler = ({ w, i, prog, dirs }) => {
  const s = (w[skipFlags(w, i + 1, dirs, GIT_VALUES)] ?? '').toLowerCase();
  return fixed('git', GIT_SUBS.has(s) ? s : 'other', prog, i);
};

const ghCommand: Handler = ({ i, prog, sub }) => fixed('github', sub || 'gh', prog, i);

/** `python -m unittest` tests, `python -m build` builds; any other module is classified as a command. */
function pythonModule(w: readonly string[], k: number): Step {
  const mod = (w[k + 1] ?? '').toLowerCase();
  if (mod === 'unittest') return fixed('test', 'unittest', mod, k + 1);
  if (mod === 'build') return fixed('build', 'python', mod, k + 1);
  return k + 1;
}

/** python, node, tsx, ts-node, bash: a module, a nested `-c` command, `node --test`, or the file run. */
const interpreterCommand: Handler = ({ w, i, prog, j, dirs }) => {
  const k = prog === 'python' ? skipFlags(w, i + 1, dirs, PY_VALUES, true) : j;
  if (prog === 'python' && w[k] === '-m') return pythonModule(w, k);
  if (prog === 'bash' && w[k] === '-c' && w[k + 1] !== undefined) return { ...other(prog, '', i), nested: w[k + 1] };
  if (prog === 'node' && w.includes('--test')) return fixed('test', 'node', prog, i);
  const file = w[k];
  if (isScriptFile(file)) return scriptRun(file ?? '', prog, i);
  return fixed('other', file !== undefined && !file.startsWith('-') ? baseName(file) : prog, prog, i);
};

/** npm, pnpm, yarn, bun: where the verb is (after `yarn workspace <name>`, recorded as a directory). */
function packageVerbIndex({ w, prog, j, sub, dirs }: At): number {
  if (prog !== 'yarn' || sub !== 'workspace') return j;
  dirs.push(w[j + 1] ?? '');
  return skipFlags(w, j + 2, dirs, RUNNER_VALUES);
}

/** The package manager's own operations: dependencies, test, `bun build`, `bun x.ts`. */
function packageBuiltin({ w, i, prog }: At, k: number, verb: string): Found | undefined {
  const deps = DEPS_VERBS.get(verb);
  if (deps !== undefined || (verb === '' && prog === 'yarn'))
    return fixed('deps', `${prog}-${deps ?? 'install'}`, prog, i);
  if (verb === 'test' || verb === 't' || verb === 'tst')
    return prog === 'bun' ? fixed('test', 'bun', prog, i) : script(prog, 'test', i);
  if (prog === 'bun' && verb === 'build') return fixed('build', 'bun', prog, i);
  if (prog === 'bun' && isScriptFile(w[k])) return scriptRun(w[k] ?? '', prog, i);
  return undefined;
}

/** What the package manager runs: `exec X` / `x X` / `dlx X` and `pnpm X` for a known tool, or a package script. */
function packageRun({ w, i, prog, dirs }: At, k: number, verb: string): Step {
  if (verb === 'exec' || verb === 'x' || verb === 'dlx') return skipFlags(w, k + 1, dirs, RUNNER_VALUES);
  if (verb === 'run' || verb === 'run-script') {
    const name = w[skipFlags(w, k + 1, dirs, RUNNER_VALUES)] ?? '';
    if (prog === 'bun' && isScriptFile(name)) return scriptRun(name, prog, i);
    if (prog === 'bun' && /[./\\]/.test(name)) return fixed('other', baseName(name), prog, i);
    return script(prog, name || 'run', i);
  }
  if (prog !== 'npm' && verb !== '' && (SIMPLE.has(progName(verb)) || SUBS.has(progName(verb)))) return k;
  return verb === '' ? other(prog, '', i) : script(prog, verb, i);
}

const packageManagerCommand: Handler = (a) => {
  const k = packageVerbIndex(a);
  const verb = (a.w[k] ?? '').toLowerCase();
  return packageBuiltin(a, k, verb) ?? packageRun(a, k, verb);
};

/** make, just, task: the target named after options, variables and job counts (`make` alone builds). */
const taskRunnerCommand: Handler = ({ w, i, prog, dirs }) => {
  let k = skipFlags(w, i + 1, dirs, MAKE_VALUES);
  while (isEnvAssignment(w[k] ?? '') || /^\d+$/.test(w[k] ?? '')) k = skipFlags(w, k + 1, dirs, MAKE_VALUES);
  const target = w[k];
  if (target === undefined) return prog === 'make' ? fixed('build', 'make', prog, i) : other(prog, '', i);
  return script(prog, target, i);
};

/** turbo, nx: the task name (`run X`, `run-many -t X`, `app:X`). */
const monorepoCommand: Handler = ({ w, i, prog, j, sub, dirs }) => {
  const k = sub === 'run' || sub === 'run-many' ? skipFlags(w, j + 1, dirs, RUNNER_VALUES) : j;
  const t = w.findIndex((x) => x === '-t' || x === '--target' || x.startsWith('--target='));
  const name = sub === 'run-many' && t >= 0 ? ((w[t] ?? '').split('=')[1] ?? w[t + 1] ?? '') : (w[k] ?? '');
  return script(prog, name.slice(name.lastIndexOf(':') + 1) || prog, i);
};

/** Any other program: a script file run directly (`./deploy.sh`), else `other:<program>`. */
const unknownProgram: Handler = ({ w, i, prog }) =>
  isScriptFile(w[i]) ? scriptRun(w[i] ?? '', progName(w[i] ?? ''), i) : other(prog, '', i);

/** Programs with their own way of naming the operation; any other goes to `unknownProgram`. */
const FAMILIES: ReadonlyMap<string, Handler> = new Map([
  ['git', gitCommand],
  ['gh', ghCommand],
  ...['python', 'node', 'tsx', 'ts-node', 'bash'].map((p) => [p, interpreterCommand] as const),
  ...['npm', 'pnpm', 'yarn', 'bun'].map((p) => [p, packageManagerCommand] as const),
  ...['make', 'just', 'task'].map((p) => [p, taskRunnerCommand] as const),
  ...['turbo', 'nx'].map((p) => [p, monorepoCommand] as const),
]);

/** Asked in order before the program's family: the first that answers decides. */
const RULES: readonly Rule[] = [simpleProgram, runnerPrefix, uvPip, denoScript, subcommandTable];

function step(a: At): Step {
  for (const rule of RULES) {
    const s = rule(a);
    if (s !== undefined) return s;
  }
  return (FAMILIES.get(a.prog) ?? unknownProgram)(a);
}

/** Classifies the simple command `w` from index `i0` (prefixes already skipped), looking through runners. */
export function classify(w: readonly string[], i0: number, dirs: string[]): Found {
  let i = i0;
  for (let hops = 0; hops < 8 && i < w.length; hops++) {
    const s = step(at(w, i, dirs));
    if (typeof s !== 'number') return s;
    i = s;
  }
  return other(progName(w[i] ?? w[i0] ?? ''), '', Math.min(i, w.length - 1));
}
