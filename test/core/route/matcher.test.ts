import { describe, expect, it } from 'vitest';
import { Matcher, type MatchDoc } from '../../../src/core/route/matcher.js';

const DOCS: MatchDoc[] = [
  { id: 1, texts: ['run tests', 'Run the backend test suite with pytest'], confidence: 90 },
  { id: 2, texts: ['deploy to production', 'ship it to prod'], confidence: 80 },
  { id: 3, texts: ['run lint'], confidence: 50 },
];
const m = new Matcher(DOCS);
const sims = (q: string): [number, number][] => m.score(q).map((r) => [r.id, r.similarity]);

describe('Matcher', () => {
  it('indexes every non-empty text', () => {
    expect(m.textCount).toBe(5);
  });

  it('matches "run the tests" to the trigger "run tests" at 100', () => {
    // 'run lint': N = 5 texts, avg length 2.6; idf(run) = ln(1 + 2.5/3.5) = 0.5390, idf(lint) = ln 4;
    // both tf 1 in a 2-token text, so R = 0.5390 / (0.5390 + 1.3863) = 0.2800; P = 1/2 → 14.00
    expect(m.score('run the tests')).toEqual([
      { id: 1, similarity: 100, confidence: 90, score: 98 },
      { id: 3, similarity: 14, confidence: 50, score: 21.2 },
    ]);
  });

  it('does not match "deploy to prod" to "run tests"', () => {
    // each deploy text shares one of its two equally weighted tokens: R = 1/2, P = 1/2
    expect(m.score('deploy to prod')).toEqual([{ id: 2, similarity: 25, confidence: 80, score: 36 }]);
  });

  it('halves similarity when the request carries other asks', () => {
    expect(sims('run tests then deploy to production')).toEqual([
      [1, 50],
      [2, 50],
      [3, 7], // 0.2800 × 1/4
    ]);
  });

  it.each([
    ['run test', 100],
    ['please could you run all the tests for me', 100],
    ['RUN TESTS!!!', 100],
    ['`run` "tests" | ; && $(  )', 100],
    ['run tests; rm -rf / && $(evil)', 40], // P = 2/5: the extra words count, the symbols do not
    ['do not run tests', 66.67], // negation is a token
  ])('%j → doc 1 at %d', (q, sim) => {
    expect(m.score(q).find((r) => r.id === 1)?.similarity).toBe(sim);
  });

  it('folds plurals on both sides', () => {
    const p = new Matcher([{ id: 7, texts: ['fix failing tests'], confidence: 0 }]);
    expect(p.score('fix the failing test')).toEqual([{ id: 7, similarity: 100, confidence: 0, score: 80 }]);
    expect(p.score('fixes for failing stories')[0]?.similarity).toBeLessThan(100);
  });

  it.each(['', '   ', 'the of and to', '!!! ;; &&', 'kubernetes helm chart'])('returns nothing for %j', (q) => {
    expect(m.score(q)).toEqual([]);
  });

  it('ranks by score then similarity then id, and clamps confidence', () => {
    const r = new Matcher([
      { id: 5, texts: ['format code'], confidence: 150 },
      { id: 4, texts: ['format code'], confidence: Number.NaN },
      { id: 3, texts: ['format code'], confidence: 0 },
      { id: 9, texts: [], confidence: 100 },
      { id: 8, texts: ['the and of'], confidence: 100 },
    ]).score('format the code');
    expect(r).toEqual([
      { id: 5, similarity: 100, confidence: 100, score: 100 },
      { id: 3, similarity: 100, confidence: 0, score: 80 },
      { id: 4, similarity: 100, confidence: 0, score: 80 },
    ]);
  });

  it('answers the same query twice identically (scratch buffers reset)', () => {
    expect(m.score('run lint and tests')).toEqual(m.score('run lint and tests'));
  });

  it('handles an empty corpus', () => {
    expect(new Matcher([]).score('run tests')).toEqual([]);
  });

  it('scales to 1,000 docs with an inverted index', () => {
    const docs: MatchDoc[] = Array.from({ length: 1000 }, (_, i) => ({
      id: i,
      texts: [`run task${i} checks`, `execute job${i} for service${i % 50}`, `trigger${i} pipeline`],
      confidence: i % 100,
    }));
    const big = new Matcher(docs);
    expect(big.textCount).toBe(3000);
    expect(big.score('run task42 checks')[0]).toEqual({ id: 42, similarity: 100, confidence: 42, score: 88.4 });
    expect(big.score('execute job7 for service7').map((r) => r.id)[0]).toBe(7);
  });
});
