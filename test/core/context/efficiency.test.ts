import { describe, expect, it } from 'vitest';
import { contextEfficiency, type ContextCall } from '../../../src/core/context/efficiency.js';
import { call, CWD } from '../../helpers/context-calls.js';

const grepText = [
  'Found 6 files',
  `${CWD}/app/server/cart.py`,
  `${CWD}/app/server/coupons.py`,
  `${CWD}/app/server/models.py`,
  `${CWD}/app/server/api/routes.py`,
  `${CWD}/tests/test_cart.py`,
  `${CWD}/docs/coupons.md`,
].join('\n');

/** Grep → 6 files, Read 4 of them (three spellings), a missing file, Edit 1, run its test. */
const realistic: ContextCall[] = [
  call('Grep', { pattern: 'apply_coupon', path: CWD }, { responseText: grepText, responseBytes: 600 }),
  call('Read', { file_path: `${CWD}/app/server/cart.py` }, { responseBytes: 4000 }),
  call('Read', { file_path: './app/server/coupons.py' }, { responseBytes: 2000 }),
  call('Read', { file_path: 'app/server/models.py' }, { responseBytes: 3000 }),
  call('Read', { file_path: `${CWD}/tests/test_cart.py` }, { responseBytes: 1600 }),
  call(
    'Read',
    { file_path: `${CWD}/app/server/discounts.py` },
    { isError: true, responseBytes: 52, responseText: '<tool_use_error>File does not exist.</tool_use_error>' },
  ),
  call('Edit', { file_path: `${CWD}/app/server/coupons.py`, old_string: 'qty > 0', new_string: 'qty >= 1' }),
  call('Bash', { command: `cd ${CWD} && uv run pytest tests/test_cart.py -q`, description: 'Run cart tests' }),
];

describe('contextEfficiency: realistic session', () => {
  it('counts by hand', () => {
    // Grep 600 B over 6 files = 100 B each. cart 100+4000 → 1025 tok, coupons 100+2000 → 525,
    // models 100+3000 → 775, routes 100 → 25, test_cart 100+1600 → 425, docs 100 → 25: 2800.
    // used: coupons (Edit), test_cart (pytest). 2/6 = 33.3%. used tokens 525+425 = 950.
    expect(contextEfficiency(realistic)).toEqual({
      filesLoaded: 6,
      filesUsed: 2,
      filesLoadedAndUsed: 2,
      efficiencyPct: 33.3,
      tokensLoaded: 2800,
      tokensUsed: 950,
      tokensWasted: 1850,
      basis: 'measured',
      loaded: [
        { path: 'app/server/cart.py', tokens: 1025, loads: 2 },
        { path: 'app/server/coupons.py', tokens: 525, loads: 2 },
        { path: 'app/server/models.py', tokens: 775, loads: 2 },
        { path: 'app/server/api/routes.py', tokens: 25, loads: 1 },
        { path: 'tests/test_cart.py', tokens: 425, loads: 2 },
        { path: 'docs/coupons.md', tokens: 25, loads: 1 },
      ],
      used: ['app/server/coupons.py', 'tests/test_cart.py'],
      topWasted: [
        { path: 'app/server/cart.py', tokens: 1025 },
        { path: 'app/server/models.py', tokens: 775 },
        { path: 'app/server/api/routes.py', tokens: 25 },
        { path: 'docs/coupons.md', tokens: 25 },
      ],
    });
  });

  it('reports absolute paths when no cwd is known anywhere', () => {
    const calls = realistic.slice(0, 2).map((c) => ({ ...c, cwd: null }));
    expect(contextEfficiency(calls).loaded[0]).toEqual({ path: `${CWD}/app/server/cart.py`, tokens: 1025, loads: 2 });
  });
});

type Row = [string, ContextCall[], Record<string, unknown>];

