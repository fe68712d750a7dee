import { describe, expect, it } from 'vitest';
import {
  detectTarget,
  extractOperation,
  operationForTool,
  signaturePart,
} from '../../../src/core/learning/operation.js';

const APP = '/home/dev/tac-webbuilder';

describe('extractOperation: signature and normalized command', () => {
  it.each<[string, string | null, string, string]>([
    // python tests
    ['pytest', null, 'test:pytest:all', 'pytest'],
    ['pytest tests/ -v', APP, 'test:pytest:all', 'pytest tests/ -v'],
    ['cd app/server && uv run pytest tests/ -x | tail -20', APP, 'test:pytest:backend', 'pytest tests/ -x'],
    ['uv run --directory app/server pytest -q', APP, 'test:pytest:backend', 'pytest -q'],
    [
      'python -m pytest tests/test_api.py::test_health -x',
      APP,
      'test:pytest:backend',
      'pytest tests/test_api.py::test_health -x',
    ],
    ['python3 -u -m pytest', APP, 'test:pytest:all', 'pytest'],
    ['.venv/bin/pytest app/server/tests', APP, 'test:pytest:backend', 'pytest app/server/tests'],
    ['poetry run pytest --cov=src', APP, 'test:pytest:all', 'pytest --cov=src'],
    ['PYTHONPATH=. pytest -k "not slow"', APP, 'test:pytest:all', "pytest -k 'not slow'"],
    ['uv run python -m pytest', APP, 'test:pytest:all', 'pytest'],
    ['coverage run -m pytest', APP, 'test:pytest:all', 'pytest'],
    ['py.test -q', APP, 'test:pytest:all', 'py.test -q'],
    ['python -m unittest discover', APP, 'test:unittest:all', 'unittest discover'],
    ['source .venv/bin/activate && pytest', APP, 'test:pytest:all', 'pytest'],
    ['for f in tests/*.py; do pytest $f; done', APP, 'test:pytest:all', 'pytest $f'],
    ['sudo -u app pytest', APP, 'test:pytest:all', 'pytest'],
    // javascript tests
    ['time npm test', APP, 'test:npm:all', 'npm test'],
    ['npm test -- --watch=false', APP, 'test:npm:all', 'npm test -- --watch=false'],
    ['npm run test:unit', APP, 'test:npm-test-unit:all', 'npm run test:unit'],
    ['npm run test:e2e -- --project=chromium', APP, 'test:npm-test-e2e:all', 'npm run test:e2e -- --project=chromium'],
    [
      'npx vitest run src/components/Button.test.tsx',
      APP,
      'test:vitest:frontend',
      'vitest run src/components/Button.test.tsx',
    ],
    ['pnpm vitest', APP, 'test:vitest:all', 'vitest'],
    ['pnpm --filter web test', APP, 'test:pnpm:frontend', 'pnpm --filter web test'],
    ['yarn test', APP, 'test:yarn:all', 'yarn test'],
    ['bun test', APP, 'test:bun:all', 'bun test'],
    ['npx jest --runInBand', APP, 'test:jest:all', 'jest --runInBand'],
    ['mocha test/', APP, 'test:mocha:all', 'mocha test/'],
    ['npx playwright test e2e/', APP, 'test:playwright:all', 'playwright test e2e/'],
    ['FOO="a b" BAR=1 npx vitest run', APP, 'test:vitest:all', 'vitest run'],
    ['npx nx test web', APP, 'test:nx:frontend', 'nx test web'],
    ['node --test test/', APP, 'test:node:all', 'node --test test/'],
    ['(cd app/client && npm test)', APP, 'test:npm:frontend', 'npm test'],
    ['bash -c "cd app/server && uv run pytest"', APP, 'test:pytest:backend', 'pytest'],
    ['timeout 300 npm test', APP, 'test:npm:all', 'npm test'],
    ['env CI=true npm test', APP, 'test:npm:all', 'npm test'],
    ['npm test || echo "tests failed"', APP, 'test:npm:all', 'npm test'],
    ["echo 'a && b' ; npm test", APP, 'test:npm:all', 'npm test'],
    // other ecosystems
    ['go test ./...', APP, 'test:go:all', 'go test ./...'],
    ['cargo test --workspace', APP, 'test:cargo:all', 'cargo test --workspace'],
    ['deno test', APP, 'test:deno:all', 'deno test'],
    ['dotnet test', APP, 'test:dotnet:all', 'dotnet test'],
    ['./gradlew test', APP, 'test:gradle:all', './gradlew test'],
    ['make test', APP, 'test:make:all', 'make test'],
    ['just test', APP, 'test:just:all', 'just test'],
    // build
    ['cd app/client && npm run build 2>&1 | tail -50', APP, 'build:npm:frontend', 'npm run build'],
    ['bun run build', APP, 'build:bun:all', 'bun run build'],
    ['yarn workspace frontend build', APP, 'build:yarn:frontend', 'yarn workspace frontend build'],
    ['tsc -b', APP, 'build:tsc:all', 'tsc -b'],
    ['go build ./cmd/server', APP, 'build:go:backend', 'go build ./cmd/server'],
    ['npx turbo run build --filter=api', APP, 'build:turbo:backend', 'turbo run build --filter=api'],
    ['npm run build --workspace=packages/ui', APP, 'build:npm:frontend', 'npm run build --workspace=packages/ui'],
    ['make', APP, 'build:make:all', 'make'],
    ['python -m build', APP, 'build:python:all', 'build'],
    ['npx vite build', APP, 'build:vite:all', 'vite build'],
    // typecheck
    ['bunx tsc --noEmit', APP, 'typecheck:tsc:all', 'tsc --noEmit'],
    ['npx tsc --noEmit -p app/client', APP, 'typecheck:tsc:frontend', 'tsc --noEmit -p app/client'],
    ['npm run typecheck', APP, 'typecheck:npm:all', 'npm run typecheck'],
    ['npm run type-check', APP, 'typecheck:npm-type-check:all', 'npm run type-check'],
    ['mypy app/server', APP, 'typecheck:mypy:backend', 'mypy app/server'],
    ['uv run mypy .', APP, 'typecheck:mypy:all', 'mypy .'],
    ['pyright', APP, 'typecheck:pyright:all', 'pyright'],
    ['npx vue-tsc --noEmit', APP, 'typecheck:vue-tsc:all', 'vue-tsc --noEmit'],
    ['cargo check', APP, 'typecheck:cargo:all', 'cargo check'],
    // lint
    ['uv run ruff check .', APP, 'lint:ruff:all', 'ruff check .'],
    ['ruff check --fix', APP, 'lint:ruff:all', 'ruff check --fix'],
    ['npx eslint . --ext .ts,.tsx', APP, 'lint:eslint:all', 'eslint . --ext .ts,.tsx'],
    ['biome check ./src', APP, 'lint:biome:all', 'biome check ./src'],
    ['flake8 backend/', APP, 'lint:flake8:backend', 'flake8 backend/'],
    ['cargo clippy -- -D warnings', APP, 'lint:clippy:all', 'cargo clippy -- -D warnings'],
    ['pnpm -C app/client lint', APP, 'lint:pnpm:frontend', 'pnpm -C app/client lint'],
    ['make -C backend lint', APP, 'lint:make:backend', 'make -C backend lint'],
    ['npm run lint:fix', APP, 'lint:npm-lint-fix:all', 'npm run lint:fix'],
    ['npm --prefix app/client run lint', APP, 'lint:npm:frontend', 'npm --prefix app/client run lint'],
    [
      "cd 'app/client' && npm run lint -- --max-warnings=0",
      APP,
      'lint:npm:frontend',
      'npm run lint -- --max-warnings=0',
    ],
    ['nx run-many -t lint', APP, 'lint:nx:all', 'nx run-many -t lint'],
    ['go vet ./...', APP, 'lint:go-vet:all', 'go vet ./...'],
    ['pre-commit run --all-files', APP, 'lint:pre-commit:all', 'pre-commit run --all-files'],
    ['npm exec -- eslint .', APP, 'lint:eslint:all', 'eslint .'],
    // format
    ['ruff format app/server', APP, 'format:ruff:backend', 'ruff format app/server'],
    ['npx prettier --write "src/**/*.{ts,tsx}"', APP, 'format:prettier:all', 'prettier --write src/**/*.{ts,tsx}'],
    ['black --check .', APP, 'format:black:all', 'black --check .'],
    ['biome format --write .', APP, 'format:biome:all', 'biome format --write .'],
    ['cargo fmt --check', APP, 'format:cargo:all', 'cargo fmt --check'],
    ['pnpm dlx prettier --check .', APP, 'format:prettier:all', 'prettier --check .'],
    // git
    ['git status', APP, 'git:status:all', 'git status'],
    ['git diff --stat', APP, 'git:diff:all', 'git diff --stat'],
    ['git log --oneline -10', APP, 'git:log:all', 'git log --oneline -10'],
    ['git -C app/server diff HEAD~1', APP, 'git:diff:backend', 'git -C app/server diff HEAD~1'],
    ['git --no-pager log -5', APP, 'git:log:all', 'git --no-pager log -5'],
    ['git -c color.ui=false diff', APP, 'git:diff:all', 'git -c color.ui=false diff'], // "ui" of a setting key
    ['git add -A && git commit -m "fix: build"', APP, 'git:add:all', 'git add -A'],
    ['git frobnicate', APP, 'git:other:all', 'git frobnicate'],
    ['gh pr create --title x', APP, 'github:pr:all', 'gh pr create --title x'],
    // deps
    ['npm install', APP, 'deps:npm-install:all', 'npm install'],
    ['npm ci', APP, 'deps:npm-install:all', 'npm ci'],
    ['npm i -D vitest', APP, 'deps:npm-install:all', 'npm i -D vitest'],
    ['npm update', APP, 'deps:npm-update:all', 'npm update'],
    ['npm audit', APP, 'deps:npm-audit:all', 'npm audit'],
    ['yarn', APP, 'deps:yarn-install:all', 'yarn'],
    ['pip install -r requirements.txt', APP, 'deps:pip-install:all', 'pip install -r requirements.txt'],
    ['pip3 install requests', APP, 'deps:pip-install:all', 'pip3 install requests'],
    ['uv sync', APP, 'deps:uv-install:all', 'uv sync'],
    ['uv pip install -e .', APP, 'deps:uv-install:all', 'uv pip install -e .'],
    ['uv add httpx', APP, 'deps:uv-add:all', 'uv add httpx'],
    ['poetry install', APP, 'deps:poetry-install:all', 'poetry install'],
    ['cd app/client && bun add zod', APP, 'deps:bun-add:frontend', 'bun add zod'],
    ['apt-get install -y jq', APP, 'deps:apt-install:all', 'apt-get install -y jq'],
    // docs
    ['mkdocs build', APP, 'docs:mkdocs:all', 'mkdocs build'],
    ['npx typedoc', APP, 'docs:typedoc:all', 'typedoc'],
    ['npm run docs', APP, 'docs:npm:all', 'npm run docs'],
    // script files run by an interpreter or runner: script:<file name without extension>:all
    ['bun run index.ts', APP, 'script:index:all', 'bun run index.ts'],
    [
      'bun run scripts/get-teamwork-tasks.ts --all',
      APP,
      'script:get-teamwork-tasks:all',
      'bun run scripts/get-teamwork-tasks.ts --all',
    ],
    ['bun index.ts', APP, 'script:index:all', 'bun index.ts'],
    ['node scripts/x.js', APP, 'script:x:all', 'node scripts/x.js'],
    ['tsx foo.ts', APP, 'script:foo:all', 'tsx foo.ts'],
    ['npx tsx src/seed.mts', APP, 'script:seed:all', 'tsx src/seed.mts'],
    ['python tools/get_tasks.py', APP, 'script:get_tasks:all', 'python tools/get_tasks.py'],
    ['deno run --allow-net x.ts', APP, 'script:x:all', 'deno run --allow-net x.ts'],
    ['uv run script.py', APP, 'script:script:all', 'script.py'],
    ['cd tools && bun run get-teamwork-tasks.ts && npm test', APP, 'test:npm:all', 'npm test'],
    ['node -e "console.log(1)"', APP, 'other:console.log-1:all', "node -e 'console.log(1)'"],
    ['bun run dev', APP, 'other:bun-dev:all', 'bun run dev'],
    // unknown programs: other:<program>:all, whatever the directory
    ['echo hello', APP, 'other:echo:all', 'echo hello'],
    ['ls -la', APP, 'other:ls:all', 'ls -la'],
    ['cd app/server && ls', APP, 'other:ls:all', 'ls'],
    ['cat package.json | jq .scripts', APP, 'other:jq:all', 'jq .scripts'],
    ['./scripts/deploy.sh prod', APP, 'script:deploy:all', './scripts/deploy.sh prod'],
    [
      'python scripts/analyze_patterns.py --days 7',
      APP,
      'script:analyze_patterns:all',
      'python scripts/analyze_patterns.py --days 7',
    ],
    ['uv run adws/adw_test_iso.py 42', APP, 'script:adw_test_iso:all', 'adws/adw_test_iso.py 42'],
    ['node dist/index.js', APP, 'script:index:all', 'node dist/index.js'],
    ['python -c "print(1)"', APP, 'other:python:all', "python -c 'print(1)'"],
    ['npm run dev', APP, 'other:npm-dev:all', 'npm run dev'],
    ['npm start', APP, 'other:npm-start:all', 'npm start'],
    ['docker compose up -d', APP, 'other:docker-compose:all', 'docker compose up -d'],
    ['curl -s localhost:8000/api/health', APP, 'other:curl:all', 'curl -s localhost:8000/api/health'],
  ])('%j', (cmd, cwd, signature, normalized) => {
    const op = extractOperation(cmd, cwd);
    expect(op?.signature).toBe(signature);
    expect(op?.normalized).toBe(normalized);
    expect(op?.signature).toBe(`${op?.category}:${op?.subcategory}:${op?.target}`);
    // script runs are named but not known operations: a test or build in the same chain still wins
    expect(op?.known).toBe(!/^(other|script):/.test(signature));
  });
});

