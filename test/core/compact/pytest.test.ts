import { describe, expect, it } from 'vitest';
import { compact } from '../../../src/core/compact/index.js';
import { pytestCompactor } from '../../../src/core/compact/pytest.js';
import { commandInfo } from '../../../src/core/compact/index.js';
import { toolFixtures } from './toolchain-fixtures.js';

const fixtures = toolFixtures('pytest');
const FAILING = [
  'tests/bad/test_calc_bad.py::test_add_wrong',
  'tests/bad/test_calc_bad.py::test_mean_empty',
  'tests/bad/test_calc_bad.py::test_parse_pair_dict',
  'tests/bad/test_calc_bad.py::TestParse::test_parse_bad_number',
  'tests/bad/test_calc_bad.py::test_uses_broken_fixture',
];
/** where each failure was raised: a line of the test's own file is said as `line N` after the test's id */
const LOCATIONS = [
  'test_add_wrong  at line 13',
  'test_mean_empty  at line 17, calc.py:9',
  'test_parse_pair_dict  at line 23',
  'test_parse_bad_number  at line 28, calc.py:14',
  'test_uses_broken_fixture  at line 36',
];

describe('pytest compactor on captured pytest 7 and 9 output', () => {
  it('has fixtures of both versions', () => {
    expect(fixtures.some((f) => f.id.startsWith('7.'))).toBe(true);
    expect(fixtures.some((f) => f.id.startsWith('9.'))).toBe(true);
  });

  it.each(fixtures.map((f) => [f.id, f] as const))('%s is read by the pytest compactor', (_id, f) => {
    const r = compact(f.command, f.output, f.exitCode);
    expect(r.tool).toBe('pytest');
    expect(r.family).toBe('test');
    expect(r.facts.exitCode).toBe(f.exitCode);
    expect(r.text).toContain(`exit ${f.exitCode}`);
  });

  it.each(
    fixtures.filter((f) => f.name.startsWith('fail') && f.name !== 'fail-v-tb-no').map((f) => [f.id, f] as const),
  )('%s keeps every failing test and the counts', (_id, f) => {
    const r = compact(f.command, f.output, f.exitCode);
    for (const name of FAILING.slice(0, f.name === 'fail-x' ? 1 : FAILING.length)) expect(r.text).toContain(name);
    if (f.name !== 'fail-x') {
      expect(r.facts).toMatchObject({ failed: 4, passed: 183, skipped: 3, errors: 1 });
      expect(r.facts.failures).toEqual(FAILING);
    }
    if (!f.name.includes('tail') && f.name !== 'fail-x' && f.name !== 'fail-tb-line') {
      for (const loc of LOCATIONS) expect(r.text).toContain(loc);
      expect(r.facts.locations).toContain('tests/bad/test_calc_bad.py:13');
      expect(r.facts.locations).toContain('calc.py:14');
    }
    if (f.name === 'fail-tb-line') {
      for (const loc of ['tests/bad/test_calc_bad.py:13', 'calc.py:9', 'tests/bad/test_calc_bad.py:23', 'calc.py:14']) {
        expect(r.text).toContain(loc);
      }
    }
  });

  it('takes the failing names from -v result lines when no traceback or short summary is printed', () => {
    const f = fixtures.find((x) => x.name === 'fail-v-tb-no');
    const r = compact(f?.command ?? '', f?.output ?? '', 1);
    expect(r.facts.failures).toEqual(FAILING);
    expect(r.facts).toMatchObject({ failed: 4, passed: 61, skipped: 1, errors: 1 });
    expect(r.text).toContain('ERROR tests/bad/test_calc_bad.py::test_uses_broken_fixture');
    expect(r.text).not.toContain('PASSED');
  });

  it('keeps the first assertion lines of a failure', () => {
    const f = fixtures.find((x) => x.id === '9.0.3/fail-default');
    const text = compact(f?.command ?? '', f?.output ?? '', 1).text;
    expect(text).toContain('AssertionError: two and two');
    expect(text).toContain('assert 4 == 5');
    expect(text).toContain('ZeroDivisionError: division by zero');
    expect(text).toContain('RuntimeError: database unavailable');
  });

  it('keeps both collection errors with their locations', () => {
    for (const f of fixtures.filter((x) => x.name.startsWith('collect-error'))) {
      const r = compact(f.command, f.output, f.exitCode);
      expect(r.text).toContain('ERROR broken/test_import_error.py  at line 1');
      expect(r.text).toContain('ERROR broken/test_syntax_error.py');
      expect(r.facts.locations).toEqual(['broken/test_import_error.py:1']);
      expect(r.text).toContain('def test_broken(:');
      expect(r.facts.errors).toBe(2);
    }
  });

  it('says a passing run in one line with its counts', () => {
    for (const f of fixtures.filter((x) => x.name.startsWith('pass'))) {
      const r = compact(f.command, f.output, f.exitCode);
      expect(r.text.split('\n')).toHaveLength(2);
      expect(r.text).toMatch(/^pytest: 122 passed, 2 skipped, 1 xfailed in [\d.]+s \(exit 0\)/);
      expect(r.facts).toMatchObject({ passed: 122, skipped: 2 });
    }
  });

  it('reaches at least 75% on the verbose and coloured runs', () => {
    for (const id of ['9.0.3/fail-v', '9.0.3/pass-v', '9.0.3/fail-color', '9.0.3/fail-default']) {
      const f = fixtures.find((x) => x.id === id);
      const r = compact(f?.command ?? '', f?.output ?? '', f?.exitCode ?? 1);
      expect(1 - r.compactTokens / r.rawTokens).toBeGreaterThanOrEqual(0.75);
    }
  });

  it('answers null for a run cut before its summary, and compact() falls back to generic', () => {
    const f = fixtures.find((x) => x.id === '9.0.3/fail-default');
    const cut = (f?.output ?? '').split('=== FAILURES ===')[0] ?? '';
    expect(pytestCompactor.compact(commandInfo('pytest tests'), cut, null)).toBeNull();
    expect(compact('pytest tests', cut, null).tool).toBe('generic');
    expect(pytestCompactor.compact(commandInfo('pytest'), 'some unrelated text\n', 0)).toBeNull();
  });

  it('is chosen for pytest behind python -m, uv run and cd', () => {
    expect(pytestCompactor.matches(commandInfo('python3 -m pytest -q'))).toBe(true);
    expect(pytestCompactor.matches(commandInfo('cd app && uv run pytest'))).toBe(true);
    expect(pytestCompactor.matches(commandInfo('python3 script.py'))).toBe(false);
  });
});