describe('contextEfficiency: summary figures', () => {
  it.each<Row>([
    ['no calls', [], { filesLoaded: 0, filesUsed: 0, efficiencyPct: 0, tokensLoaded: 0, tokensWasted: 0 }],
    [
      'reads without edits: efficiency 0, everything wasted',
      [
        call('Read', { file_path: 'a.py' }, { responseBytes: 40 }),
        call('Read', { file_path: 'b.py' }, { responseBytes: 41 }),
      ],
      { filesLoaded: 2, filesUsed: 0, efficiencyPct: 0, tokensLoaded: 21, tokensWasted: 21 },
    ],
    [
      'write of a new file: used but not loaded',
      [
        call('Read', { file_path: 'a.py' }, { responseBytes: 40 }),
        call('Write', { file_path: `${CWD}/b.py`, content: 'x' }),
      ],
      { filesLoaded: 1, filesUsed: 1, filesLoadedAndUsed: 0, efficiencyPct: 0, tokensWasted: 10 },
    ],
    [
      'a mention before the load does not count',
      [
        call('Bash', { command: 'pytest tests/test_x.py' }),
        call('Read', { file_path: 'tests/test_x.py' }, { responseBytes: 8 }),
      ],
      { filesLoaded: 1, filesUsed: 0, tokensWasted: 2 },
    ],
    [
      'error text without isError, and an over-long file, load nothing',
      [
        call(
          'Read',
          { file_path: 'gone.py' },
          { isError: null, responseText: 'File does not exist.', responseBytes: 20 },
        ),
        call(
          'Read',
          { file_path: 'big.py' },
          {
            isError: null,
            responseText: 'File content (30000 tokens) exceeds maximum allowed tokens (25000).',
            responseBytes: 70,
          },
        ),
      ],
      { filesLoaded: 0, tokensLoaded: 0, efficiencyPct: 0 },
    ],
    [
      'pytest node ids, file:line and Task prompts name files',
      [
        call('Read', { file_path: 'tests/test_a.py' }, { responseBytes: 4 }),
        call('Read', { file_path: 'src/b.py' }, { responseBytes: 4 }),
        call('Read', { file_path: 'src/c.py' }, { responseBytes: 4 }),
        call('Bash', { command: 'python -m pytest "tests/test_a.py::test_one" && grep -n x src/b.py:12' }),
        call('Task', { prompt: 'Review the change in c.py for style', description: 'review' }),
      ],
      { filesLoaded: 3, filesUsed: 3, efficiencyPct: 100, tokensWasted: 0 },
    ],
    [
      'MultiEdit and NotebookEdit targets',
      [
        call('Read', { file_path: 'a.py' }, { responseBytes: 4 }),
        call('Read', { file_path: 'n.ipynb' }, { responseBytes: 4 }),
        call('Read', { file_path: 'z.py' }, { responseBytes: 4 }),
        call('MultiEdit', { file_path: 'a.py', edits: [] }),
        call('NotebookEdit', { notebook_path: `${CWD}/n.ipynb`, new_source: 'x' }),
      ],
      { filesLoaded: 3, filesUsed: 2, efficiencyPct: 66.7, tokensUsed: 2, tokensWasted: 1 },
    ],
  ])('%s', (_name, calls, expected) => {
    expect(contextEfficiency(calls, CWD)).toMatchObject(expected);
  });
});

describe('contextEfficiency: bad input', () => {
  it('merges one Windows file under several spellings (backslashes, case of drive, NFD, spaces)', () => {
    const cwd = 'C:\\Users\\Zoë\\My Shop';
    const calls = [
      call('Read', { file_path: 'C:\\Users\\Zoë\\My Shop\\src\\cart.ts' }, { cwd, responseBytes: 400 }),
      call('Read', { file_path: '.\\src\\cart.ts' }, { cwd, responseBytes: 400 }),
      call('Read', { file_path: 'src\\utils (old)\\money.ts' }, { cwd, responseBytes: 800 }),
      call('Edit', { file_path: 'c:/Users/Zoe\u0308/My Shop/src/cart.ts', old_string: 'a', new_string: 'b' }, { cwd }),
    ];
    expect(contextEfficiency(calls)).toMatchObject({
      filesLoaded: 2,
      filesUsed: 1,
      efficiencyPct: 50,
      tokensLoaded: 400,
      tokensWasted: 200,
      loaded: [
        { path: 'src/cart.ts', tokens: 200, loads: 2 },
        { path: 'src/utils (old)/money.ts', tokens: 200, loads: 1 },
      ],
      used: ['src/cart.ts'],
    });
  });

  it('quoted paths with spaces and non-ASCII letters in a later command', () => {
    const calls = [
      call('Read', { file_path: 'docs/guia de preços.md' }, { responseBytes: 100 }),
      call('Bash', { command: 'wc -l "docs/guia de preços.md"' }),
    ];
    expect(contextEfficiency(calls)).toMatchObject({
      filesUsed: 1,
      efficiencyPct: 100,
      used: ['docs/guia de preços.md'],
    });
  });

  it('flags images and PDFs and counts their response bytes', () => {
    const calls = [
      call('Read', { file_path: 'docs/diagram.PNG' }, { responseBytes: 40_000 }),
      call('Read', { file_path: 'docs/spec.pdf' }, { responseBytes: 8_001 }),
    ];
    expect(contextEfficiency(calls).loaded).toEqual([
      { path: 'docs/diagram.PNG', tokens: 10_000, loads: 1, media: true },
      { path: 'docs/spec.pdf', tokens: 2001, loads: 1, media: true },
    ]);
  });

  it('reads fields from truncated input JSON', () => {
    const calls = [
      call('Read', '{"file_path":"/home/ana/src/shop/app/big.py","offset":1,"lim', { responseBytes: 12 }),
      call('Edit', '{"file_path":"/home/ana/src/shop/app/big.py","old_string":"def f(x):\\n    retu'),
    ];
    expect(contextEfficiency(calls)).toMatchObject({ filesLoaded: 1, filesUsed: 1, used: ['app/big.py'] });
  });

  it('falls back to filePaths when the input names no file', () => {
    const calls = [
      call('Read', null, { filePaths: ['app/x.py'], responseBytes: 8 }),
      call('Edit', null, { filePaths: ['app/x.py'] }),
    ];
    expect(contextEfficiency(calls)).toMatchObject({ filesLoaded: 1, filesUsed: 1, efficiencyPct: 100 });
  });
});

