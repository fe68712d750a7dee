import { describe, expect, it } from 'vitest';
import {
  contextEfficiency,
  EfficiencyFold,
  efficiencyFromFacts,
  type Efficiency,
} from '../../../src/core/context/efficiency.js';
import { callFacts, type CallFacts, type ContextCall } from '../../../src/core/context/facts.js';
import { decodeFacts, encodeFacts } from '../../../src/core/context/facts-codec.js';
import { call, CWD } from '../../helpers/context-calls.js';

const WIN = 'C:\\Users\\Zoë\\Shop';

/** One of each kind of call the facts must carry, in a session order where order matters. */
const session: ContextCall[] = [
  // named before it is loaded: does not count
  call('Bash', { command: 'pytest tests/test_late.py' }),
  // Grep, files_with_matches: 301 B over 3 files → 101, 100, 100
  call(
    'Grep',
    { pattern: 'coupon', path: CWD },
    {
      responseText: `Found 3 files\n${CWD}/app/cart.py\n${CWD}/app/coupons.py\n${CWD}/docs/guide.md`,
      responseBytes: 301,
    },
  ),
  // Grep, content: 40 B over cart and models
  call(
    'Grep',
    { pattern: 'total', output_mode: 'content' },
    { responseText: 'app/cart.py:12:def total():\n--\napp/models.py-3-    return total', responseBytes: 40 },
  ),
  // Grep, count: 8 B over cart and test_cart
  call(
    'Grep',
    { pattern: 'x', output_mode: 'count' },
    { responseText: 'app/cart.py:3\ntests/test_cart.py:1', responseBytes: 8 },
  ),
  // Glob without a text: its filePaths, 10 B → 5 and 5
  call('Glob', { pattern: '**/*.py' }, { filePaths: ['app/api/routes.py', './app/cart.py'], responseBytes: 10 }),
  call('Read', { file_path: `${CWD}/app/coupons.py` }, { responseBytes: 2000 }),
  call(
    'Read',
    { file_path: 'app/missing.py' },
    { isError: true, responseBytes: 50, responseText: '<tool_use_error>File does not exist.</tool_use_error>' },
  ),
  call('Read', { file_path: 'docs/diagram.PNG' }, { responseBytes: 40_000 }),
  // no cwd: resolved against the session's (the first call's)
  call('Read', { file_path: 'app/models.py' }, { cwd: null, responseBytes: 400 }),
  call('Read', { file_path: 'tests/test_late.py' }, { responseBytes: 80 }),
  // input cut at 4096 chars: fields found by regex
  call('Read', '{"file_path":"/home/ana/src/shop/app/big.py","offset":1,"lim', { responseBytes: 12 }),
  call('Edit', { file_path: `${CWD}/app/coupons.py`, old_string: 'qty > 0', new_string: 'qty >= 1' }),
  call('Write', { file_path: 'app/new_file.py', content: 'x = 1\n' }),
  call('MultiEdit', { file_path: 'app/cart.py', edits: [] }),
  call('NotebookEdit', { notebook_path: 'notebooks/a.ipynb', new_source: 'x' }),
  call('Edit', '{"file_path":"/home/ana/src/shop/app/big.py","old_string":"def f(x):\\n    retu'),
  // a whole path, then path-suffix tokens (a pytest node id, a bare file name in a prompt)
  call('Bash', { command: `cat ${CWD}/docs/guide.md` }),
  call('Bash', { command: 'uv run pytest tests/test_cart.py::test_total -q' }),
  call('Task', { prompt: 'Review models.py for style', description: 'review' }),
  call('Bash', { command: 'wc -l app/api/routes.py' }, { cwd: null }),
  // Windows: a drive path, then a backslashed, differently cased mention of it
  call('Read', { file_path: `${WIN}\\src\\Cart.ts` }, { cwd: WIN, responseBytes: 400 }),
  call('Bash', { command: 'type src\\cart.ts' }, { cwd: WIN }),
];

/**
 * Counted by hand. cart 101 + 20 + 4 + 5 = 130 B → 33 tok in 4 loads; coupons 100 + 2000 → 525;
 * guide 100 → 25; models 20 + 400 → 105; test_cart 4 → 1; routes 5 → 2; diagram 40000 → 10000
 * (media); test_late 80 → 20 (named before it was loaded: wasted); big 12 → 3; Cart.ts 400 → 100.
 * The missing file loads nothing. Used: the edit targets (new_file and a.ipynb never loaded), then
 * guide (whole path), test_cart (node id), models (bare name), routes (a call without cwd) and
 * Cart.ts (backslashes, other case).
 */
