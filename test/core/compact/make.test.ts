import { describe, expect, it } from 'vitest';
import { cBuildCompactor } from '../../../src/core/compact/c-build.js';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { toolFixtures } from './toolchain-fixtures.js';

const fixtures = toolFixtures('make');
const ERRORS = ['7:35: error: ‘missing’ undeclared', '9:13: error: expected ‘;’ before ‘}’ token'];

describe('make/cmake compactor on captured make 4.3 and gcc 12 output', () => {
  it.each(fixtures.map((f) => [f.id, f] as const))('%s is read by the C build compactor', (_id, f) => {
    const r = compact(f.command, f.output, f.exitCode);
    expect(r.tool).toBe('c-build');
    expect(r.text).toContain(`exit ${f.exitCode}`);
  });

  it.each(fixtures.filter((f) => f.name !== 'make-ok' && !f.name.startsWith('many')).map((f) => [f.id, f] as const))(
    '%s keeps every error with its file and line, warnings counted, and make’s own error line',
    (_id, f) => {
      const r = compact(f.command, f.output, f.exitCode);
      for (const e of ERRORS) expect(r.text).toContain(e);
      expect(r.text).toMatch(/main\.c\n/);
      expect(r.text).toMatch(/\*\*\* \[.*\] Error 1/);
      expect(r.facts.errors).toBe(2);
      expect(r.facts.locations?.every((l) => /main\.c:\d+:\d+$/.test(l))).toBe(true);
      expect(r.facts.warnings).toBe(f.name === 'make-error-k' ? 4 : 2);
      expect(r.text).toContain('[-Wimplicit-function-declaration]');
      expect(r.text).not.toContain('^~~~');
    },
  );

  it('says a clean build in one line', () => {
    const f = fixtures.find((x) => x.name === 'make-ok');
    const r = compact(f?.command ?? 'make', f?.output ?? '', 0);
    expect(r.text.split('\n')[0]).toBe('make: 0 errors, 0 warnings (exit 0)');
  });

  it('keeps the errors and warnings of a 40-file build and drops the compiler command lines', () => {
    const run = (name: string) => {
      const f = fixtures.find((x) => x.name === name);
      return compact(f?.command ?? 'make', f?.output ?? '', f?.exitCode ?? 2);
    };
    const k = run('many-files-k');
    expect(k.text).toMatch(/\nmod23\.c\n {2}2:16: error: ‘missing’ undeclared/);
    expect(k.text).toMatch(/\nmod31\.c\n {2}2:17: error: expected ‘;’ before ‘}’ token/);
    expect(k.text).toContain('[-Wsign-compare]');
    expect(k.facts).toMatchObject({ errors: 2, warnings: 3, locations: ['mod23.c:2:16', 'mod31.c:2:17'] });
    expect(k.text).toContain("make: Target 'libmods.a' not remade because of errors.");
    expect(k.text).not.toContain('-D_POSIX_C_SOURCE');
    expect(run('many-files').facts).toMatchObject({ errors: 1, warnings: 3 });
    const ok = run('many-files-warnings');
    expect(ok.text.split('\n')[0]).toBe('make: 0 errors, 2 warnings (exit 0)');
    expect(1 - ok.compactTokens / ok.rawTokens).toBeGreaterThanOrEqual(0.75);
  });

  it('leaves a successful make whose recipes printed their own output to the generic compactor', () => {
    const out = 'cc -c main.c -o main.o\ncc -o app main.o\n./app --selftest\nselftest: 12 checks, 1 skipped\n';
    expect(cBuildCompactor.compact(commandInfo('make run'), out, 0)).toBeNull();
    expect(cBuildCompactor.compact(commandInfo('make'), 'cc -c a.c -o a.o\n', 0)?.text).toBe(
      'make: 0 errors, 0 warnings (exit 0)',
    );
  });

  it('answers null when a failing make printed no compiler diagnostic', () => {
    const out = 'python3 gen.py\nTraceback (most recent call last):\nmake: *** [Makefile:3: gen] Error 1\n';
    expect(cBuildCompactor.compact(commandInfo('make'), out, 2)).toBeNull();
    expect(compact('make', out, 2).tool).toBe('generic');
    expect(cBuildCompactor.matches(commandInfo('cmake -S . -B build'))).toBe(false);
    expect(cBuildCompactor.matches(commandInfo('cmake --build build'))).toBe(true);
  });
});
