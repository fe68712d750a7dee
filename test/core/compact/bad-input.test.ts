import { describe, expect, it } from 'vitest';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { COMPACTORS } from '../../../src/core/compact/registry.js';
import { fixturesOf } from './fixtures.js';

/** One command per compactor of the build, lint, format, install and git families. */
const COMMANDS = [
  'tsc --noEmit',
  'vue-tsc --noEmit',
  'vite build',
  'next build',
  'webpack',
  'esbuild src/a.ts',
  'tsup',
  'eslint .',
  'biome lint',
  'biome format',
  'prettier --check .',
  'npm install',
  'pnpm install',
  'yarn add x',
  'bun install',
  'pip install x',
  'uv sync',
  'git status',
  'git diff',
  'git push',
  'git commit -m x',
];

const BAD: readonly [string, string][] = [
  ['binary noise', '\u0000\u0001\u0002\ufffd\u001b[31m\u001b]8;;x\u0007'],
  ['a killed run', 'Killed\n'],
  ['one 1 MB line', 'x'.repeat(1_000_000)],
  ['progress redraws only', 'Progress: 1%\rProgress: 50%\rProgress: 100%\n'],
];

describe('compactors given output they were not made for', () => {
  it('every command above has its own compactor', () => {
    for (const c of COMMANDS)
      expect(
        COMPACTORS.some((x) => x.matches(commandInfo(c))),
        c,
      ).toBe(true);
  });

  it.each(COMMANDS.flatMap((c) => BAD.map(([name, out]) => [c, name, out] as const)))(
    '%s with %s',
    (command, _name, out) => {
      for (const exit of [0, 1, null]) {
        const r = compact(command, out, exit);
        expect(r.text.length).toBeGreaterThan(0);
        expect(r.text).not.toMatch(/\b[1-9]\d* errors?\b/);
        expect(r.text).not.toMatch(/no errors|no problems|all files formatted/);
      }
    },
  );

  it.each(['\r', '\r\n\r\n', ' \n'])('reads blank output %j as silence: success only with exit 0', (out) => {
    expect(compact('tsc --noEmit', out, 0).text).toMatch(/^tsc: no errors \(exit 0\)/);
    expect(compact('eslint .', out, 0).text).toMatch(/^eslint: no problems \(exit 0\)/);
    for (const c of ['tsc --noEmit', 'eslint .', 'prettier --check .', 'esbuild a.ts']) {
      expect(compact(c, out, 1).text).not.toMatch(/no errors|no problems|all files formatted|built/);
    }
  });

  it('reads CRLF output as it reads LF output', () => {
    for (const tool of ['tsc', 'eslint', 'biome']) {
      for (const f of fixturesOf(tool)) {
        const lf = compact(f.meta.command, f.raw, f.meta.exitCode);
        const crlf = compact(f.meta.command, f.raw.replace(/\n/g, '\r\n'), f.meta.exitCode);
        expect(crlf.facts, f.id).toEqual(lf.facts);
      }
    }
  });

  it('says the exit status is unknown for a run that was not waited for', () => {
    const f = fixturesOf('tsc').find((x) => x.id === 'tsc/5.9.3/fail-pretty');
    expect(compact(f!.meta.command, f!.raw, null).text).toContain('(exit status unknown)');
  });
});

describe('success summaries', () => {
  const passing = ['tsc', 'vue-tsc', 'eslint', 'biome', 'prettier', 'esbuild', 'tsup', 'vite', 'webpack', 'next']
    .flatMap((t) => fixturesOf(t))
    .filter((f) => f.meta.exitCode === 0 && !f.meta.command.includes('| tail'));

  it.each(passing.map((f) => [f.id, f] as const))('%s is short and claims no error', (_id, f) => {
    const r = compact(f.meta.command, f.raw, 0);
    expect(r.text.split('\n').length).toBeLessThanOrEqual(25);
    expect(r.facts.errors ?? 0).toBe(0);
    expect(r.compactTokens).toBeLessThanOrEqual(Math.max(60, r.rawTokens));
  });
});