const expected: Efficiency = {
  filesLoaded: 10,
  filesUsed: 10,
  filesLoadedAndUsed: 8,
  efficiencyPct: 80,
  tokensLoaded: 10_814,
  tokensUsed: 794,
  tokensWasted: 10_020,
  basis: 'measured',
  loaded: [
    { path: 'app/cart.py', tokens: 33, loads: 4 },
    { path: 'app/coupons.py', tokens: 525, loads: 2 },
    { path: 'docs/guide.md', tokens: 25, loads: 1 },
    { path: 'app/models.py', tokens: 105, loads: 2 },
    { path: 'tests/test_cart.py', tokens: 1, loads: 1 },
    { path: 'app/api/routes.py', tokens: 2, loads: 1 },
    { path: 'docs/diagram.PNG', tokens: 10_000, loads: 1, media: true },
    { path: 'tests/test_late.py', tokens: 20, loads: 1 },
    { path: 'app/big.py', tokens: 3, loads: 1 },
    { path: 'c:/Users/Zoë/Shop/src/Cart.ts', tokens: 100, loads: 1 },
  ],
  used: [
    'app/coupons.py',
    'app/new_file.py',
    'app/cart.py',
    'notebooks/a.ipynb',
    'app/big.py',
    'docs/guide.md',
    'tests/test_cart.py',
    'app/models.py',
    'app/api/routes.py',
    'c:/Users/Zoë/Shop/src/Cart.ts',
  ],
  topWasted: [
    { path: 'docs/diagram.PNG', tokens: 10_000 },
    { path: 'tests/test_late.py', tokens: 20 },
  ],
};

const viaCodec = (calls: readonly ContextCall[]): CallFacts[] =>
  calls.map((c) => {
    const f = decodeFacts(encodeFacts(callFacts(c)));
    if (f === null) throw new Error('facts did not decode');
    return f;
  });

describe('efficiencyFromFacts(calls.map(callFacts))', () => {
  it('counts a varied session by hand, directly and through the stored form', () => {
    expect(efficiencyFromFacts(session.map((c) => callFacts(c)))).toStrictEqual(expected);
    expect(efficiencyFromFacts(viaCodec(session))).toStrictEqual(expected);
    expect(contextEfficiency(session)).toStrictEqual(expected);
  });

  it('without any cwd, every path is shown as resolved and nothing resolves against another call', () => {
    const noCwd = session.map((c) => ({ ...c, cwd: null }));
    const e = efficiencyFromFacts(viaCodec(noCwd));
    expect(e).toStrictEqual(contextEfficiency(noCwd));
    expect(e).toMatchObject({ filesLoaded: 11, filesUsed: 11, filesLoadedAndUsed: 9, tokensLoaded: 10_815 });
    expect(e.loaded.slice(0, 4)).toEqual([
      { path: `${CWD}/app/cart.py`, tokens: 26, loads: 1 },
      { path: `${CWD}/app/coupons.py`, tokens: 525, loads: 2 },
      { path: `${CWD}/docs/guide.md`, tokens: 25, loads: 1 },
      { path: 'app/cart.py', tokens: 8, loads: 3 },
    ]);
  });

  it('a session cwd given: calls without one resolve against it, the others keep theirs', () => {
    const e = efficiencyFromFacts(viaCodec(session), '/home/ana');
    expect(e).toMatchObject({ filesLoaded: 11, filesUsed: 11, filesLoadedAndUsed: 9, tokensLoaded: 10_814 });
    expect(e.loaded.map((l) => l.path)).toContain('app/models.py');
    expect(e.loaded.map((l) => l.path)).toContain('src/shop/app/models.py');
    expect(e.used.slice(0, 2)).toEqual(['src/shop/app/coupons.py', 'src/shop/app/new_file.py']);
  });

  it('keeps the ten largest wasted files, ties by path, as a full sort would', () => {
    // e, b, d, a, c, f: 10 tokens each; then g 6, h 7, i 8, j 9, k 10, l 11
    const calls = ['e', 'b', 'd', 'a', 'c', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].map((n, i) =>
      call('Read', { file_path: `${n}.py` }, { responseBytes: i < 6 ? 40 : 4 * i }),
    );
    expect(efficiencyFromFacts(viaCodec(calls)).topWasted).toEqual([
      { path: 'l.py', tokens: 11 },
      { path: 'a.py', tokens: 10 },
      { path: 'b.py', tokens: 10 },
      { path: 'c.py', tokens: 10 },
      { path: 'd.py', tokens: 10 },
      { path: 'e.py', tokens: 10 },
      { path: 'f.py', tokens: 10 },
      { path: 'k.py', tokens: 10 },
      { path: 'j.py', tokens: 9 },
      { path: 'i.py', tokens: 8 },
    ]);
  });

  it('a file under the session cwd named from another cwd, and by a suffix longer than its path there', () => {
    const calls = [
      call('Read', { file_path: 'app/x.py' }, { responseBytes: 40 }),
      call('Bash', { command: 'cat ../app/x.py' }, { cwd: `${CWD}/app` }),
      call('Read', { file_path: 'y.py' }, { responseBytes: 40, cwd: `${CWD}/lib` }),
      call('Bash', { command: 'pytest shop/lib/y.py' }),
    ];
    expect(efficiencyFromFacts(viaCodec(calls))).toMatchObject({
      filesLoaded: 2,
      filesUsed: 2,
      used: ['app/x.py', 'lib/y.py'],
    });
  });
});

