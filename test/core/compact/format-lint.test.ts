import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { biomeLintCompactor } from '../../../src/core/compact/biome.js';
import { prettierCompactor } from '../../../src/core/compact/prettier.js';
import { tempDirs } from '../../helpers/temp-dir.js';
import { bin, fixturesOf, plainLines } from './fixtures.js';
import { runTool } from './live.js';

describe('biome compactor on captured outputs', () => {
  it.each(fixturesOf('biome').map((f) => [f.id, f] as const))('%s', (_id, f) => {
    const r = compact(f.meta.command, f.raw, f.meta.exitCode);
    expect(r.family).toBe(f.meta.family);
    const lines = plainLines(f.raw);
    let pending: { loc: string; rule: string } | null = null;
    for (const line of lines) {
      const m = /^(?:\.\/)?(\S+?):(\d+):(\d+) (lint\/\S+)/.exec(line);
      if (m) pending = { loc: `${m[1]}:${m[2]}:${m[3]}`, rule: m[4] ?? '' };
      const marker = /^\s{2}([×✖!⚠ℹi]) /.exec(line);
      if (pending && marker) {
        // every location is in the facts; errors are also in the text (warnings are counted when many)
        expect(r.facts.locations).toContain(pending.loc);
        if (marker[1] === '×' || marker[1] === '✖') {
          expect(r.text).toContain(pending.loc);
          expect(r.text).toContain(pending.rule);
        }
        pending = null;
      }
    }
    const errors = /^Found (\d+) errors?\./m.exec(lines.join('\n'));
    const warnings = /^Found (\d+) warnings?\./m.exec(lines.join('\n'));
    expect(r.facts.errors).toBe(errors ? Number(errors[1]) : 0);
    expect(r.facts.warnings).toBe(warnings ? Number(warnings[1]) : 0);
    const checked = /^Checked \d+ files? in .*$/m.exec(lines.join('\n'));
    if (checked) expect(r.text).toContain(checked[0]);
  });

  it('leaves out code frames and suggested fixes', () => {
    const f = fixturesOf('biome').find((x) => x.id === 'biome/2.6.9/ci-fail');
    const r = compact(f!.meta.command, f!.raw, 1);
    expect(r.text).not.toContain('│');
    expect(1 - r.compactTokens / r.rawTokens).toBeGreaterThanOrEqual(0.75);
  });

  it('answers null for output it cannot read', () => {
    expect(biomeLintCompactor.compact(commandInfo('biome lint'), 'Version: 2.6.9\n', 0)).toBeNull();
  });
});

describe('prettier compactor', () => {
  it.each(fixturesOf('prettier').map((f) => [f.id, f] as const))('%s', (_id, f) => {
    const r = compact(f.meta.command, f.raw, f.meta.exitCode);
    expect(r.family).toBe('format');
    expect(r.tool).toBe('prettier');
    for (const line of plainLines(f.raw)) {
      const warn = /^\[warn\] (\S+)$/.exec(line);
      if (warn) expect(r.text).toContain(warn[1]);
      const err = /^\[error\] (\S+): SyntaxError: .* \((\d+:\d+)\)$/.exec(line);
      if (err) expect(r.text).toContain(err[1]);
      if (/^(?:\[warn\] )?Code style issues found/.test(line)) expect(r.text).toContain(line.replace('[warn] ', ''));
    }
  });

  it('answers null for output it cannot read', () => {
    expect(prettierCompactor.compact(commandInfo('prettier --check .'), 'some new message here\n', 2)).toBeNull();
    expect(compact('prettier --write .', 'src/a.js 12ms\n', 0).tool).toBe('generic');
  });

  const dirs = tempDirs();
  afterAll(() => dirs.removeAll());

  it('lists every unformatted file of a live run and says so when all are formatted', () => {
    const dir = dirs.make('ol-prettier-');
    mkdirSync(join(dir, 'src'));
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, 'src', `f${i}.js`), `const x${i} = {a:1}\n`);
    writeFileSync(join(dir, 'src', 'ok.js'), 'export const ok = 1;\n');
    const { out, code } = runTool(bin('prettier'), ['--check', 'src'], dir);
    expect(code).toBe(1);
    const r = compact('npx prettier --check src', out, code);
    for (let i = 0; i < 12; i++) expect(r.text).toContain(`src/f${i}.js`);
    expect(r.text).not.toContain('src/ok.js');
    expect(r.facts.files).toBe(12);
    expect(r.text).toContain('Code style issues found in 12 files.');
    const ok = runTool(bin('prettier'), ['--check', 'src/ok.js'], dir);
    expect(compact('npx prettier --check src/ok.js', ok.out, ok.code).text).toContain(
      'All matched files use Prettier code style!',
    );
  });
});
