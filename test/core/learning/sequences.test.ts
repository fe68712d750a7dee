import { describe, expect, it } from 'vitest';
import {
  SEQUENCE_MIN_SESSIONS,
  closedSequences,
  isBackAndForth,
  countSequenceSessions,
  promotedSequences,
  sequenceParts,
  sequenceSignature,
  sequenceUse,
  sessionSequenceGrams,
  sessionSequenceSightings,
  sessionSequences,
  type SequenceCall,
} from '../../../src/core/learning/sequences.js';

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
      'adjacent repeats collapse first; the back-and-forth T>L>T is not a sequence of its own',
      [T, T, L, L, T, F],
      2,
      5,
      [`seq:${T}>${L}`, `seq:${L}>${T}`, `seq:${T}>${F}`, `seq:${L}>${T}>${F}`, `seq:${T}>${L}>${T}>${F}`],
    ],
    ['back-and-forth runs give only their two pairs', [T, L, T, L, T], 2, 5, [`seq:${T}>${L}`, `seq:${L}>${T}`]],
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
    expect(sessionSequences(ops)).toHaveLength(2); // T>L and L>T: longer n-grams only go back and forth
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

describe('isBackAndForth', () => {
  it.each<[string[], boolean]>([
    [[T, L], false],
    [[T, L, T], true],
    [[T, L, T, L], true],
    [[T, L, T, L, T], true],
    [[T, L, F], false],
    [[T, L, T, F], false],
    [[T, T, T], false],
    [[T, L, L], false],
  ])('%j → %s', (parts, expected) => {
    expect(isBackAndForth(parts)).toBe(expected);
  });
});

describe('closedSequences: a sequence only when no longer one containing it has the same sessions', () => {
  const seq = (...parts: string[]): string => sequenceSignature(parts);
  const p = (signature: string, occurrences: number, status = 'detected') => ({ signature, occurrences, status });

  it('drops every sub-sequence of a longer one with the same support, keeps the ones seen more often', () => {
    const patterns = [
      p(seq(G, T, L, F), 4),
      p(seq(G, T, L), 4), // same 4 sessions as G>T>L>F: dropped
      p(seq(T, L, F), 4),
      p(seq(G, T), 4),
      p(seq(L, F), 4),
      p(seq(T, L), 9), // also seen elsewhere: kept
      p('test:pytest:backend', 40), // not a sequence: kept
    ];
    expect(closedSequences(patterns).map((x) => x.signature)).toEqual([
      seq(G, T, L, F),
      seq(T, L),
      'test:pytest:backend',
    ]);
  });

  it('only consecutive steps contain a sequence: G>L is not inside G>T>L', () => {
    const kept = closedSequences([p(seq(G, T, L), 3), p(seq(G, L), 3)]);
    expect(kept.map((x) => x.signature)).toEqual([seq(G, T, L), seq(G, L)]);
  });

  it('drops back-and-forth sequences, which hide nothing themselves', () => {
    const kept = closedSequences([p(seq(T, L, T), 5), p(seq(T, L), 5), p(seq(L, T), 5)]);
    expect(kept.map((x) => x.signature)).toEqual([seq(T, L), seq(L, T)]);
  });

  it('keeps what a person decided on; rejected longer sequences cover nothing', () => {
    const kept = closedSequences([
      p(seq(G, T, L), 3),
      p(seq(G, T), 3, 'approved'),
      p(seq(T, L, T), 3, 'active'),
      p(seq(O, T, F), 6, 'rejected'),
      p(seq(T, F), 6),
    ]);
    expect(kept.map((x) => x.signature)).toEqual([seq(G, T, L), seq(G, T), seq(T, L, T), seq(O, T, F), seq(T, F)]);
  });

  it('looks longer sequences up in the universe, so a filtered list gives the same answer', () => {
    const all = [p(seq(G, T, L), 3, 'candidate'), p(seq(G, T), 3)];
    expect(closedSequences([all[1]!], all)).toEqual([]);
    expect(closedSequences([all[1]!])).toEqual([all[1]]);
  });
});

describe('sessionSequenceSightings: the sequences of a session with their estimated cost there', () => {
  const M = 'claude-sonnet-4-5';
  const PY = 'test:pytest:backend';
  const GIT = 'git:status:all';
  /**
   * Estimated per call (bytes/4 in and out + 100 of overhead, Sonnet prices): pytest 400/2000 B →
   * 700 tok $0.0045, 1200/4000 B → 1400 tok $0.009; git status 40/800 B → 310 tok $0.00225, and
   * the same with no model → 310 tok $0 (never guessed). A Read between them is no operation.
   */
  const calls: SequenceCall[] = [
    { signature: PY, model: M, inputBytes: 400, responseBytes: 2000 },
    { signature: null, model: M, inputBytes: 80, responseBytes: 120 },
    { signature: GIT, model: M, inputBytes: 40, responseBytes: 800 },
    { signature: PY, model: M, inputBytes: 1200, responseBytes: 4000 },
    { signature: GIT, model: null, inputBytes: 40, responseBytes: 800 },
  ];

  it('prices each step with the largest cost of its operation in the session and sums the steps', () => {
    // py>git>py>git: the back-and-forth n-grams are dropped; each pair costs 1400 + 310 tok, $0.009 + $0.00225
    expect(sessionSequenceSightings(calls)).toEqual([
      { signature: `seq:${PY}>${GIT}`, parts: [PY, GIT], tokens: 1710, cost: 0.01125 },
      { signature: `seq:${GIT}>${PY}`, parts: [GIT, PY], tokens: 1710, cost: 0.01125 },
    ]);
  });

  it('gives the grams of sessionSequenceGrams over the operations, in their order', () => {
    const ops = calls.flatMap((c) => (c.signature === null ? [] : [c.signature]));
    expect(sessionSequenceSightings(calls).map(({ signature, parts }) => ({ signature, parts }))).toEqual(
      sessionSequenceGrams(ops),
    );
  });

  it('sights nothing in a session without two operations', () => {
    expect(sessionSequenceSightings([])).toEqual([]);
    expect(sessionSequenceSightings(calls.slice(0, 2))).toEqual([]);
  });
});

describe("sequenceUse: a sequence pattern's use in one session", () => {
  it('takes the cost estimated at the sighting and a compact result (30 tokens) per step', () => {
    expect(sequenceUse({ tokens: 1625, cost: 0.01 }, 3)).toEqual({
      cost: { tokens: 1625, costUsd: 0.01, basis: 'estimated' },
      toolTokensEst: 90,
    });
  });

  it('counts a sighting stored without a cost as free', () => {
    expect(sequenceUse({ tokens: null, cost: null }, 2)).toEqual({
      cost: { tokens: 0, costUsd: 0, basis: 'estimated' },
      toolTokensEst: 60,
    });
  });
});
