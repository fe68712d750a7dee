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

  it.each(fixtures.filter((f) => f.name !== 'make-ok').map((f) => [f.id, f] as const))(
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

  it('answers null when a failing make printed no compiler diagnostic', () => {
    const out = 'python3 gen.py\nTraceback (most recent call last):\nmake: *** [Makefile:3: gen] Error 1\n';
    expect(cBuildCompactor.compact(commandInfo('make'), out, 2)).toBeNull();
    expect(compact('make', out, 2).tool).toBe('generic');
    expect(cBuildCompactor.matches(commandInfo('cmake -S . -B build'))).toBe(false);
    expect(cBuildCompactor.matches(commandInfo('cmake --build build'))).toBe(true);
  });
});