describe('extractOperation: target from whole words and path segments, never substrings', () => {
  it.each<[string, string | null, string]>([
    ['vitest run tests/build/', null, 'all'], // "build" does not contain the word "ui"
    ['pytest tests/install/', null, 'all'], // "install" does not contain the word "all"
    ['pytest tests/rapid', null, 'all'], // "rapid" does not contain the word "api"
    ['pytest tests/test_latest.py', null, 'all'],
    ['pytest tests/guide', null, 'all'],
    ['pytest tests/test_api.py', null, 'backend'],
    ['pytest', '/repo/app/server', 'backend'],
    ['pytest', '/repo/backend', 'backend'],
    ['npm test', '/repo/app/client', 'frontend'],
    ['npm test', '/repo/packages/web', 'frontend'],
    ['npm test', '/repo/ui-kit', 'frontend'],
    ['vitest run src/components/Button.test.tsx', null, 'frontend'],
    ['vitest run src/pages', null, 'frontend'],
    ['vitest run lib/components', null, 'all'],
    ['npm test', '/repo', 'all'],
    ['pytest app/server app/client', null, 'both'],
    ['pytest --cov=app/server', null, 'backend'],
    ['pytest --api-url http://localhost', null, 'all'], // option names are not targets
    ['npx turbo run test --filter=web', null, 'frontend'],
    ['cd app/server && pytest && cd ../client && npm test', '/repo', 'backend'],
    ['npm test', 'C:\\Users\\me\\proj\\frontend', 'frontend'],
    ['cd C:\\Users\\me\\proj\\app\\server && pytest', null, 'backend'],
    ['cd "C:\\Users\\me\\proj\\frontend" && npm test', null, 'frontend'],
    ['echo server', '/repo/app/server', 'all'], // unknown commands are always :all
  ])('%j in %j → %s', (cmd, cwd, target) => {
    expect(extractOperation(cmd, cwd)?.target).toBe(target);
  });
});

