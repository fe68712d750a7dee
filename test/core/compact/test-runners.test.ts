import { describe, expect, it } from 'vitest';
import { compact } from '../../../src/core/compact/index.js';
import { loadFixtures } from './runner-fixtures.js';

/** The captured project: 28 tests in 4 files, one skipped; with BROKEN=1 three fail (cart, math, parse). */
const FAILING = [
  { leaf: 'applies quantity', file: 'cart' },
  { leaf: 'adds negatives', file: 'math' },
  { leaf: 'parses a price with spaces', file: 'parse' },
];
const RUNNERS: Record<string, string> = {
  vitest: 'vitest',
  jest: 'jest',
  'node-test': 'node-test',
  'bun-test': 'bun-test',
  mocha: 'mocha',
  playwright: 'playwright',
  'deno-test': 'deno-test',
};
/** Runs cut by `tail` before the runner's counts: nothing to read them from, so the generic compactor answers. */
const SUMMARY_CUT = new Set(['mocha/10.8.2/fail-tail', 'mocha/11.8.0/fail-tail', 'node-test/24.22.3/fail-tail']);

const fixtures = loadFixtures().filter((f) => RUNNERS[f.tool] !== undefined);
/** Runs of other projects than the 28-test one, checked on their own below. */
const OWN_PROJECT = new Set(['vitest/4.1.12/fail-unhandled']);

