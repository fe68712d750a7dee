/**
 * Operation extraction: what a Bash command *does*, as a signature `category:subcategory:target`.
 * Runners (`uv run`, `npx`, `npm run`, `pnpm`, `yarn`, `bun run`, `poetry run`, `python -m`, ...), env
 * assignments, `time`, `cd X &&` and pipes into head/tail/tee are looked through. A script file run by an
 * interpreter or runner (`bun run index.ts`, `python tools/x.py`, `./deploy.sh`) is `script:<name>:all`.
 * Other unknown programs become `other:<program>:all`. Targets come from whole words and path segments only (never substrings).
 */
import { unwrapRun } from '../offload/run-wrap.js';
import { isScriptFile, SCRIPT_CATEGORY, scriptName } from './script-run.js';
import { baseName, commandStart, isEnvAssignment, joinWords, splitCommands } from '../shell-words.js';

export type Target = 'backend' | 'frontend' | 'both' | 'all';

export interface Operation {
  signature: string;
  category: string;
  subcategory: string;
  target: Target;
  program: string;
  normalized: string;
  known: boolean;
}

/** `normalized` is capped at this many characters (an ellipsis marks the cut). */
export const NORMALIZED_MAX_CHARS = 300;

type Cat = readonly [category: string, subcategory: string];

/** `group: word word ...` entries (separated by newlines or `;`) → word → group */
function groups(spec: string): ReadonlyMap<string, string> {
  const m = new Map<string, string>();
  for (const line of spec.trim().split(/[\n;]/)) {
    const [group = '', words = ''] = line.split(':');
    for (const w of words.trim().split(/\s+/)) m.set(w, group.trim());
  }
  return m;
}
const set = (s: string): ReadonlySet<string> => new Set(s.split(' '));

/** program → subcommand → [category, subcategory]; `x=cat` means subcategory = program, `*` = any/none. */
function parseSubs(spec: string): Map<string, Map<string, Cat>> {
  const m = new Map<string, Map<string, Cat>>();
  for (const line of spec.trim().split('\n')) {
    const [prog = '', rest = ''] = line.split(/:(.*)/s);
    const subs = new Map<string, Cat>();
    for (const entry of rest.trim().split(/\s+/)) {
      const [sub = '', target = ''] = entry.split('=');
      const [cat = '', subcat = prog] = target.split(':');
      subs.set(sub, [cat, subcat]);
    }
    m.set(prog.trim(), subs);
  }
  return m;
}

/** programs whose category does not depend on a subcommand (subcategory = program) */
const SIMPLE = groups(`
test: pytest vitest jest mocha ava tap rspec phpunit tox nox bats ctest karma
typecheck: tsc mypy pyright basedpyright vue-tsc svelte-check
lint: eslint flake8 pylint stylelint shellcheck oxlint markdownlint yamllint hadolint
format: prettier black isort autopep8 gofmt rustfmt clang-format dprint
build: webpack esbuild rollup tsup parcel
docs: sphinx-build typedoc jsdoc pdoc doxygen`);

/** True when `program` always means `category` (`vitest` test, `tsc` typecheck): its name says the operation. */
export function namesItsCategory(program: string, category: string): boolean {
  return SIMPLE.get(program) === category;
}

const SUBS = parseSubs(`
cargo: test=test nextest=test build=build b=build check=typecheck c=typecheck clippy=lint:clippy fmt=format doc=docs add=deps:cargo-add remove=deps:cargo-remove update=deps:cargo-update fetch=deps:cargo-install
go: test=test build=build vet=lint:go-vet fmt=format get=deps:go-add mod=deps:go-mod
dotnet: test=test build=build format=format restore=deps:dotnet-install
mvn: test=test verify=test package=build compile=build install=build
gradle: test=test check=test build=build assemble=build
deno: test=test lint=lint fmt=format check=typecheck doc=docs compile=build
ruff: check=lint format=format *=lint
biome: check=lint lint=lint ci=lint format=format
vite: build=build
next: build=build lint=lint
nuxt: build=build generate=build
astro: build=build check=typecheck
playwright: test=test install=deps:playwright-install
cypress: run=test
mkdocs: build=docs gh-deploy=docs
pip: install=deps:pip-install uninstall=deps:pip-remove download=deps:pip-install
docker: build=build:docker
golangci-lint: run=lint:golangci *=lint:golangci
pre-commit: run=lint *=lint
swift: test=test build=build
bundle: install=deps:bundle-install update=deps:bundle-update
brew: install=deps:brew-install upgrade=deps:brew-update update=deps:brew-update
apt: install=deps:apt-install update=deps:apt-update upgrade=deps:apt-update
uv: sync=deps:uv-install add=deps:uv-add remove=deps:uv-remove lock=deps:uv-lock build=build:uv
poetry: install=deps:poetry-install add=deps:poetry-add remove=deps:poetry-remove update=deps:poetry-update lock=deps:poetry-lock build=build:poetry`);

