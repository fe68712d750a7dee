import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { esbuildCompactor } from '../../../src/core/compact/esbuild.js';
import { viteBuildCompactor, webpackCompactor } from '../../../src/core/compact/bundlers.js';
import { tempDirs } from '../../helpers/temp-dir.js';
import { bin, fixturesOf, plainLines } from './fixtures.js';
import { runTool } from './live.js';

const BUILD_TOOLS = ['esbuild', 'tsup', 'vite', 'webpack', 'next'];

/** Locations the tool printed for its errors: esbuild's `file:line:col:`, tsc's `file(line,col)`, webpack's `ERROR in`, next's `./file:line:col`. */
function errorLocations(raw: string): string[] {
  const out: string[] = [];
  const lines = plainLines(raw);
  lines.forEach((line, i) => {
    if (/\[ERROR\]/.test(line)) {
      const where = /^\s+(\S+:\d+:\d+):$/.exec(lines[i + 2] ?? '');
      if (where?.[1]) out.push(where[1]);
    }
    const tsc = /^(.+?)\((\d+),(\d+)\): error TS/.exec(line);
    if (tsc) out.push(`${tsc[1]}:${tsc[2]}:${tsc[3]}`);
    const wp = /^ERROR in (.*)$/.exec(line);
    if (wp?.[1]) out.push(wp[1]);
    const next = /^(\.\/\S+:\d+:\d+)$/.exec(line);
    if (next?.[1]) out.push(next[1]);
  });
  return out;
}

describe('build compactors on captured outputs', () => {
  const fixtures = BUILD_TOOLS.flatMap((t) => fixturesOf(t));
  it.each(fixtures.map((f) => [f.id, f] as const))('%s', (_id, f) => {
    const r = compact(f.meta.command, f.raw, f.meta.exitCode);
    expect(r.family).toBe('build');
    expect(r.tool).toBe(f.meta.tool);
    for (const loc of errorLocations(f.raw)) expect(r.text).toContain(loc);
    const counts = /^(?:(\d+) warnings?)?(?: and )?(?:(\d+) errors?)$/m.exec(plainLines(f.raw).join('\n'));
    if (counts && f.meta.tool === 'esbuild') expect(r.facts.errors).toBe(Number(counts[2]));
    const wp = /compiled with (\d+) errors?/.exec(f.raw);
    if (wp) expect(r.facts.errors).toBe(Number(wp[1]));
    for (const result of [
      '✓ built in',
      '✗ Build failed in',
      'compiled successfully',
      'Failed to compile.',
      '⚡ Done in',
    ]) {
      if (f.raw.includes(result)) expect(r.text).toContain(result);
    }
    if (f.meta.exitCode !== 0) expect(r.text).toContain(`(exit ${f.meta.exitCode})`);
    expect(r.text).not.toMatch(/^\s+at \S/m);
  });

  it.each([
    ['vite/6.4.6/build-fail', 'vite'],
    ['webpack/5.113.0/fail', 'webpack'],
    ['next/15.5.29/build-type-fail', 'next'],
  ])('finds %s behind npm run build by its output', (id, tool) => {
    const f = fixtures.find((x) => x.id === id);
    const raw = `\n> app@1.0.0 build\n> ${tool} build\n\n${f!.raw}`;
    const r = compact('npm run build', raw, 1);
    expect(r.tool).toBe(tool);
    expect(r.text).toContain('> app@1.0.0 build');
  });

  it('answers null for output it cannot read', () => {
    expect(esbuildCompactor.compact(commandInfo('esbuild x.ts'), 'something else entirely\n', 1)).toBeNull();
    expect(viteBuildCompactor.compact(commandInfo('vite build'), 'vite v9 does things differently\n', 1)).toBeNull();
    expect(webpackCompactor.compact(commandInfo('webpack'), 'Killed\n', 137)).toBeNull();
    expect(compact('vite build', 'Killed\n', 137).tool).toBe('generic');
  });
});

describe('esbuild compactor on a live run', () => {
  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());

  it('reports each error and warning with its location', () => {
    const dir = dirs.make('ol-esbuild-');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'index.ts'), "import { a } from './nope';\nif (a === -0) console.log(a);\n");
    const { out, code } = runTool(bin('esbuild'), ['src/index.ts', '--bundle', '--outfile=dist/out.js'], dir);
    expect(code).toBe(1);
    const r = compact('npx esbuild src/index.ts --bundle --outfile=dist/out.js', out, code);
    expect(r.tool).toBe('esbuild');
    expect(r.facts.errors).toBe(1);
    expect(r.facts.warnings).toBe(1);
    expect(r.text).toContain('src/index.ts:1:18');
    expect(r.text).toContain('Could not resolve "./nope"');
    expect(r.text).toContain('src/index.ts:2:10');
    writeFileSync(join(dir, 'src', 'index.ts'), 'export const a = 1;\n');
    const ok = runTool(bin('esbuild'), ['src/index.ts', '--bundle', '--outfile=dist/out.js'], dir);
    expect(ok.code).toBe(0);
    const rs = compact('npx esbuild src/index.ts --bundle --outfile=dist/out.js', ok.out, 0);
    expect(rs.tool).toBe('esbuild');
    expect(rs.text).toMatch(/^esbuild: built|⚡ Done in/);
    expect(rs.facts.errors).toBe(0);
  });
});
