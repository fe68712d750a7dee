import { describe, expect, it } from 'vitest';
import { flake8Compactor } from '../../../src/core/compact/flake8.js';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { toolFixtures } from './toolchain-fixtures.js';

const fixtures = toolFixtures('flake8');
const FINDING = /^(\S+):(\d+):(\d+): ([A-Z]+\d+) /;

describe('flake8 compactor on captured flake8 5.0 output', () => {
  it.each(fixtures.filter((f) => f.name !== 'clean').map((f) => [f.id, f] as const))(
    '%s keeps every finding’s file, line, column and code',
    (_id, f) => {
      const r = compact(f.command, f.output, f.exitCode);
      expect(r.tool).toBe('flake8');
      const findings = f.output
        .split('\n')
        .map((l) => FINDING.exec(l))
        .filter((m): m is RegExpExecArray => m !== null);
      expect(r.facts.errors).toBe(findings.length);
      // each `  CODE line:col …` line under the line naming its file, written back as `file CODE line:col …`
      let file = '';
      const lines = r.text.split('\n').map((l) => {
        if (!l.startsWith(' ')) file = l;
        return l.startsWith('  ') ? `${file} ${l.trim()} ` : l;
      });
      for (const [, path, line, col, code] of findings) {
        const group = lines.find((l) => l.startsWith(`${path} ${code} `) && l.includes(` ${line}:${col} `));
        expect(group, `${path}:${line}:${col} ${code}`).toBeDefined();
      }
    },
  );

  it('reads --count and --statistics and keeps each distinct message', () => {
    const f = fixtures.find((x) => x.name === 'errors-count');
    const r = compact(f?.command ?? '', f?.output ?? '', 1);
    expect(r.text.split('\n')[0]).toBe('flake8: 39 findings in 3 files (exit 1)');
    expect(r.text).toContain("('os' imported but unused)");
    expect(r.text).toContain("('sys' imported but unused)");
    expect(r.text).toContain('E302 expected 2 blank lines, found 0');
  });

  it('says a clean run in one line and answers null for other output', () => {
    expect(compact('flake8 clean', '', 0).text.split('\n')[0]).toBe('flake8: no findings (exit 0)');
    expect(flake8Compactor.compact(commandInfo('flake8'), 'Traceback (most recent call last):\n', 1)).toBeNull();
  });
});