describe('test-runner compactors on real outputs', () => {
  it('has fixtures of every runner', () => {
    expect(new Set(fixtures.map((f) => f.tool))).toEqual(new Set(Object.keys(RUNNERS)));
  });

  for (const f of fixtures.filter((x) => !OWN_PROJECT.has(x.id))) {
    const passing = f.name === 'pass';
    const cut = f.name.endsWith('-tail');
    it(`${f.id}`, () => {
      const r = compact(f.command, f.output, f.exitCode);
      if (SUMMARY_CUT.has(f.id)) {
        expect(r.tool).toBe('generic');
        expect(r.facts.passed).toBeUndefined();
        return;
      }
      expect(r.family).toBe('test');
      expect(r.tool).toBe(RUNNERS[f.tool]);
      expect(r.facts.exitCode).toBe(f.exitCode);
      expect(r.text.split('\n')[0]).toContain(`exit ${f.exitCode}`);
      // counts equal the runner's own
      expect(r.facts.passed).toBe(passing ? 27 : 24);
      expect(r.facts.failed).toBe(passing ? 0 : 3);
      expect(r.facts.skipped).toBe(1);
      expect(r.text).toContain(passing ? '27 passed, 1 skipped' : '3 failed, 24 passed, 1 skipped');
      if (passing) {
        expect(r.facts.failures).toEqual([]);
        expect(r.text.split('\n')).toHaveLength(2);
        return;
      }
      const names = r.facts.failures ?? [];
      for (const name of names) expect(r.text).toContain(`✗ ${name}`);
      for (const loc of r.facts.locations ?? []) expect(r.text).toContain(loc);
      // every failing test the output names in full is kept, with a location in its file
      const expected = cut ? FAILING.filter((t) => f.output.includes(t.leaf)) : FAILING;
      // fail-import: a fourth test file fails to load, a failure of its own that no test count includes
      const broken = f.name === 'fail-import';
      if (!cut) expect(names).toHaveLength(broken ? 4 : 3);
      if (broken) expect(names.filter((n) => n.includes('tax.test'))).toHaveLength(1);
      for (const t of expected) {
        const name = names.find((n) => n.endsWith(t.leaf));
        if (name === undefined && cut) continue;
        expect(name, `${t.leaf} in ${names.join(' | ')}`).toBeDefined();
        const block = r.text.slice(r.text.indexOf(`✗ ${name}`)).split('\n✗ ')[0] ?? '';
        expect(block).toMatch(new RegExp(`${t.file}[^\\s]*:\\d+`));
      }
      if (names.length < 3 && !broken) expect(r.text).toContain(`${3 - names.length} more failing test`);
      // the runner's summary line is quoted
      expect(r.facts.summary).toBeTruthy();
      for (const part of (r.facts.summary ?? '').split(' · ')) expect(r.text).toContain(part);
    });
  }

  it('names an unhandled rejection that failed a run whose tests all passed', () => {
    const f = fixtures.find((x) => x.id === 'vitest/4.1.12/fail-unhandled');
    const r = compact(f?.command ?? '', f?.output ?? '', f?.exitCode ?? null);
    expect(r.tool).toBe('vitest');
    expect(r.facts).toMatchObject({ passed: 28, failed: 0, skipped: 1, exitCode: 1 });
    expect(r.facts.failures).toEqual(['Unhandled Rejection']);
    expect(r.text).toContain('Error: lost job: queue closed');
    expect(r.text).toContain('at test/queue.test.mjs:4:20');
    expect(r.text).toContain('Errors  1 error');
    expect(r.text).not.toContain('node_modules');
  });

  it('keeps the error lines of each failure', () => {
    const f = fixtures.find((x) => x.id === 'jest/30.5.2/fail');
    const r = compact(f?.command ?? '', f?.output ?? '', 1);
    expect(r.text).toContain('Expected: 11');
    expect(r.text).toContain('Received: 10');
    expect(r.text).toContain('TypeError: not a price: ten');
    expect(r.text).not.toContain('|'); // code frames are left out
  });

  it('reads a coloured run like a plain one', () => {
    for (const tool of ['vitest/4.1.12', 'jest/29.7.0', 'bun-test/1.4.5', 'playwright/1.65.2', 'node-test/24.22.3']) {
      const plain = fixtures.find((x) => x.id === `${tool}/fail`);
      const color = fixtures.find((x) => x.id === `${tool}/fail-color`);
      const a = compact(plain?.command ?? '', plain?.output ?? '', 1);
      const b = compact(color?.command ?? '', color?.output ?? '', 1);
      // runners that run files in parallel may finish them in another order
      expect([...(b.facts.failures ?? [])].sort(), tool).toEqual([...(a.facts.failures ?? [])].sort());
      expect(b.text).not.toContain('\x1b');
    }
  });

  it('finds the runner behind npm test and bun run test from the echoed script', () => {
    const npm = fixtures.find((x) => x.id === 'jest/29.7.0/npm-test-fail');
    expect(compact(npm?.command ?? '', npm?.output ?? '', 1).tool).toBe('jest');
    const bun = fixtures.find((x) => x.id === 'bun-test/1.4.5/bun-run-test-fail');
    expect(compact(bun?.command ?? '', bun?.output ?? '', 1).tool).toBe('bun-test');
  });

  it('reads the runner by its output when the script is not echoed (make test, yarn test)', () => {
    const f = fixtures.find((x) => x.id === 'vitest/3.2.7/fail');
    expect(compact('make test', f?.output ?? '', 2).tool).toBe('vitest');
    const m = fixtures.find((x) => x.id === 'mocha/11.8.0/fail');
    expect(compact('cd web && yarn test', m?.output ?? '', 1).tool).toBe('mocha');
  });

  it('falls back to generic, inventing no counts, when a run was killed before its summary', () => {
    for (const id of ['vitest/4.1.12/fail', 'jest/30.5.2/fail', 'bun-test/1.4.5/fail', 'playwright/1.65.2/fail']) {
      const f = fixtures.find((x) => x.id === id);
      const lines = (f?.output ?? '').split('\n');
      const killed = lines.slice(0, Math.floor(lines.length * 0.6)).join('\n');
      const r = compact(f?.command ?? '', killed, null);
      expect(r.tool, id).toBe('generic');
      expect(r.facts.passed).toBeUndefined();
      expect(r.facts.failed).toBeUndefined();
    }
  });

  it('reads the exit code from the "Exit code N" line Claude Code puts first', () => {
    const f = fixtures.find((x) => x.id === 'vitest/4.1.12/fail');
    const r = compact(f?.command ?? '', `Exit code 1\n${f?.output ?? ''}`, null);
    expect(r.tool).toBe('vitest');
    expect(r.facts.exitCode).toBe(1);
    expect(r.facts.failed).toBe(3);
  });

  it('reads a run filtered through grep, naming what is left', () => {
    const f = fixtures.find((x) => x.id === 'vitest/4.1.12/fail');
    const grepped = (f?.output ?? '')
      .split('\n')
      .filter((l) => /FAIL|Tests|Test Files/.test(l))
      .join('\n');
    const r = compact('npx vitest run 2>&1 | grep -E "FAIL|Tests"', grepped, 0);
    expect(r.tool).toBe('vitest');
    expect(r.facts.failures).toHaveLength(3);
    expect(r.facts.failed).toBe(3);
  });

  it('falls back to generic when head cut the summary off', () => {
    const f = fixtures.find((x) => x.id === 'jest/30.5.2/fail');
    const head = (f?.output ?? '').split('\n').slice(0, 30).join('\n');
    const r = compact('npx jest 2>&1 | head -30', head, 0);
    expect(r.tool).toBe('generic');
    expect(r.text).toContain('● cart › total › applies quantity');
  });

  it('treats npm test that runs a shell script as generic', () => {
    const out = '\n> shop@1.0.0 test\n> ./scripts/check.sh\n\nchecking links...\nok 12 links\nall good\n';
    const r = compact('npm test', out, 0);
    expect(r.tool).toBe('generic');
    expect(r.text).toContain('ok 12 links');
  });
});
