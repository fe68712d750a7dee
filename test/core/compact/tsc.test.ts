import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { tscCompactor } from '../../../src/core/compact/tsc.js';
import { tempDirs } from '../../helpers/temp-dir.js';
import { bin, fixturesOf, plainLines } from './fixtures.js';

const PLAIN = /^(.+?)\((\d+),(\d+)\): error (TS\d+):/;
const PRETTY = /^(.+?):(\d+):(\d+) - error (TS\d+):/;

/** Every `file:line:col` and code tsc printed, read independently of the compactor. */
function errorsIn(raw: string): { loc: string; asPrinted: string; code: string }[] {
  const out: { loc: string; asPrinted: string; code: string }[] = [];
  for (const line of plainLines(raw)) {
    const m = PLAIN.exec(line) ?? PRETTY.exec(line);
    if (m) out.push({ loc: `${m[1]}:${m[2]}:${m[3]}`, asPrinted: line.split(': error')[0] ?? '', code: m[4] ?? '' });
  }
  return out;
}

const fixtures = [...fixturesOf('tsc'), ...fixturesOf('vue-tsc')];

describe('tsc compactor on captured outputs', () => {
  it.each(fixtures.map((f) => [f.id, f] as const))('%s', (_id, f) => {
    const r = compact(f.meta.command, f.raw, f.meta.exitCode);
    expect(r.family).toBe('build');
    expect(r.tool).toBe(f.meta.tool);
    const errors = errorsIn(f.raw);
    for (const e of errors) {
      // a short output is handed back as printed, when that is shorter than the compact form
      expect(r.text.includes(e.loc) || r.text.includes(e.asPrinted)).toBe(true);
      expect(r.facts.locations).toContain(e.loc);
    }
    for (const code of new Set(errors.map((e) => e.code))) expect(r.text).toContain(code);
    const found = /Found (\d+) errors?/.exec(plainLines(f.raw).join('\n'));
    expect(r.facts.errors).toBe(found ? Number(found[1]) : errors.length);
    if (f.raw.trim() === '') expect(r.text).toMatch(/^(?:vue-)?tsc: no errors \(exit 0\)\n/);
    if (f.meta.exitCode !== 0) expect(r.text).toContain(`(exit ${f.meta.exitCode})`);
  });

  it('leaves out code frames and the per-file table of the pretty format', () => {
    const f = fixtures.find((x) => x.id === 'tsc/5.9.3/fail-pretty');
    const r = compact(f!.meta.command, f!.raw, 2);
    expect(r.text).not.toContain('~~~');
    expect(r.text).not.toMatch(/^Errors\s+Files$/m);
    expect(r.text).toContain('Found 25 errors in 5 files.');
    expect(1 - r.compactTokens / r.rawTokens).toBeGreaterThanOrEqual(0.75);
  });

  it('keeps the deepest line of a multi-line message', () => {
    const f = fixtures.find((x) => x.id === 'tsc/5.9.3/fail-plain');
    const r = compact(f!.meta.command, f!.raw, 2);
    expect(r.text).toMatch(
      /src\/index\.ts:8:14 TS2322 Type '\(x: string\) => number' .* … Type 'number' is not assignable to type 'string'\./,
    );
  });

  it('groups one message seen at many places, keeping every place', () => {
    const raw = Array.from(
      { length: 50 },
      (_, i) => `src/f${i}.ts(${i + 1},3): error TS2304: Cannot find name 'describe'.`,
    ).join('\n');
    const r = compact('npx tsc --noEmit', `${raw}\n`, 2);
    expect(r.text.match(/Cannot find name 'describe'/g)).toHaveLength(1);
    for (let i = 0; i < 50; i++) expect(r.text).toContain(`src/f${i}.ts:${i + 1}:3`);
    expect(r.facts.errors).toBe(50);
  });

  it('answers null for output it cannot read, so the generic compactor takes over', () => {
    const cmd = commandInfo('tsc --version');
    expect(tscCompactor.compact(cmd, 'Version 5.9.3\n', 0)).toBeNull();
    expect(tscCompactor.compact(cmd, 'error: something new happened\n', 1)).toBeNull();
    expect(tscCompactor.compact(cmd, '', 1)).toBeNull();
    expect(compact('tsc --version', 'Version 5.9.3\n', 0).tool).toBe('generic');
  });

  it('is found by its output behind npm run', () => {
    const f = fixtures.find((x) => x.id === 'tsc/5.9.3/fail-plain');
    const raw = `\n> app@1.0.0 typecheck\n> tsc --noEmit\n\n${f!.raw}`;
    const r = compact('npm run typecheck', raw, 2);
    expect(r.tool).toBe('tsc');
    expect(r.text).toContain('> tsc --noEmit');
    expect(r.facts.errors).toBe(25);
  });

  it('reads 10 MB of errors in one pass', () => {
    const line = "src/big/module.ts(120,17): error TS2322: Type 'string' is not assignable to type 'number'.\n";
    const raw = line.repeat(Math.ceil(10_000_000 / line.length));
    const r = compact('tsc --noEmit', raw, 2);
    expect(r.facts.errors).toBe(raw.length / line.length);
    expect(r.rawTokens).toBeGreaterThan(2_000_000);
  });
});

describe('tsc compactor on a live run', () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());

  function project(files: Record<string, string>): string {
    const dir = dirs.make('ol-tsc-');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ['src'] }),
    );
    mkdirSync(join(dir, 'src'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'src', name), text);
    return dir;
  }

  function run(dir: string, args: string[]): { out: string; code: number } {
    try {
      return { out: execFileSync(bin('tsc'), args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' }), code: 0 };
    } catch (e) {
      const err = e as { stdout: string; stderr: string; status: number };
      return { out: err.stdout + err.stderr, code: err.status };
    }
  }

  it('reports every error of a failing project, in both formats', () => {
    const dir = project({ 'a.ts': "export const a: number = 'x';\n", 'b.ts': 'export const b = missing + 1;\n' });
    for (const args of [['--noEmit'], ['--noEmit', '--pretty']]) {
      const { out, code } = run(dir, ['-p', 'tsconfig.json', ...args]);
      expect(code).toBe(2);
      const r = compact(`tsc ${args.join(' ')}`, out, code);
      expect(r.tool).toBe('tsc');
      expect(r.facts.locations).toEqual(['src/a.ts:1:14', 'src/b.ts:1:18']);
      expect(r.text).toContain('TS2322');
      expect(r.text).toContain('TS2304');
      expect(r.facts.errors).toBe(2);
    }
  });

  it('says no errors for a passing project', () => {
    const dir = project({ 'ok.ts': 'export const ok: number = 1;\n' });
    const { out, code } = run(dir, ['-p', 'tsconfig.json']);
    expect(code).toBe(0);
    expect(compact('tsc', out, code).text).toMatch(/^tsc: no errors \(exit 0\)/);
  });
});
