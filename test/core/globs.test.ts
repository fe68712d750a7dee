import { describe, expect, it } from 'vitest';
import { coveringGlobs, globMatches } from '../../src/core/globs.js';
import { normalizePath } from '../../src/core/paths.js';

describe('globMatches', () => {
  it.each<[string, string, boolean]>([
    ['app/server/**/*.py', 'app/server/cart.py', true],
    ['app/server/**/*.py', 'app/server/api/v1/routes.py', true],
    ['app/server/**/*.py', 'app/server/config.json', false],
    ['app/server/**/*.py', 'app/client/cart.py', false],
    ['app/server/*.py', 'app/server/cart.py', true],
    ['app/server/*.py', 'app/server/api/routes.py', false],
    ['app/**', 'app/server/api/routes.py', true],
    ['app/**', 'apps/x.py', false],
    ['**/*.py', 'cart.py', true],
    ['**/*.py', 'a/b/c/cart.py', true],
    ['*.md', 'README.md', true],
    ['*.md', 'docs/README.md', false],
    ['tests/test_?.py', 'tests/test_a.py', true],
    ['app/server/cart.py', './app/server/cart.py', true],
    ['app/server/cart.py', 'app\\server\\cart.py', true],
    ['my dir/(x)+[1].py', 'my dir/(x)+[1].py', true],
    ['ção/**/*.md', 'ção/notas/á.md', true],
    ['/home/ana/**/*.py', '/home/ana/shop/cart.py', true],
    ['/home/ana/**/*.py', 'home/ana/shop/cart.py', false],
    ['c:/Shop/app/*.py', 'C:\\shop\\APP\\cart.py', true],
  ])('%j ~ %j → %j', (glob, path, expected) => {
    expect(globMatches(glob, path)).toBe(expected);
  });
});

describe('coveringGlobs', () => {
  it.each<[string, string[], string[], string[]]>([
    ['nothing used', [], ['a/b.py'], []],
    [
      'one file per directory, neighbours loaded in vain → exact paths',
      ['app/server/coupons.py', 'tests/test_cart.py'],
      ['app/server/cart.py', 'app/server/models.py', 'app/server/api/routes.py', 'docs/coupons.md'],
      ['app/server/coupons.py', 'tests/test_cart.py'],
    ],
    [
      'a subtree of python files; other types and directories avoided',
      ['app/server/coupons.py', 'app/server/services/pricing.py', 'app/server/routes/cart.py'],
      ['app/client/src/Cart.tsx', 'docs/api.md', 'README.md', 'app/server/config.json'],
      ['app/server/**/*.py'],
    ],
    ['nothing to avoid → one glob from the root', ['src/a.ts', 'src/b.ts', 'test/a.test.ts'], [], ['**/*.ts']],
    [
      'an avoided root file blocks root globs',
      ['src/a.ts', 'src/b.ts', 'test/a.test.ts'],
      ['README.md'],
      ['src/*.ts', 'test/a.test.ts'],
    ],
    [
      'extension-less files use dir/**',
      ['Makefile', 'scripts/build', 'scripts/deploy'],
      ['docs/x.md'],
      ['Makefile', 'scripts/**'],
    ],
    [
      'a path in both lists counts as used; spellings merged',
      ['./lib/a.rb', 'lib\\b.rb'],
      ['lib/a.rb', 'spec/a_spec.rb'],
      ['lib/*.rb'],
    ],
    [
      'windows paths with spaces',
      ['c:/My Shop/app/a.py', 'c:/My Shop/app/b.py'],
      ['c:/My Shop/docs/x.md'],
      ['c:/My Shop/app/*.py'],
    ],
  ])('%s', (_name, used, avoid, expected) => {
    const globs = coveringGlobs(used, avoid);
    expect(globs).toEqual(expected);
    for (const u of used) expect(globs.some((g) => globMatches(g, u))).toBe(true);
    const usedNorm = used.map((p) => normalizePath(p));
    for (const a of avoid.filter((p) => !usedNorm.includes(p))) {
      expect(globs.some((g) => globMatches(g, a))).toBe(false);
    }
  });
});
