import { describe, expect, it } from 'vitest';
import { analyzeInput, isImperative } from '../../../src/core/route/input-analysis.js';

const EMPTY = {
  concerns: [],
  concernCount: 0,
  splitRecommended: false,
  splitReason: null,
  proposedParts: [],
};

describe('analyzeInput', () => {
  it.each([
    ['', 0, 0],
    ['   \n\t ', 0, 6],
  ])('empty input %j → zeros, no split', (text, words, chars) => {
    expect(analyzeInput(text)).toEqual({ words, chars, ...EMPTY });
  });

  it('one imperative sentence is one concern, no split', () => {
    expect(analyzeInput('Fix the login bug.')).toEqual({
      words: 4,
      chars: 18,
      concerns: ['Fix the login bug.'],
      concernCount: 1,
      splitRecommended: false,
      splitReason: null,
      proposedParts: [],
    });
  });

  it('a plain description with no ask found is still one concern', () => {
    const r = analyzeInput('The login page is slow when many users connect.');
    expect(r.concerns).toEqual(['The login page is slow when many users connect.']);
    expect(r.concernCount).toBe(1);
  });

  it('counts top-level list items; nested items and continuations belong to their parent', () => {
    const text = [
      'Please do the following:',
      '- add a logout button',
      '- fix the date picker',
      '  - it crashes on Feb 29',
      '    when the year is a leap year',
      '- [ ] update the README',
      '',
      'Thanks!',
    ].join('\n');
    const parts = [
      'add a logout button',
      'fix the date picker it crashes on Feb 29 when the year is a leap year',
      'update the README',
    ];
    expect(analyzeInput(text)).toEqual({
      words: 34, // markers such as '-' and '[ ]' count as words, as str.split() does
      chars: text.length,
      concerns: parts,
      concernCount: 3,
      splitRecommended: true,
      splitReason: '3 separate asks (more than 2)',
      proposedParts: parts,
    });
  });

  it.each([
    ['1. Fix X in the parser\n2) Add Y to the CLI', ['Fix X in the parser', 'Add Y to the CLI']],
    ['* one thing\r\n* another thing\r\n+ third thing', ['one thing', 'another thing', 'third thing']],
    ['• first item\n• second item', ['first item', 'second item']],
    ['a) first item\nb) second item', ['first item', 'second item']],
    ['Fix the header and also update the footer.', ['Fix the header', 'update the footer.']],
    [
      'Refactor the parser. Additionally, the docs need a new section. Also, bump the version.',
      ['Refactor the parser.', 'the docs need a new section.', 'bump the version.'],
    ],
    [
      'Add a cache. Remove the old flag! Can you rename foo to bar?',
      ['Add a cache.', 'Remove the old flag!', 'Can you rename foo to bar?'],
    ],
    ['Add a cache. It should expire after an hour. Make it configurable.', ['Add a cache.', 'Make it configurable.']],
    [
      'Update src/app.ts to export main. Then run the tests.',
      ['Update src/app.ts to export main.', 'Then run the tests.'],
    ],
    ['Fix the build.\n```\nremove this line\nadd that line\n```\n', ['Fix the build.']],
    ['# Tasks\n- add x support\n## Notes\nThe thing is slow.', ['add x support']],
    ['Fix the bug. fix   the bug.', ['Fix the bug.']],
    ['please, then implement the importer', ['please, then implement the importer']],
  ])('finds the asks in %j', (text, concerns) => {
    const r = analyzeInput(text);
    expect(r.concerns).toEqual(concerns);
    expect(r.concernCount).toBe(concerns.length);
    expect(r.splitRecommended).toBe(concerns.length > 2);
  });

  it.each([
    [300, false, null],
    [301, true, '301 words (more than 300)'],
  ])('%i words → split %s', (n, split, reason) => {
    const r = analyzeInput(Array(n).fill('word').join(' '));
    expect(r.words).toBe(n);
    expect(r.splitRecommended).toBe(split);
    expect(r.splitReason).toBe(reason);
    expect(r.proposedParts).toEqual([]); // a single concern has nothing to split into
  });

  it('caps displayed concerns at 200 characters but keeps full parts', () => {
    const long = `Rewrite ${'very '.repeat(60)}long thing`;
    const r = analyzeInput(`- ${long}\n- add b\n- add c`);
    expect(r.concerns[0]).toHaveLength(200);
    expect(r.concerns[0]?.endsWith('…')).toBe(true);
    expect(r.concerns.slice(1)).toEqual(['add b', 'add c']);
    expect(r.proposedParts).toEqual([long, 'add b', 'add c']);
  });

  it('reports both reasons when both apply', () => {
    const r = analyzeInput(`- add a\n- add b\n- add c ${'x '.repeat(300)}`);
    expect(r.splitReason).toBe('309 words (more than 300); 3 separate asks (more than 2)');
  });

  it('counts code points, not UTF-16 units', () => {
    expect(analyzeInput('héllo 😀').chars).toBe(7);
    expect(analyzeInput('héllo 😀').words).toBe(2);
  });

  it('stays linear on 1 MB inputs', () => {
    const list = Array.from({ length: 80_000 }, (_, i) => `- fix item ${i}`).join('\n');
    expect(list.length).toBeGreaterThan(1_000_000);
    const r = analyzeInput(list);
    expect(r.concernCount).toBe(80_000);
    expect(r.proposedParts).toHaveLength(80_000);

    const blob = 'a'.repeat(1_000_000);
    expect(analyzeInput(blob)).toMatchObject({ words: 1, chars: 1_000_000, concernCount: 1 });

    const prose = 'and also '.repeat(120_000);
    expect(analyzeInput(prose).words).toBe(240_000);
    const dots = '. '.repeat(500_000);
    expect(analyzeInput(dots).words).toBe(500_000);
  });
});

describe('isImperative', () => {
  it.each([
    ['Add tests', true],
    ['please fix it', true],
    ['Could you rename the module', true],
    ["Let's migrate to ESM", true],
    ['Then, finally, document it', true],
    ['The tests fail', false],
    ['It is broken', false],
    ['', false],
  ])('%j → %s', (s, want) => {
    expect(isImperative(s)).toBe(want);
  });
});
