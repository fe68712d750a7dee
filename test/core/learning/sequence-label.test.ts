import { describe, expect, it } from 'vitest';
import { patternLabels, sequenceLabel, stepLabel } from '../../../src/core/learning/sequence-label.js';
import { sequenceSignature } from '../../../src/core/learning/sequences.js';

const G = 'git:status:all';
const T = 'typecheck:tsc:all';
const V = 'test:vitest:all';
const E = 'lint:eslint:all';
const seq = (...parts: string[]): string => sequenceSignature(parts);

describe('stepLabel', () => {
  it.each<[string, string]>([
    ['git:status:all', 'git status'],
    ['github:pr:all', 'gh pr'],
    ['test:vitest:all', 'vitest'],
    ['typecheck:tsc:all', 'tsc'],
    ['build:tsc:all', 'tsc build'], // tsc alone means typecheck
    ['lint:ruff:backend', 'ruff lint@backend'],
    ['format:ruff:backend', 'ruff format@backend'],
    ['test:npm-test-unit:all', 'npm-test-unit'],
    ['test:npm:frontend', 'npm test@frontend'],
    ['deps:npm-install:all', 'npm-install'],
    ['script:get-teamwork-tasks:all', 'get-teamwork-tasks'],
    ['other:curl:all', 'curl'],
  ])('%s → %s', (signature, label) => {
    expect(stepLabel(signature)).toBe(label);
  });
});

describe('sequenceLabel', () => {
  it('names each step briefly; other signatures stay as they are', () => {
    expect(sequenceLabel(seq(G, T, V))).toBe('git status → tsc → vitest');
    expect(sequenceLabel('test:vitest:all')).toBe('test:vitest:all');
    expect(sequenceLabel('fix:test:vitest:all')).toBe('fix:test:vitest:all');
  });
});

/** What a column `width` wide shows of a label. */
const shown = (label: string, width: number): string => (label.length <= width ? label : label.slice(0, width - 1));

describe('patternLabels', () => {
  it('gives sequences their step names, and leaves other signatures as they are', () => {
    const labels = patternLabels([seq(G, T, V), seq(T, V), 'test:vitest:all']);
    expect(Object.fromEntries(labels)).toEqual({
      [seq(G, T, V)]: 'git status → tsc → vitest',
      [seq(T, V)]: 'tsc → vitest',
      'test:vitest:all': 'test:vitest:all',
    });
  });

  it('abbreviates the shared leading steps of rows that read the same in the column', () => {
    const S = 'script:get-teamwork-tasks:all';
    const labels = patternLabels([seq(G, T, V), seq(G, T, V, E), seq(S, G, T, V), seq(S, G, T, E), seq(T, V)], 21);
    expect(labels.get(seq(G, T, V))).toBe('git… → tsc → vitest');
    expect(labels.get(seq(S, G, T, V))).toBe('… → git… → tsc → vitest');
    expect(labels.get(seq(S, G, T, E))).toBe('… → git… → tsc → eslint');
    expect(labels.get(seq(T, V))).toBe('tsc → vitest'); // no row like it: left whole
  });

  it('no two rows of a wall of near-duplicates read the same at 21 columns, whatever the order', () => {
    // every pair of 7 operations (one with a 22-character name), and the runs of three after git status or tsc
    const steps = [G, T, V, E, 'git:diff:all', 'format:prettier:all', 'typecheck:npm:frontend'];
    const sigs: string[] = [];
    for (const a of [G, T])
      for (const b of steps) for (const c of steps) if (a !== b && b !== c) sigs.push(seq(a, b, c));
    for (const a of steps) for (const b of steps) if (a !== b) sigs.push(seq(a, b));
    const labels = patternLabels(sigs, 21);
    expect(labels.size).toBe(sigs.length);
    expect(new Set([...labels.values()].map((l) => shown(l, 21))).size).toBe(sigs.length);
    expect(Object.fromEntries(patternLabels([...sigs].reverse(), 21))).toEqual(Object.fromEntries(labels));
  });

  it('signatures whose steps read the same keep their signatures', () => {
    const labels = patternLabels([seq('lint:x-lint:all', V), seq('other:x-lint:all', V)]);
    expect([...labels.values()].sort()).toEqual([seq('lint:x-lint:all', V), seq('other:x-lint:all', V)].sort());
  });
});
