import { describe, expect, it } from 'vitest';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { mypyCompactor } from '../../../src/core/compact/python-check.js';
import { toolFixtures, ungroup } from './toolchain-fixtures.js';

const fixtures = toolFixtures('mypy');
const ERRORS = [
  'pkg/models.py:11: error: Unsupported operand types for + ("str" and "int")',
  'pkg/models.py:18: error: Incompatible return value type (got "None", expected "User")',
  'pkg/models.py:22: error:',
  'pkg/service.py:7: error: Argument 2 to "User" has incompatible type "str"; expected "int"',
];

describe('mypy compactor on captured mypy 1.0 output', () => {
  it.each(fixtures.map((f) => [f.id, f] as const))('%s is read by the mypy compactor', (_id, f) => {
    const r = compact(f.command, f.output, f.exitCode);
    expect(r.tool).toBe('mypy');
    expect(r.family).toBe('build');
  });

  it.each(['errors', 'errors-color', 'errors-pretty'])('%s keeps every error with its code and the summary', (name) => {
    const f = fixtures.find((x) => x.name === name);
    const r = compact(f?.command ?? '', f?.output ?? '', f?.exitCode ?? 1);
    for (const e of ERRORS) expect(ungroup(r.text)).toContain(e);
    expect(r.facts.locations).toEqual(['pkg/models.py:11', 'pkg/models.py:18', 'pkg/models.py:22', 'pkg/service.py:7']);
    for (const code of ['[operator]', '[return-value]', '[arg-type]']) expect(r.text).toContain(code);
    expect(r.text).toContain('Found 4 errors in 2 files (checked 4 source files)');
    expect(r.facts).toMatchObject({ errors: 4, files: 2 });
    expect(r.text).not.toContain('^~~');
  });

  it('keeps all 13 strict-mode errors', () => {
    const f = fixtures.find((x) => x.name === 'errors-strict');
    const r = compact(f?.command ?? '', f?.output ?? '', 1);
    expect(r.facts.errors).toBe(13);
    expect(r.facts.locations).toHaveLength(13);
    expect(ungroup(r.text)).toContain(
      'pkg/legacy.py:19: error: Function is missing a type annotation  [no-untyped-def]',
    );
  });

  it('reads a run stopped by a syntax error', () => {
    const f = fixtures.find((x) => x.name === 'syntax-error');
    const r = compact(f?.command ?? '', f?.output ?? '', 2);
    expect(ungroup(r.text)).toContain('syntax/bad.py:1: error: invalid syntax  [syntax]');
    expect(r.facts).toMatchObject({
      errors: 1,
      files: 1,
      summary: 'Found 1 error in 1 file (errors prevented further checking)',
    });
  });

  it('says success in one line and answers null without a summary', () => {
    const f = fixtures.find((x) => x.name === 'clean');
    expect(compact(f?.command ?? '', f?.output ?? '', 0).text.split('\n')[0]).toBe(
      'mypy: Success: no issues found in 1 source file (exit 0)',
    );
    expect(mypyCompactor.compact(commandInfo('mypy .'), 'pkg/a.py:1: error: x  [misc]\n', null)).toBeNull();
  });
});
