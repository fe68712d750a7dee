import { describe, expect, it } from 'vitest';
import { commandInfo, echoedScript, familyOf, runsScript, splitExitPrefix } from '../../../src/core/compact/index.js';

describe('commandInfo', () => {
  it.each([
    ['vitest run', 'vitest'],
    ['npx vitest run', 'vitest'],
    ['npx -p typescript tsc --noEmit', 'tsc'],
    ['./node_modules/.bin/vitest run', 'vitest'],
    ['npx -y vitest run', 'vitest'],
    ['pnpm exec vitest', 'vitest'],
    ['pnpm dlx jest', 'jest'],
    ['pnpm vitest run', 'vitest'],
    ['yarn jest --ci', 'jest'],
    ['bunx vitest', 'vitest'],
    ['bun run vitest', 'vitest'],
    ['npm exec -- mocha', 'mocha'],
    ['npm run test:unit', 'test:unit'],
    ['uv run pytest -q', 'pytest'],
    ['poetry run pytest', 'pytest'],
    ['python -m pytest tests', 'pytest'],
    ['cd web && CI=1 npx jest', 'jest'],
    ['source .venv/bin/activate && pytest', 'pytest'],
    ['export FOO=1; npx vitest run', 'vitest'],
    ['npx vitest run 2>&1 | tail -n 30', 'vitest'],
    ['npx vitest run 2>&1 | grep -E "FAIL|✓"', 'vitest'],
    ['timeout 60 node --test', 'node'],
    ['npm test', 'npm'],
    ['pnpm test', 'pnpm'],
    ['pnpm install', 'pnpm'],
    ['yarn', 'yarn'],
    ['bun test', 'bun'],
  ])('%s → %s', (command, program) => {
    expect(commandInfo(command).program).toBe(program);
  });

  it('knows which commands run a project script', () => {
    expect(runsScript('npm test')).toBe(true);
    expect(runsScript('cd app && pnpm run test:unit')).toBe(true);
    expect(runsScript('make test')).toBe(true);
    expect(runsScript('node --run test')).toBe(true);
    expect(runsScript('deno task test')).toBe(true);
    expect(runsScript('npx vitest')).toBe(false);
    expect(runsScript('node --test')).toBe(false);
  });

  it('finds the family by the program', () => {
    expect(familyOf('npx vitest run')).toBe('test');
    expect(familyOf('node --test test/')).toBe('test');
    expect(familyOf('bun test')).toBe('test');
    expect(familyOf('deno test -A')).toBe('test');
    expect(familyOf('npx playwright test')).toBe('test');
    expect(familyOf('node server.js')).toBe('generic');
  });
});

describe('echoedScript', () => {
  it('reads npm/pnpm and yarn/bun script echoes', () => {
    expect(echoedScript('\n> shop@1.0.0 test\n> vitest run\n\n RUN v4')).toBe('vitest run');
    expect(echoedScript('\n> shop@1.0.0 test /home/a/shop\n> jest --ci\n')).toBe('jest --ci');
    expect(echoedScript('$ bun test\nbun test v1.4.5\n')).toBe('bun test');
    expect(echoedScript('PASS x\n')).toBeNull();
  });
});

describe('splitExitPrefix', () => {
  it('takes the exit code from the first line and leaves the output', () => {
    expect(splitExitPrefix('Exit code 1\nFAIL a\n')).toEqual({ code: 1, output: 'FAIL a\n' });
    expect(splitExitPrefix('Exit code 2')).toEqual({ code: 2, output: '' });
    expect(splitExitPrefix('ok\nExit code 1\n')).toEqual({ code: null, output: 'ok\nExit code 1\n' });
  });
});