describe('contextEfficiency: search results', () => {
  it.each<[string, ContextCall, { path: string; tokens: number; loads: number }[]]>([
    [
      'Grep content mode (`:` match lines, `-` context lines, `--` separators); 10 B split 4/3/3',
      call(
        'Grep',
        { pattern: 'x', output_mode: 'content' },
        {
          responseText: 'app/a.py:12:def x():\n--\napp/a.py:30:  x()\napp/b-2.py-4-ctx\nC:\\w\\c.py:7:x',
          responseBytes: 10,
        },
      ),
      [
        { path: 'app/a.py', tokens: 1, loads: 1 },
        { path: 'app/b-2.py', tokens: 1, loads: 1 },
        { path: 'c:/w/c.py', tokens: 1, loads: 1 },
      ],
    ],
    [
      'Grep content mode on one file: lines carry no name',
      call(
        'Grep',
        { pattern: 'x', path: 'app/a.py', output_mode: 'content' },
        { responseText: '12:def x():', responseBytes: 40 },
      ),
      [{ path: 'app/a.py', tokens: 10, loads: 1 }],
    ],
    [
      'Grep count mode',
      call('Grep', { pattern: 'x', output_mode: 'count' }, { responseText: 'a.py:3\nb.py:10', responseBytes: 16 }),
      [
        { path: 'a.py', tokens: 2, loads: 1 },
        { path: 'b.py', tokens: 2, loads: 1 },
      ],
    ],
    [
      'Glob with the "results are truncated" notice',
      call(
        'Glob',
        { pattern: '**/*.py' },
        {
          responseText: `${CWD}/a.py\n${CWD}/b.py\n(Results are truncated. Consider using a more specific path or pattern.)`,
          responseBytes: 80,
        },
      ),
      [
        { path: 'a.py', tokens: 10, loads: 1 },
        { path: 'b.py', tokens: 10, loads: 1 },
      ],
    ],
    [
      'text cut by the caller: the partial last line is dropped',
      call(
        'Glob',
        { pattern: '**/*.py' },
        { responseText: `${CWD}/a.py\n${CWD}/b.py\n${CWD}/c…`, responseBytes: 9000 },
      ),
      [
        { path: 'a.py', tokens: 1125, loads: 1 },
        { path: 'b.py', tokens: 1125, loads: 1 },
      ],
    ],
    [
      'no text: the call filePaths',
      call('Glob', { pattern: '*.md' }, { filePaths: ['README.md', './docs/x.md'], responseBytes: 7 }),
      [
        { path: 'README.md', tokens: 1, loads: 1 },
        { path: 'docs/x.md', tokens: 1, loads: 1 },
      ],
    ],
    ['no files found', call('Glob', { pattern: '*.zz' }, { responseText: 'No files found', responseBytes: 14 }), []],
  ])('%s', (_name, c, expected) => {
    expect(contextEfficiency([c], CWD).loaded).toEqual(expected);
  });

  it('lists at most 10 wasted files, largest first', () => {
    const calls = Array.from({ length: 12 }, (_, i) =>
      call('Read', { file_path: `f${i}.py` }, { responseBytes: (i + 1) * 4 }),
    );
    const top = contextEfficiency(calls).topWasted;
    expect(top.map((t) => t.tokens)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(top[0]).toEqual({ path: 'f11.py', tokens: 12 });
  });
});