const ALIASES = groups(`pytest: py.test ptw pytest-watch; pip: pip3; apt: apt-get; mvn: mvnw; gradle: gradlew
python: python3 py pypy3; npx: pnpx bunx uvx; bash: sh zsh`);
const GIT_SUBS = set(
  'status diff log show add commit push pull fetch checkout switch branch stash rebase merge reset restore ' +
    'rev-parse remote blame tag worktree cherry-pick clone init mv rm grep describe shortlog clean',
);
/** commands that never make an operation significant on their own */
const TRIVIAL = set(
  'cd pushd popd echo printf ls pwd cat head tail tee grep egrep rg wc sort uniq sleep true false export source . ' +
    'set unset mkdir touch clear which type date exit [ [[ : read less more cut tr for done fi esac case in }',
);
const KNOWN_CATEGORIES = set('test build typecheck lint format git deps docs github');
/** first word of a package-script / make target name → category */
const SCRIPT_WORDS = groups(`
test: test tests spec e2e unit integration coverage cov playwright cypress jest vitest pytest
build: build compile bundle dist
lint: lint eslint stylelint ruff
typecheck: typecheck types tsc typescript mypy pyright
format: format fmt prettier black
docs: docs doc documentation typedoc`);
const DEPS_VERBS = groups(`install: install i ci dedupe; add: add; remove: remove rm uninstall un
update: update up upgrade; outdated: outdated; audit: audit`);
/** option words that take a separate value, per context */
const RUNNER_VALUES = set(
  '--with --python -p --package --extra --group --env-file --index --from --reporter --filter-prod',
);
const PY_VALUES = set('-W -X');
const GIT_VALUES = set('-c --git-dir --work-tree --namespace');
const MAKE_VALUES = set('-f --file --makefile -o -W -I --justfile');
/** options whose value is a directory or workspace: recorded for the target */
const DIR_FLAGS = set('--directory --project --prefix -C --dir --cwd -w --workspace --filter -F');

/** Signature part: lower-case `[a-z0-9._-]`, at most 40 characters, never empty. */
export function signaturePart(s: string): string {
  const p = s
    .slice(0, 120)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return p === '' ? 'unknown' : p;
}

const BACKEND = new Set(['backend', 'server', 'api', 'apis', 'srv']);
const FRONTEND = new Set(['frontend', 'client', 'web', 'webapp', 'ui']);

const FIRST_CHARS = 'bsafcwuBSAFCWU';
const SRC_UI = /(?:^|[\\/])src[\\/](?:components|pages)(?:[\\/]|$)/i;

/**
 * backend | frontend | both | all, from whole words (runs of ASCII letters and digits) and path segments of
 * the given texts: `src/components` and `src/pages` count as frontend. Never substrings: "build" has no "ui".
 */
export function detectTarget(texts: Iterable<string>): Target {
  let be = false;
  let fe = false;
  for (const text of texts) {
    if (!fe && SRC_UI.test(text)) fe = true;
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) | 32 : 0;
      if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0 && i - start >= 2 && i - start <= 8 && FIRST_CHARS.includes(text[start] ?? '')) {
        const w = text.slice(start, i).toLowerCase();
        if (BACKEND.has(w)) be = true;
        else if (FRONTEND.has(w)) fe = true;
      }
      start = -1;
    }
    if (be && fe) return 'both';
  }
  return be ? 'backend' : fe ? 'frontend' : 'all';
}

interface Found {
  category: string;
  subcategory: string;
  program: string;
  start: number;
  known: boolean;
  nested?: string;
}

