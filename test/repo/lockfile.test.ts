/**
 * The committed lockfile describes the committed package.json: a fresh clone's `npm install` must not
 * rewrite it. npm copies the root package's name, version, license, bin, engines and dependency ranges
 * into `packages[""]`, so any difference there is a lockfile that `npm install` would change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const readJson = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(REPO_ROOT, name), 'utf8')) as Record<string, unknown>;

describe('package-lock.json', () => {
  const pkg = readJson('package.json');
  const lock = readJson('package-lock.json');
  const root = (lock['packages'] as Record<string, Record<string, unknown>>)[''] ?? {};

  it('names the same package and version', () => {
    expect(lock['name']).toBe(pkg['name']);
    expect(lock['version']).toBe(pkg['version']);
    expect(root['name']).toBe(pkg['name']);
    expect(root['version']).toBe(pkg['version']);
  });

  it.each(['bin', 'engines', 'license', 'dependencies', 'devDependencies', 'optionalDependencies'])(
    'copies the root package field %s',
    (field) => {
      expect(root[field]).toEqual(pkg[field]);
    },
  );
});
