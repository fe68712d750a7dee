import { describe, expect, it } from 'vitest';
import { contextEfficiency, type ContextCall } from '../../../src/core/context/efficiency.js';
import { buildContextProfile } from '../../../src/core/context/profile.js';
import { globMatches } from '../../../src/core/globs.js';

function call(
  toolName: string,
  input: Record<string, unknown>,
  cwd: string,
  extra: Partial<ContextCall> = {},
): ContextCall {
  return {
    toolName,
    inputJson: JSON.stringify(input),
    command: typeof input['command'] === 'string' ? input['command'] : null,
    responseBytes: 0,
    responseText: null,
    isError: false,
    cwd,
    filePaths: [],
    ...extra,
  };
}

const W = '/home/ana/src/shop';
const read = (p: string, bytes: number, cwd = W): ContextCall =>
  call('Read', { file_path: p }, cwd, { responseBytes: bytes });
const edit = (p: string, cwd = W): ContextCall => call('Edit', { file_path: p, old_string: 'a', new_string: 'b' }, cwd);
const bash = (command: string, cwd = W): ContextCall => call('Bash', { command }, cwd);

/** Three occurrences of "fix a coupon bug". */
const occA = contextEfficiency([
  call('Grep', { pattern: 'apply_coupon' }, W, {
    responseBytes: 600,
    responseText: [
      'Found 6 files',
      'app/server/cart.py',
      'app/server/coupons.py',
      'app/server/models.py',
      'app/server/api/routes.py',
      'tests/test_cart.py',
      'docs/coupons.md',
    ]
      .map((p, i) => (i === 0 ? p : `${W}/${p}`))
      .join('\n'),
  }),
  read('app/server/cart.py', 4000),
  read('app/server/coupons.py', 2000),
  read('app/server/models.py', 3000),
  read('tests/test_cart.py', 1600),
  call('Read', { file_path: 'app/server/discounts.py' }, W, { isError: true, responseBytes: 52 }),
  edit('app/server/coupons.py'),
  bash('uv run pytest tests/test_cart.py -q'),
]);
const occB = contextEfficiency([
  read('app/server/coupons.py', 2000),
  read('app/server/services/pricing.py', 1200),
  read('app/client/src/Cart.tsx', 3200),
  read('README.md', 400),
  read('tests/test_coupons.py', 800),
  edit('app/server/coupons.py'),
  edit('app/server/services/pricing.py'),
  bash('pytest tests/test_coupons.py'),
]);
const occC = contextEfficiency([
  call('Glob', { pattern: 'app/server/**/*.py' }, W, {
    responseBytes: 400,
    responseText: ['coupons.py', 'cart.py', 'services/pricing.py', 'routes/checkout.py']
      .map((p) => `${W}/app/server/${p}`)
      .join('\n'),
  }),
  read('app/server/routes/checkout.py', 2000),
  read('docs/api.md', 1000),
  edit('app/server/routes/checkout.py'),
  call('Write', { file_path: `${W}/tests/test_checkout.py`, content: 'def test(): pass' }, W),
]);

describe('buildContextProfile', () => {
  it('hand-counted occurrences', () => {
    expect([
      occA.tokensLoaded,
      occA.tokensUsed,
      occB.tokensLoaded,
      occB.tokensUsed,
      occC.tokensLoaded,
      occC.tokensUsed,
    ]).toEqual([2800, 950, 1900, 1000, 850, 525]);
  });

  it('profiles three occurrences', () => {
    // app/server holds used and unused .py files, so only tests/ earns a glob.
    // saved: A cart 1025 + models 775 + routes 25 + docs 25 = 1850; B Cart.tsx 800 + README 100 = 900;
    // C cart 25 + docs/api.md 250 = 275. (1850 + 900 + 275) / 3 = 1008.3.
    expect(buildContextProfile([occA, occB, occC])).toEqual({
      globs: ['app/server/coupons.py', 'app/server/routes/checkout.py', 'app/server/services/pricing.py', 'tests/*.py'],
      typicalFiles: [{ path: 'app/server/coupons.py', share: 0.67 }],
      typicalDirs: ['tests', 'app/server'],
      avgTokensLoaded: 1850,
      avgTokensUsed: 825,
      estimatedTokensSaved: 1008,
      samples: 3,
    });
  });

  it('globs cover every used file and no unused directory', () => {
    const { globs } = buildContextProfile([occA, occB, occC]);
    for (const occ of [occA, occB, occC]) {
      for (const u of occ.used) expect(globs.some((g) => globMatches(g, u))).toBe(true);
    }
    const unusedDirs = ['app/server/api', 'docs', 'app/client/src', 'app/client', ''];
    for (const dir of unusedDirs) {
      for (const probe of ['probe.py', 'probe.md', 'probe.tsx', 'sub/probe.py']) {
        const path = dir === '' ? probe : `${dir}/${probe}`;
        expect(globs.filter((g) => globMatches(g, path))).toEqual([]);
      }
    }
  });

  it('ADW worktrees: paths relative to each worktree merge into one subtree glob', () => {
    const t1 = '/repo/trees/a1b2c3d4';
    const t2 = '/repo/trees/e5f6a7b8';
    const t3 = 'C:\\repo\\trees\\adw-20260302-091405';
    const occs = [
      contextEfficiency([read('app/server/a.py', 400, t1), read('README.md', 4000, t1), edit('app/server/a.py', t1)]),
      contextEfficiency([
        read('app/server/core/b.py', 800, t2),
        read('app/client/x.ts', 800, t2),
        edit(`${t2}/app/server/core/b.py`, t2),
      ]),
      contextEfficiency([read('app\\server\\api\\c.py', 1200, t3), edit('app\\server\\api\\c.py', t3)]),
    ];
    // saved: README 1000 + x.ts 200 = 1200 / 3 = 400
    expect(buildContextProfile(occs)).toEqual({
      globs: ['app/server/**/*.py'],
      typicalFiles: [
        { path: 'app/server/a.py', share: 0.33 },
        { path: 'app/server/api/c.py', share: 0.33 },
        { path: 'app/server/core/b.py', share: 0.33 },
      ],
      typicalDirs: ['app/server', 'app/server/api', 'app/server/core'],
      avgTokensLoaded: 600, // (1100 + 400 + 300) / 3
      avgTokensUsed: 200,
      estimatedTokensSaved: 400,
      samples: 3,
    });
  });

  it('empty input', () => {
    expect(buildContextProfile([])).toEqual({
      globs: [],
      typicalFiles: [],
      typicalDirs: [],
      avgTokensLoaded: 0,
      avgTokensUsed: 0,
      estimatedTokensSaved: 0,
      samples: 0,
    });
  });
});
