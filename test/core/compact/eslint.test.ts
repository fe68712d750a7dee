import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { eslintCompactor } from '../../../src/core/compact/eslint.js';
import { tempDirs } from '../../helpers/temp-dir.js';
import { bin, fixturesOf, plainLines } from './fixtures.js';
import { runTool } from './live.js';

const STYLISH = /^\s+(\d+):(\d+)\s+(error|warning)\s+.*?(?:\s{2,}(\S+))?$/;
const COMPACT = /^(.+): line (\d+), col (\d+), (Error|Warning) - .*?(?: \((\S+)\))?$/;
const UNIX = /^(.+?):(\d+):(\d+): .* \[(Error|Warning)(?:\/(\S+))?\]$/;

interface Problem {
  file: string;
  pos: string;
  severity: string;
  rule: string;
}

/** Every problem ESLint printed, read independently of the compactor. */
function problemsIn(raw: string): Problem[] {
  const out: Problem[] = [];
  let file = '';
  for (const line of plainLines(raw)) {
    const s = STYLISH.exec(line);
    const c = COMPACT.exec(line);
    const u = UNIX.exec(line);
    if (s && file) out.push({ file, pos: `${s[1]}:${s[2]}`, severity: s[3] ?? '', rule: s[4] ?? '' });
    else if (c)
      out.push({ file: c[1] ?? '', pos: `${c[2]}:${c[3]}`, severity: (c[4] ?? '').toLowerCase(), rule: c[5] ?? '' });
    else if (u)
      out.push({ file: u[1] ?? '', pos: `${u[2]}:${u[3]}`, severity: (u[4] ?? '').toLowerCase(), rule: u[5] ?? '' });
    else if (/^\/\S+$/.test(line)) file = line;
  }
  return out;
}

describe('eslint compactor on captured outputs', () => {
  it.each(fixturesOf('eslint').map((f) => [f.id, f] as const))('%s', (_id, f) => {
    const r = compact(f.meta.command, f.raw, f.meta.exitCode);
    expect(r.family).toBe('lint');
    expect(r.tool).toBe('eslint');
    const problems = problemsIn(f.raw);
    const errors = problems.filter((p) => p.severity === 'error');
    const under = /^eslint: .* under (\S+) /.exec(r.text)?.[1] ?? '';
    for (const e of errors) {
      const rel = e.file.startsWith(under) ? e.file.slice(under.length) : e.file;
      expect(r.text).toContain(`${rel}:${e.pos}`);
      if (e.rule) expect(r.text).toContain(e.rule);
    }
    const summary = /✖ (\d+) problems? \((\d+) errors?, (\d+) warnings?\)/.exec(plainLines(f.raw).join('\n'));
    if (summary) {
      expect(r.facts.errors).toBe(Number(summary[2]));
      expect(r.facts.warnings).toBe(Number(summary[3]));
      expect(r.text).toContain(summary[0]);
    } else if (f.raw.trim() !== '') {
      expect(r.facts.errors).toBe(errors.length);
      expect(r.facts.warnings).toBe(problems.length - errors.length);
    }
    if (f.raw.trim() === '') expect(r.text).toMatch(/^eslint: no problems \(exit 0\)\n/);
    if (f.raw.includes('ESLint found too many warnings'))
      expect(r.text).toContain('ESLint found too many warnings (maximum: 0).');
  });

  it('keeps every error of a large run and leaves out at least three quarters', () => {
    const f = fixturesOf('eslint').find((x) => x.id === 'eslint/9.39.5/big-stylish');
    const r = compact(f!.meta.command, f!.raw, 1);
    expect(r.facts.locations).toHaveLength(problemsIn(f!.raw).length);
    expect(r.text).toContain('broken.js:2:3 Parsing error');
    expect(r.text).toContain('48 warnings by rule: no-console ×48');
    expect(1 - r.compactTokens / r.rawTokens).toBeGreaterThanOrEqual(0.75);
  });

  it('answers null for output it cannot read', () => {
    const cmd = commandInfo('eslint .');
    expect(eslintCompactor.compact(cmd, 'Oops! Something went wrong! :(\n\nESLint: 9.39.5\n', 2)).toBeNull();
    expect(eslintCompactor.compact(cmd, 'v9.39.5\n', 0)).toBeNull();
    expect(compact('eslint --print-config x.js', '{\n  "rules": {}\n}\n', 0).tool).toBe('generic');
  });
});

describe('eslint compactor on a live run', () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());

  it('reports each problem of a real ESLint 9 run', () => {
    const dir = dirs.make('ol-eslint-');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    writeFileSync(
      join(dir, 'eslint.config.js'),
      "export default [{ rules: { 'no-var': 'error', eqeqeq: 'error', 'no-console': 'warn' }, languageOptions: { globals: { console: 'readonly' } } }];\n",
    );
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.js'), "var a = 1;\nif (a == 2) console.log('x');\n");
    const { out, code } = runTool(bin('eslint'), ['src'], dir);
    expect(code).toBe(1);
    const r = compact('npx eslint src', out, code);
    expect(r.tool).toBe('eslint');
    expect(r.facts.errors).toBe(2);
    expect(r.facts.warnings).toBe(1);
    const file = join(dir, 'src', 'a.js');
    expect(r.facts.locations).toEqual([`${file}:1:1`, `${file}:2:7`, `${file}:2:13`]);
    for (const rule of ['no-var', 'eqeqeq', 'no-console']) expect(r.text).toContain(rule);
    const pass = runTool(bin('eslint'), ['eslint.config.js'], dir);
    expect(pass.code).toBe(0);
    expect(compact('npx eslint eslint.config.js', pass.out, 0).text).toMatch(/^eslint: no problems \(exit 0\)/);
  });
});
