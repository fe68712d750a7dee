import { describe, expect, it } from 'vitest';
import {
  SEQUENCE_MIN_SESSIONS,
  countSequenceSessions,
  promotedSequences,
  sequenceParts,
  sequenceSignature,
  sessionSequenceGrams,
  sessionSequences,
} from '../../src/core/sequences.js';

const T = 'test:pytest:backend';
const L = 'lint:ruff:backend';
const F = 'format:ruff:backend';
const G = 'git:status:all';
const O = 'other:ls:all';
const O2 = 'other:echo:all';

describe('sessionSequences', () => {
  it.each<[string, string[], number, number, string[]]>([
    ['empty session', [], 2, 5, []],
    ['one step', [T], 2, 5, []],
    ['repeats collapse to one step', [T, T, T], 2, 5, []],
    ['two steps', [T, L], 2, 5, [`seq:${T}>${L}`]],
    [
      'adjacent repeats collapse first',
      [T, T, L, L, T],
      2,
      5,
      [`seq:${T}>${L}`, `seq:${L}>${T}`, `seq:${T}>${L}>${T}`],
    ],
    [
      'all n from 2 to 3, shorter first, then by position',
      [G, T, L],
      2,
      5,
      [`seq:${G}>${T}`, `seq:${T}>${L}`, `seq:${G}>${T}>${L}`],
    ],
    ['distinct: a repeated bigram is listed once', [T, L, T, L], 2, 2, [`seq:${T}>${L}`, `seq:${L}>${T}`]],
    ['n-grams made only of other:* are dropped', [O, O2, O], 2, 5, []],
    ['a known step keeps a sequence with other:*', [O, T], 2, 5, [`seq:${O}>${T}`]],
    ['maxN bounds the length', [G, T, L, F], 3, 3, [`seq:${G}>${T}>${L}`, `seq:${T}>${L}>${F}`]],
    ['minN below 2 is raised to 2', [T, L], 1, 5, [`seq:${T}>${L}`]],
    ['empty range', [T, L, F], 4, 3, []],
    ['empty signatures are ignored', [T, '', L], 2, 5, [`seq:${T}>${L}`]],
  ])('%s', (_name, ops, minN, maxN, expected) => {
    expect(sessionSequences(ops, minN, maxN)).toEqual(expected);
  });

  it('defaults to n = 2..5', () => {
    const ops = ['a:1:all', 'b:1:all', 'c:1:all', 'd:1:all', 'e:1:all', 'f:1:all'];
    const lengths = sessionSequences(ops).map((s) => (sequenceParts(s) ?? []).length);
    expect(lengths).toEqual([2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5]);
  });

  it('is linear in the session length (10k steps)', () => {
    const ops = Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? T : L));
    expect(sessionSequences(ops)).toHaveLength(8); // 2 per n for n = 2..5
  });
});

describe('sessionSequenceGrams', () => {
  it('gives each n-gram with its steps, in the order and with the signatures of sessionSequences', () => {
    const ops = [T, T, L, O, F, G, L, O, F];
    const grams = sessionSequenceGrams(ops);
    expect(grams.map((g) => g.signature)).toEqual(sessionSequences(ops));
    expect(grams.length).toBeGreaterThan(5);
    for (const g of grams) expect(g.parts).toEqual(sequenceParts(g.signature));
    expect(grams[0]).toEqual({ signature: sequenceSignature([T, L]), parts: [T, L] });
  });
});

describe('distinct sessions, not raw repeats', () => {
  it('a sequence repeated 1,000 times in one session counts once', () => {
    const spam = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? T : L));
    const counts = countSequenceSessions([spam], 2, 2);
    expect(counts.get(`seq:${T}>${L}`)).toBe(1);
  });

  it.each<[string, string[][], { signature: string; sessions: number }[]]>([
    [
      'two sessions are not enough',
      [
        [T, L],
        [T, L],
      ],
      [],
    ],
    [
      'three sessions promote',
      [
        [T, L],
        [G, T, L],
        [T, T, L, L],
      ],
      [{ signature: `seq:${T}>${L}`, sessions: 3 }],
    ],
    [
      're-reading the same session does not double count when keyed by session',
      [
        [T, L],
        [T, L],
        [T, L],
        [T, L],
      ],
      [{ signature: `seq:${T}>${L}`, sessions: 4 }],
    ],
  ])('%s', (_name, sessions, expected) => {
    expect(promotedSequences(countSequenceSessions(sessions, 2, 2))).toEqual(expected);
  });

  it('orders promoted sequences by sessions, then signature', () => {
    const counts = new Map([
      ['seq:b>c', 3],
      ['seq:a>b', 3],
      ['seq:x>y', 7],
      ['seq:z>z', 2],
    ]);
    expect(promotedSequences(counts)).toEqual([
      { signature: 'seq:x>y', sessions: 7 },
      { signature: 'seq:a>b', sessions: 3 },
      { signature: 'seq:b>c', sessions: 3 },
    ]);
    expect(SEQUENCE_MIN_SESSIONS).toBe(3);
  });
});

describe('sequence signatures', () => {
  it.each<[string, string[] | null]>([
    [`seq:${T}>${L}`, [T, L]],
    ['seq:a>b>c', ['a', 'b', 'c']],
    ['seq:a', null],
    ['seq:a>', null],
    [T, null],
  ])('sequenceParts(%j)', (sig, parts) => {
    expect(sequenceParts(sig)).toEqual(parts);
  });

  it('round-trips', () => {
    expect(sequenceParts(sequenceSignature([T, L, F]))).toEqual([T, L, F]);
  });
});
