/**
 * The word tables that operation extraction classifies commands with: programs whose name says the
 * operation, per-program subcommands, aliases, package-script words, dependency verbs, and the option
 * words that take a value or name a directory. Tables are written as compact text and parsed once.
 */

export type Cat = readonly [category: string, subcategory: string];

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
export const SIMPLE = groups(`
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

export const SUBS = parseSubs(`
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

export const ALIASES = groups(`pytest: py.test ptw pytest-watch; pip: pip3; apt: apt-get; mvn: mvnw; gradle: gradlew
python: python3 py pypy3; npx: pnpx bunx uvx; bash: sh zsh`);
export const GIT_SUBS = set(
  'status diff log show add commit push pull fetch checkout switch branch stash rebase merge reset restore ' +
    'rev-parse remote blame tag worktree cherry-pick clone init mv rm grep describe shortlog clean',
);
/** commands that never make an operation significant on their own */
export const TRIVIAL = set(
  'cd pushd popd echo printf ls pwd cat head tail tee grep egrep rg wc sort uniq sleep true false export source . ' +
    'set unset mkdir touch clear which type date exit [ [[ : read less more cut tr for done fi esac case in }',
);
export const KNOWN_CATEGORIES = set('test build typecheck lint format git deps docs github');
/** first word of a package-script / make target name → category */
export const SCRIPT_WORDS = groups(`
test: test tests spec e2e unit integration coverage cov playwright cypress jest vitest pytest
build: build compile bundle dist
lint: lint eslint stylelint ruff
typecheck: typecheck types tsc typescript mypy pyright
format: format fmt prettier black
docs: docs doc documentation typedoc`);
export const DEPS_VERBS = groups(`install: install i ci dedupe; add: add; remove: remove rm uninstall un
update: update up upgrade; outdated: outdated; audit: audit`);
/** option words that take a separate value, per context */
export const RUNNER_VALUES = set(
  '--with --python -p --package --extra --group --env-file --index --from --reporter --filter-prod',
);
export const PY_VALUES = set('-W -X');
export const GIT_VALUES = set('-c --git-dir --work-tree --namespace');
export const MAKE_VALUES = set('-f --file --makefile -o -W -I --justfile');
/** options whose value is a directory or workspace: recorded for the target */
export const DIR_FLAGS = set('--directory --project --prefix -C --dir --cwd -w --workspace --filter -F');
/** runners whose `run` / `exec` / `tool run` subcommand runs the command after it */
export const RUNNERS = set('uv poetry pipenv pdm hatch rye bundle');
/** programs that classification looks into (runners and multi-purpose tools) */
export const DISPATCH = set(
  'uv poetry pipenv pdm hatch rye bundle npx coverage git gh python node tsx ts-node bash npm pnpm yarn bun make just task turbo nx',
);