describe('callFacts', () => {
  it('keeps what a call loads, uses and mentions, without the other calls', () => {
    expect(callFacts(session[17]!)).toEqual({
      cwd: CWD,
      rel: false,
      loads: [],
      bytes: 0,
      media: false,
      uses: [],
      // '' stands for `${cwd}/${tail}`
      tokens: ['', 'uv run pytest tests/test_cart.py', '', 'tests/test_cart.py'],
      mentions: [],
    });
    expect(callFacts(session[1]!)).toMatchObject({
      rel: true,
      loads: ['app/cart.py', 'app/coupons.py', 'docs/guide.md'],
      bytes: 301,
    });
    expect(callFacts(session[8]!)).toMatchObject({ cwd: null, loads: ['app/models.py'], bytes: 400 });
    expect(callFacts(session[19]!)).toMatchObject({
      cwd: null,
      tokens: [],
      mentions: ['wc -l app/api/routes.py', 'app/api/routes.py'],
    });
    expect(callFacts(session[21]!).tokens).toEqual([
      'c:/users/zoë/shop/type src/cart.ts',
      'type src/cart.ts',
      'c:/users/zoë/shop/src/cart.ts',
      'src/cart.ts',
    ]);
    expect(callFacts(session[7]!)).toMatchObject({ rel: true, loads: ['docs/diagram.PNG'], media: true });
    expect(callFacts(session[6]!)).toMatchObject({ loads: [], uses: [], tokens: [] });
  });

  it('stores compactly and reads back what it stored; anything else reads as null', () => {
    expect(encodeFacts(callFacts(session[5]!))).toBe(`["${CWD}",2,2000,[],["app/coupons.py"]]`);
    expect(encodeFacts(callFacts(session[6]!))).toBe(`["${CWD}",0]`);
    expect(encodeFacts(callFacts(session[7]!))).toBe(`["${CWD}",3,40000,[],["docs/diagram.PNG"]]`);
    for (const c of session) expect(decodeFacts(encodeFacts(callFacts(c)))).toEqual(callFacts(c));
    for (const bad of ['', '{}', '[]', '["x"]', '["x","0"]', '[1,0]', '["x",0,0,[1]]', '["x",0,0,[],"a"]', '["x",0'])
      expect(decodeFacts(bad)).toBeNull();
  });
});

describe('EfficiencyFold: save, restore, go on', () => {
  /** folds `facts` saving and restoring the state after the call at each index in `splits` */
  function foldWithBreaks(facts: readonly CallFacts[], root: string | null, splits: ReadonlySet<number>): Efficiency {
    let fold = new EfficiencyFold(root);
    facts.forEach((f, i) => {
      fold.add(f);
      if (splits.has(i)) {
        const back = EfficiencyFold.restore(fold.save());
        if (back === null) throw new Error('state did not restore');
        fold = back;
      }
    });
    return fold.result();
  }

  it('gives the same result whichever call the state was saved after (and after every call)', () => {
    for (const [calls, root] of [
      [session, CWD],
      [session.map((c) => ({ ...c, cwd: null })), null],
      [session, '/home/ana'],
    ] as const) {
      const facts = viaCodec(calls);
      const whole = efficiencyFromFacts(facts, root);
      for (let i = -1; i < facts.length; i++) {
        expect(foldWithBreaks(facts, root, new Set([i]))).toStrictEqual(whole);
      }
      expect(foldWithBreaks(facts, root, new Set(facts.map((_, i) => i)))).toStrictEqual(whole);
    }
    expect(foldWithBreaks(viaCodec(session), CWD, new Set([5]))).toStrictEqual(expected);
  });

  it('a restored state keeps its session cwd; a string that is not a saved state is refused', () => {
    const fold = new EfficiencyFold('C:\\Users\\Zoë\\Shop');
    fold.add(callFacts(session[20] as ContextCall));
    expect(EfficiencyFold.restore(fold.save())?.root).toBe('C:\\Users\\Zoë\\Shop');
    for (const bad of [
      '',
      'null',
      '[]',
      '[2,null,[],[]]',
      '[1,null,["a",1],[]]',
      '[1,null,["a",0,1,1],[]]',
      '{"x":1}',
      '[1,5,[],[]]',
    ]) {
      expect(EfficiencyFold.restore(bad)).toBeNull();
    }
  });
});
