/**
 * The package version has one source, package.json: scripts/write-version.mjs (the first step of
 * `npm run build`) writes it into src/core/version.ts, and `outloop --version` prints it, from the
 * bundled bin and from main.js alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/core/version.js';
import { CLI_PATH, cliEnv, MAIN_PATH, REPO_ROOT } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dir.js';

const SCRIPT = join(REPO_ROOT, 'scripts', 'write-version.mjs');
const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const packageVersion = (root: string): unknown =>
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version;

/** A project holding only a package.json of this version, and the path its version.ts goes to. */
function project(version: unknown): { root: string; target: string } {
  const root = dirs.make('ol-version-');
  mkdirSync(join(root, 'src', 'core'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', version }));
  return { root, target: join(root, 'src', 'core', 'version.ts') };
}

const write = (root: string) => spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });

describe('write-version', () => {
  it('has written the committed src/core/version.ts from package.json', () => {
    expect(VERSION).toBe(packageVersion(REPO_ROOT));
  });

  it('writes a pre-release version, and leaves an up-to-date file untouched', async () => {
    const { root, target } = project('2.10.0-beta.3+build.7');
    expect(write(root).status).toBe(0);
    const text = readFileSync(target, 'utf8');
    expect(text).toContain("export const VERSION = '2.10.0-beta.3+build.7';");
    const { VERSION: written } = (await import(target)) as { VERSION: string };
    expect(written).toBe('2.10.0-beta.3+build.7');

    // an old modification time: a rewrite of the same text would replace it
    const old = new Date('2020-01-02T03:04:05Z');
    utimesSync(target, old, old);
    expect(write(root).status).toBe(0);
    expect(statSync(target).mtime.toISOString()).toBe(old.toISOString());
    expect(readFileSync(target, 'utf8')).toBe(text);
  });

  it.each([[undefined], [''], ["1.0.0'; process.exit(1); '"], [3], ['v1.0']])(
    'refuses package.json version %j and writes nothing',
    (version) => {
      const { root, target } = project(version);
      const r = write(root);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('no semver "version"');
      expect(() => statSync(target)).toThrow();
    },
  );
});

describe('outloop --version', () => {
  const home = dirs.make('ol-version-home-');
  const run = (entry: string, arg: string) =>
    spawnSync(process.execPath, [entry, arg], { env: cliEnv({ stateDir: home }), encoding: 'utf8', timeout: 20_000 });

  const ENTRIES: Record<string, string> = { 'outloop.cjs': CLI_PATH, 'main.js': MAIN_PATH };
  it.each([
    ['outloop.cjs', '--version'],
    ['outloop.cjs', '-v'],
    ['main.js', '--version'],
    ['main.js', 'version'],
  ])("prints package.json's version: %s %s", (entry, arg) => {
    const r = run(ENTRIES[entry] ?? entry, arg);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${String(packageVersion(REPO_ROOT))}\n`);
    expect(r.stderr).toBe('');
  });
});
