import { describe, expect, it } from 'vitest';
import { classify, progName } from '../../../src/core/learning/operation-classify.js';
import { namesItsCategory } from '../../../src/core/learning/operation-words.js';

const words = (s: string): string[] => s.split(' ');

describe('classify: one simple command', () => {
  it.each<[string, string, string, string, number]>([
    // command, category, subcategory, program, start (the word the operation starts at)
    ['vitest run', 'test', 'vitest', 'vitest', 0],
    ['tsc -b', 'build', 'tsc', 'tsc', 0],
    ['npx -y vitest run', 'test', 'vitest', 'vitest', 2],
    ['uv run --with x pytest -q', 'test', 'pytest', 'pytest', 4],
    ['uv tool run ruff check', 'lint', 'ruff', 'ruff', 3],
    ['poetry run python -m pytest', 'test', 'pytest', 'pytest', 4],
    ['python -m unittest discover', 'test', 'unittest', 'unittest', 2],
    ['uv pip uninstall requests', 'deps', 'uv-remove', 'uv', 0],
    ['cargo clippy', 'lint', 'clippy', 'cargo', 0],
    ['git -C repo status', 'git', 'status', 'git', 0],
    ['pnpm exec eslint .', 'lint', 'eslint', 'eslint', 2],
    ['pnpm vitest', 'test', 'vitest', 'vitest', 1],
    ['npm run type-check', 'typecheck', 'npm-type-check', 'npm', 0],
    ['bun test', 'test', 'bun', 'bun', 0],
    ['make -j 4 test', 'test', 'make', 'make', 0],
    ['make', 'build', 'make', 'make', 0],
    ['nx run-many -t build', 'build', 'nx', 'nx', 0],
    ['deno run -A main.ts', 'script', 'main', 'deno', 0],
    ['./deploy.sh prod', 'script', 'deploy', 'deploy.sh', 0],
    ['frobnicate --now', 'other', 'frobnicate', 'frobnicate', 0],
  ])('%s → %s:%s (program %s, from word %i)', (command, category, subcategory, program, start) => {
    const found = classify(words(command), 0, []);
    expect(found).toMatchObject({ category, subcategory, program, start });
  });

  it('records the directory options it skips', () => {
    const dirs: string[] = [];
    classify(words('uv run --directory app/server pytest'), 0, dirs);
    expect(dirs).toEqual(['app/server']);
  });

  it('hands a shell -c command back to be classified in its place', () => {
    expect(classify(['bash', '-c', 'npm test'], 0, [])).toMatchObject({ program: 'bash', nested: 'npm test' });
  });

  it('stops looking through runners after 8 hops', () => {
    const found = classify(words('npx npx npx npx npx npx npx npx npx vitest'), 0, []);
    expect(found).toMatchObject({ category: 'other', program: 'npx', start: 8 });
  });
});

describe('progName', () => {
  it.each<[string, string]>([
    ['/usr/bin/python3.12', 'python'],
    ['python3', 'python'],
    ['.venv/bin/pytest', 'pytest'],
    ['py.test', 'pytest'],
    ['NPM.CMD', 'npm'],
    ['pnpx', 'npx'],
    ['sh', 'bash'],
  ])('%s → %s', (word, name) => {
    expect(progName(word)).toBe(name);
  });
});

describe('namesItsCategory', () => {
  it('is true only for programs whose name says the category', () => {
    expect(namesItsCategory('vitest', 'test')).toBe(true);
    expect(namesItsCategory('tsc', 'typecheck')).toBe(true);
    expect(namesItsCategory('tsc', 'build')).toBe(false);
    expect(namesItsCategory('cargo', 'test')).toBe(false);
  });
});