describe('extractOperation: program and known', () => {
  it.each<[string, string, boolean]>([
    ['uv run pytest', 'pytest', true],
    ['npm run build', 'npm', true],
    ['pnpm vitest run', 'vitest', true],
    ['C:\\nodejs\\npx.cmd eslint .', 'eslint', true],
    ['python3.12 -m mypy .', 'mypy', true],
    ['ls', 'ls', false],
    ['./run_all.sh', 'run_all.sh', false],
  ])('%j → %s', (cmd, program, known) => {
    const op = extractOperation(cmd);
    expect(op?.program).toBe(program);
    expect(op?.known).toBe(known);
  });
});

describe('extractOperation: bad input has a clear outcome', () => {
  it.each<[string, string | null]>([
    ['', null],
    ['   \n\t ', null],
    ['# just a comment', null],
    ['FOO=1 BAR=2', null],
    ['""', 'other:unknown:all'],
    ['echo "unterminated && npm test', 'other:echo:all'],
    ['cat <<EOF > /tmp/x.txt\nnpm test\nEOF', 'other:cat:all'], // the heredoc body is data, not a command
    ["git commit -m \"$(cat <<'EOF'\nfix: don't\nEOF\n)\"", 'git:commit:all'],
    ['pytest $(git diff --name-only | grep test_)', 'test:pytest:all'],
    ['x=$(python -c "import sys; print(sys.version)") && pytest', 'test:pytest:all'],
    ['echo ünïcödé && pytest tests/tëst_ü.py', 'test:pytest:all'],
    ['🤖 --help', 'other:unknown:all'],
    ['"C:\\Program Files\\nodejs\\npm.cmd" test', 'test:npm:all'],
    ['$(which python) -m pytest', 'other:which-python:all'],
    ['cd app/server', 'other:cd:all'],
  ])('%j → %s', (cmd, signature) => {
    expect(extractOperation(cmd)?.signature ?? null).toBe(signature);
  });

  it.each<[string, string, string]>([
    ['100 KB word', 'x'.repeat(100_000), 'other:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx:all'],
    ['10k arguments', `cd app/server && pytest ${'tests/a.py '.repeat(10_000)}`, 'test:pytest:backend'],
    ['20k chained commands', `${'a && '.repeat(20_000)}pytest`, 'test:pytest:all'],
    ['100 KB quoted argument', `pytest -k '${'a b '.repeat(25_000)}'`, 'test:pytest:all'],
    ['100 KB unterminated quote', `npm test "${'y'.repeat(100_000)}`, 'test:npm:all'],
    ['30k open substitutions', '$('.repeat(30_000), 'other:unknown:all'],
  ])('%s', (_name, cmd, signature) => {
    const op = extractOperation(cmd, '/repo');
    expect(op?.signature).toBe(signature);
    expect(op?.normalized.length).toBeLessThanOrEqual(300);
  });
});

