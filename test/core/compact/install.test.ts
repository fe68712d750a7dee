import { describe, expect, it } from 'vitest';
import { commandInfo, compact, familyOf } from '../../../src/core/compact/index.js';
import { npmInstallCompactor, uvCompactor } from '../../../src/core/compact/install.js';
import { fixturesOf, plainLines } from './fixtures.js';

const TOOLS = ['npm', 'pnpm', 'yarn', 'bun', 'pip'];

/** Lines that carry a result or an error: each must survive compaction. */
const MUST_KEEP = [
  /^(?:added|removed|changed|up to date) .* in /,
  /^npm error (?:code|404 Not Found|ERESOLVE|Could not resolve|peer )/,
  /ERR_PNPM_/,
  /^(?:\+ \S+ \S+|Done in |Packages: )/,
  /^(?:success |error |Done in )/,
  /^(?:installed |\d+ packages? installed|error: )/,
  /^(?:Successfully installed |ERROR: |error: metadata-generation-failed)/,
];

describe('install compactors on captured outputs', () => {
  const fixtures = TOOLS.flatMap((t) => fixturesOf(t));
  it.each(fixtures.map((f) => [f.id, f] as const))('%s', (_id, f) => {
    const r = compact(f.meta.command, f.raw, f.meta.exitCode);
    expect(r.family).toBe('install');
    expect(r.tool).toBe(f.meta.tool);
    for (const line of plainLines(f.raw)) {
      if (MUST_KEEP.some((re) => re.test(line))) expect(r.text).toContain(line.trimEnd());
    }
    expect(r.text).not.toMatch(/^Progress: resolved|^\[\d\/4\] |^Looking in indexes/m);
    if (f.meta.exitCode !== 0) expect(r.text).toContain(`(exit ${f.meta.exitCode})`);
  });

  it('counts repeated warnings instead of repeating them', () => {
    const raw = [
      'npm warn deprecated inflight@1.0.6: This module is not supported',
      'npm warn deprecated inflight@1.0.6: This module is not supported',
      'npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported',
      '',
      'added 59 packages in 19s',
    ].join('\n');
    const r = compact('npm install', raw, 0);
    expect(r.text).toContain('inflight@1.0.6: This module is not supported  (×2)');
    expect(r.text).toContain('glob@7.2.3');
    expect(r.text).toContain('added 59 packages in 19s');
    expect(r.facts.warnings).toBe(3);
  });

  it("keeps the error lines of a build backend's quoted output and counts the rest", () => {
    const f = fixturesOf('pip').find((x) => x.id === 'pip/23.2.1/install-local');
    const r = compact(f!.meta.command, f!.raw, 1);
    expect(r.text).toContain("error: invalid command 'bdist_wheel'");
    expect(r.text).toContain('× Preparing metadata (pyproject.toml) did not run successfully.');
    expect(r.text).not.toContain('running dist_info');
    expect(r.text).toContain('(9 lines of quoted build output without an error left out)');
  });

  it('reads uv in the format its documentation shows (no uv could be run here)', () => {
    const raw = [
      'Using CPython 3.12.3',
      'Resolved 3 packages in 120ms',
      '   Building app @ file:///home/dev/app',
      '      Built app @ file:///home/dev/app',
      'Prepared 2 packages in 50ms',
      'Installed 3 packages in 10ms',
      ' + app==0.1.0 (from file:///home/dev/app)',
      ' + certifi==2024.2.2',
      ' + idna==3.6',
    ].join('\n');
    const r = compact('uv sync', raw, 0);
    expect(r.tool).toBe('uv');
    for (const kept of ['Resolved 3 packages', 'Installed 3 packages', ' + certifi==2024.2.2', ' + idna==3.6']) {
      expect(r.text).toContain(kept);
    }
    expect(r.text).not.toContain('Using CPython');
  });

  it('knows which commands are installs', () => {
    for (const c of [
      'npm i',
      'npm ci',
      'pnpm add x',
      'yarn',
      'yarn add x',
      'bun install',
      'pip install -r r.txt',
      'uv pip install x',
      'uv sync',
    ]) {
      expect(familyOf(c)).toBe('install');
    }
    for (const c of ['npm run build', 'pip list', 'uv run pytest', 'yarn test'])
      expect(familyOf(c)).not.toBe('install');
  });

  it('answers null for output it cannot read', () => {
    expect(npmInstallCompactor.compact(commandInfo('npm install'), 'Killed\n', 137)).toBeNull();
    expect(uvCompactor.compact(commandInfo('uv sync'), 'something new\n', 0)).toBeNull();
  });
});