function progName(word: string): string {
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
const RUNNERS = set('uv poetry pipenv pdm hatch rye bundle');
/** programs that classify() looks into (runners and multi-purpose tools) */
const DISPATCH = set(
  'uv poetry pipenv pdm hatch rye bundle npx coverage git gh python node tsx ts-node bash npm pnpm yarn bun make just task turbo nx',
);

/** Classifies the simple command `w` from index `i0` (prefixes already skipped), looking through runners. */
function classify(w: readonly string[], i0: number, dirs: string[]): Found {
  let i = i0;
  for (let hops = 0; hops < 8 && i < w.length; hops++) {
    const prog = progName(w[i] ?? '');
    const j = skipFlags(w, i + 1, dirs, RUNNER_VALUES, prog === 'python' || prog === 'bash');
    const sub = (w[j] ?? '').toLowerCase();
    const simple = SIMPLE.get(prog);
    if (simple !== undefined) {
      return fixed(prog === 'tsc' && (w.includes('-b') || w.includes('--build')) ? 'build' : simple, prog, prog, i);
    }
    if (prog === 'npx' || (prog === 'coverage' && sub === 'run')) {
      i = prog === 'npx' ? j : skipFlags(w, j + 1, dirs, RUNNER_VALUES, true);
      if (w[i] === '-m') i++;
      continue;
    }
    if (RUNNERS.has(prog) && (sub === 'run' || sub === 'exec' || (sub === 'tool' && w[j + 1] === 'run'))) {
      i = skipFlags(w, j + (sub === 'tool' ? 2 : 1), dirs, RUNNER_VALUES, true);
      if (w[i] === '-m') i++;
      continue;
    }
    if (prog === 'uv' && sub === 'pip')
      return fixed('deps', `uv-${DEPS_VERBS.get((w[j + 1] ?? '').toLowerCase()) ?? 'install'}`, prog, i);
    if (prog === 'deno' && (sub === 'run' || isScriptFile(sub))) {
      const file = (sub === 'run' ? w[skipFlags(w, j + 1, dirs, RUNNER_VALUES)] : w[j]) ?? '';
      if (isScriptFile(file)) return scriptRun(file, prog, i);
    }
    const table = SUBS.get(prog);
    if (table) {
      const hit = table.get(sub) ?? table.get('*');
      return hit ? fixed(hit[0], hit[1], prog, i) : other(prog, sub, i);
    }
    switch (prog) {
      case 'git': {
        const s = (w[skipFlags(w, i + 1, dirs, GIT_VALUES)] ?? '').toLowerCase();
        return fixed('git', GIT_SUBS.has(s) ? s : 'other', prog, i);
      }
      case 'gh':
        return fixed('github', sub || 'gh', prog, i);
      case 'python':
      case 'node':
      case 'tsx':
      case 'ts-node':
      case 'bash': {
        const k = prog === 'python' ? skipFlags(w, i + 1, dirs, PY_VALUES, true) : j;
        const mod = (w[k + 1] ?? '').toLowerCase();
        if (prog === 'python' && w[k] === '-m') {
          if (mod === 'unittest') return fixed('test', 'unittest', mod, k + 1);
          if (mod === 'build') return fixed('build', 'python', mod, k + 1);
          i = k + 1;
          continue;
        }
        if (prog === 'bash' && w[k] === '-c' && w[k + 1] !== undefined)
          return { ...other(prog, '', i), nested: w[k + 1] };
        if (prog === 'node' && w.includes('--test')) return fixed('test', 'node', prog, i);
        const file = w[k];
        if (isScriptFile(file)) return scriptRun(file ?? '', prog, i);
        return fixed('other', file !== undefined && !file.startsWith('-') ? baseName(file) : prog, prog, i);
      }
      case 'npm':
      case 'pnpm':
      case 'yarn':
      case 'bun': {
        let k = j;
        if (prog === 'yarn' && sub === 'workspace') {
          dirs.push(w[k + 1] ?? '');
          k = skipFlags(w, k + 2, dirs, RUNNER_VALUES);
        }
        const verb = (w[k] ?? '').toLowerCase();
        const deps = DEPS_VERBS.get(verb);
        if (deps !== undefined || (verb === '' && prog === 'yarn'))
          return fixed('deps', `${prog}-${deps ?? 'install'}`, prog, i);
        if (verb === 'test' || verb === 't' || verb === 'tst')
          return prog === 'bun' ? fixed('test', 'bun', prog, i) : script(prog, 'test', i);
        if (prog === 'bun' && verb === 'build') return fixed('build', 'bun', prog, i);
        if (prog === 'bun' && isScriptFile(w[k])) return scriptRun(w[k] ?? '', prog, i);
        if (verb === 'exec' || verb === 'x' || verb === 'dlx') {
          i = skipFlags(w, k + 1, dirs, RUNNER_VALUES);
          continue;
        }
        if (verb === 'run' || verb === 'run-script') {
          const name = w[skipFlags(w, k + 1, dirs, RUNNER_VALUES)] ?? '';
          if (prog === 'bun' && isScriptFile(name)) return scriptRun(name, prog, i);
          if (prog === 'bun' && /[./\\]/.test(name)) return fixed('other', baseName(name), prog, i);
          return script(prog, name || 'run', i);
        }
        if (prog !== 'npm' && verb !== '' && (SIMPLE.has(progName(verb)) || SUBS.has(progName(verb)))) {
          i = k;
          continue;
        }
        return verb === '' ? other(prog, '', i) : script(prog, verb, i);
      }
      case 'make':
      case 'just':
      case 'task': {
        let k = skipFlags(w, i + 1, dirs, MAKE_VALUES);
        while (isEnvAssignment(w[k] ?? '') || /^\d+$/.test(w[k] ?? '')) k = skipFlags(w, k + 1, dirs, MAKE_VALUES);
        const target = w[k];
        if (target === undefined) return prog === 'make' ? fixed('build', 'make', prog, i) : other(prog, '', i);
        return script(prog, target, i);
      }
      case 'turbo':
      case 'nx': {
        const k = sub === 'run' || sub === 'run-many' ? skipFlags(w, j + 1, dirs, RUNNER_VALUES) : j;
        const t = w.findIndex((x) => x === '-t' || x === '--target' || x.startsWith('--target='));
        const name = sub === 'run-many' && t >= 0 ? ((w[t] ?? '').split('=')[1] ?? w[t + 1] ?? '') : (w[k] ?? '');
        return script(prog, name.slice(name.lastIndexOf(':') + 1) || prog, i);
      }
      default:
        return isScriptFile(w[i]) ? scriptRun(w[i] ?? '', progName(w[i] ?? ''), i) : other(prog, '', i);
    }
  }
  return other(progName(w[i] ?? w[i0] ?? ''), '', Math.min(i, w.length - 1));
}

/** What an argument says about the target: options are skipped, `key=value` counts by its value only. */
function targetText(word: string): string {
  const eq = word.indexOf('=');
  if (eq >= 0) return word.slice(eq + 1);
  return word.startsWith('-') ? '' : word;
}

interface Picked {
  found: Found;
  words: readonly string[];
  dirs: string[];
}

function pick(command: string, depth: number): Picked | null {
  const dirs: string[] = [];
  let best: Picked | null = null;
  let bestRank = -1;
  for (const words of splitCommands(command)) {
    const local: string[] = [];
    const start = commandStart(words);
    if (start >= words.length) continue;
    const prog = progName(words[start] ?? '');
    const before = dirs.length;
    if ((prog === 'cd' || prog === 'pushd') && words[start + 1] !== undefined) dirs.push(words[start + 1] ?? '');
    // once a non-trivial command is held, only a known operation can replace it: skip the rest cheaply
    if (bestRank >= 2 && !SIMPLE.has(prog) && !SUBS.has(prog) && !DISPATCH.has(prog)) continue;
    let found = classify(words, start, local);
    let used: readonly string[] = words;
    if (found.nested !== undefined && depth < 3) {
      const inner = pick(found.nested, depth + 1);
      if (inner) {
        found = inner.found;
        used = inner.words;
        local.push(...inner.dirs);
      }
    }
    const rank = found.known ? 3 : !TRIVIAL.has(prog) ? 2 : prog === 'cd' || prog === 'pushd' ? 0 : 1;
    if (rank > bestRank) {
      best = { found, words: used, dirs: dirs.slice(0, before).concat(local) };
      bestRank = rank;
      if (rank === 3) break;
    }
  }
  return best;
}

/**
 * The operation a Bash command performs, or null when it runs nothing (empty, whitespace, comments only).
 * In a chain the first known operation wins; else the first non-trivial command; else the first trivial
 * one (echo, ls, ...) other than cd; else the first command. An `outloop run ... -- CMD` wrapper is the
 * operation of CMD, so offloaded calls keep counting for their pattern.
 */
export function extractOperation(command: string, cwd?: string | null): Operation | null {
  if (command.trim() === '') return null;
  const wrapped = unwrapRun(command);
  if (wrapped !== null) return extractOperation(wrapped, cwd);
  const best = pick(command, 0);
  if (best === null) return null;
  const { found, words, dirs } = best;
  const rest = words.slice(found.start);
  const first = rest[0];
  // known programs are shown by name: `.venv/bin/pytest -x` → `pytest -x`
  if (found.known && first !== undefined && baseName(first).toLowerCase() === found.program) rest[0] = found.program;
  const target: Target = found.known ? detectTarget([...(cwd ? [cwd] : []), ...dirs, ...rest.map(targetText)]) : 'all';
  const category = signaturePart(found.category);
  const subcategory = signaturePart(found.subcategory);
  return {
    signature: `${category}:${subcategory}:${target}`,
    category,
    subcategory,
    target,
    program: signaturePart(found.program),
    normalized: joinWords(rest, NORMALIZED_MAX_CHARS),
    known: found.known,
  };
}

/** Only Bash calls are operations; Read, Edit and the rest are not operations on their own. */
export function operationForTool(toolName: string, command: string | null, cwd?: string | null): Operation | null {
  if (toolName.toLowerCase() !== 'bash' || command === null) return null;
  return extractOperation(command, cwd);
}
