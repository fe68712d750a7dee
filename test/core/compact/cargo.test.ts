import { describe, expect, it } from 'vitest';
import { cargoTestCompactor } from '../../../src/core/compact/cargo-test.js';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { rustcCompactor } from '../../../src/core/compact/rustc.js';
import { toolFixtures, ungroup } from './toolchain-fixtures.js';

const fixtures = toolFixtures('cargo');
const byName = (name: string, version = '1.95.0') => {
  const f = fixtures.find((x) => x.id === `${version}/${name}`);
  if (f === undefined) throw new Error(`no fixture ${name}`);
  return compact(f.command, f.output, f.exitCode);
};
const FAILING = ['tests::add_wrong', 'tests::is_positive', 'tests::mean_empty'];
const ERRORS = [
  'src/main.rs:12:37 error[E0425]: cannot find value `missing_value` in this scope',
  'src/main.rs:9:22 error[E0308]: mismatched types',
  'src/main.rs:14:35 error[E0599]: no method named `len`',
  'src/main.rs:4:9 warning[unused_variables]: unused variable: `unused`',
];

describe('cargo compactors on captured cargo 1.95 output', () => {
  it.each(fixtures.map((f) => [f.id, f] as const))('%s is read by a cargo compactor', (_id, f) => {
    const r = compact(f.command, f.output, f.exitCode);
    expect(r.tool).toBe(f.family === 'test' ? 'cargo-test' : 'cargo-build');
    expect(r.text).toContain(`exit ${f.exitCode}`);
  });

  it.each(['test-fail', 'test-fail-color', 'test-fail-backtrace', 'test-fail-single-thread', 'test-fail-tail'])(
    '%s keeps every failing test, where it panicked and the summed counts',
    (name) => {
      const r = byName(name);
      for (const t of FAILING) expect(r.text).toContain(`FAILED ${t}`);
      expect(r.facts).toMatchObject({ passed: 26, failed: 3, skipped: 1, failures: expect.arrayContaining(FAILING) });
      expect(r.text).toContain('cargo test: FAILED. 26 passed; 3 failed; 1 ignored');
      if (name !== 'test-fail-tail') {
        for (const at of ['src/lib.rs:29:9', 'src/lib.rs:43:9', 'src/lib.rs:8:5']) expect(r.text).toContain(at);
        expect(r.text).toContain('assertion `left == right` failed: two and two');
        expect(r.text).not.toContain('stack backtrace');
      }
    },
  );

  it('keeps a failing doc test and integration test of a --no-fail-fast run', () => {
    const r = byName('test-no-fail-fast-doc');
    expect(r.facts).toMatchObject({ passed: 2, failed: 2, failures: ['api_double', 'src/lib.rs - double (line 5)'] });
    expect(r.text).toContain('FAILED api_double  panicked at tests/api.rs:3:5');
    expect(r.text).toContain('FAILED src/lib.rs - double (line 5)  panicked at src/lib.rs:5:1');
    expect(r.text).toContain('error: doctest failed, to rerun pass `--doc`');
    expect(r.text).toContain('error: 2 targets failed:');
  });

  it('reads the quoted, multi-line panic messages of rustc 1.63 (Debian)', () => {
    const r = byName('test-fail', '1.65.0');
    expect(r.facts).toMatchObject({ passed: 26, failed: 3, skipped: 1, failures: FAILING });
    expect(r.text).toContain(
      'FAILED tests::add_wrong  panicked at src/lib.rs:29:9\n  assertion failed: `(left == right)`',
    );
    expect(r.text).toContain('   right: `5`: two and two');
    expect(r.text).toContain(
      'FAILED tests::is_positive  panicked at src/lib.rs:43:9\n  assertion failed: add(-3, 1) > 0\n',
    );
    const doc = byName('test-no-fail-fast-doc', '1.65.0');
    expect(doc.text).toContain('FAILED src/lib.rs - double (line 5)  panicked at src/lib.rs:4:1');
    expect(doc.text).not.toContain('backtrace');
    expect(1 - doc.compactTokens / doc.rawTokens).toBeGreaterThanOrEqual(0.75);
    const build = byName('build-error', '1.65.0');
    expect(ungroup(build.text)).toContain('src/main.rs:9:22 error[E0308]: mismatched types');
    expect(build.facts).toMatchObject({ errors: 3, warnings: 0 });
    expect(byName('check-warnings', '1.65.0').facts.warnings).toBe(3);
  });

  it('sums the counts of every test binary on success', () => {
    const r = byName('test-pass');
    expect(r.text.split('\n')[0]).toBe('cargo test: ok. 31 passed; 0 failed; 1 ignored (exit 0)');
    expect(r.facts).toMatchObject({ passed: 31, failed: 0, skipped: 1 });
    expect(1 - r.compactTokens / r.rawTokens).toBeGreaterThanOrEqual(0.75);
  });

  it.each(['build-error', 'build-error-color', 'check-error', 'test-compile-error'])(
    '%s keeps every error with its code and location',
    (name) => {
      const r = byName(name);
      for (const e of ERRORS) expect(ungroup(r.text)).toContain(e);
      expect(r.facts.locations).toEqual(['src/main.rs:12:37', 'src/main.rs:9:22', 'src/main.rs:14:35']);
      expect(r.facts).toMatchObject({ errors: 3, warnings: 1 });
      expect(r.text).toMatch(/error: could not compile `app`/);
    },
  );

  it('names every clippy lint with its location', () => {
    const r = byName('clippy-warnings');
    for (const lint of ['needless_return', 'ptr_arg', 'needless_range_loop', 'len_zero']) {
      expect(r.text).toContain(`warning[clippy::${lint}]`);
    }
    expect(ungroup(r.text)).toContain('src/main.rs:16:8 warning[clippy::len_zero]: length comparison to zero');
    expect(r.facts).toMatchObject({ errors: 0, warnings: 7 });
    expect(byName('check-warnings').facts.warnings).toBe(3);
  });

  it('answers null for output it cannot read', () => {
    expect(cargoTestCompactor.compact(commandInfo('cargo test'), '   Compiling calc v0.1.0\n', null)).toBeNull();
    expect(
      rustcCompactor.compact(commandInfo('cargo build'), 'error: no matching package named `x`\n', 101),
    ).toBeNull();
    expect(compact('cargo test', '   Compiling calc v0.1.0\n', null).tool).toBe('generic');
  });
});