describe('operationForTool', () => {
  it.each<[string, string | null, string | null]>([
    ['Bash', 'npm test', 'test:npm:all'],
    ['bash', 'pytest', 'test:pytest:all'],
    ['Bash', null, null],
    ['Bash', '  ', null],
    ['Read', 'pytest', null],
    ['Edit', 'npm test', null],
    ['Grep', 'pytest', null],
  ])('%s %j → %s', (tool, cmd, signature) => {
    expect(operationForTool(tool, cmd, '/repo')?.signature ?? null).toBe(signature);
  });
});

describe('helpers', () => {
  it.each<[string, string]>([
    ['PyTest', 'pytest'],
    ['npm-test:e2e', 'npm-test-e2e'],
    ['a>b:c', 'a-b-c'],
    ['', 'unknown'],
    ['🤖', 'unknown'],
    ['x'.repeat(100), 'x'.repeat(40)],
  ])('signaturePart(%j) = %j', (s, expected) => {
    expect(signaturePart(s)).toBe(expected);
  });

  it.each<[string[], string]>([
    [[], 'all'],
    [['app/server'], 'backend'],
    [['API gateway'], 'backend'],
    [['Frontend'], 'frontend'],
    [['server', 'client'], 'both'],
    [['webpack', 'rebuild', 'installer', 'rapidly'], 'all'],
  ])('detectTarget(%j) = %s', (texts, expected) => {
    expect(detectTarget(texts)).toBe(expected);
  });
});
