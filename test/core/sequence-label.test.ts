import { describe, expect, it } from 'vitest';
import { patternLabels, sequenceLabel, stepLabel } from '../../src/core/sequence-label.js';
import { sequenceSignature } from '../../src/core/sequences.js';

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

describe('patternLabels', () => {
  it('leaves out the steps a sequence shares with another one, so the difference comes first', () => {
    const labels = patternLabels([seq(G, T, V), seq(G, T, E), seq(G, T), seq(T, V), 'test:vitest:all']);
    expect(Object.fromEntries(labels)).toEqual({
      [seq(G, T, V)]: '… vitest (3 steps)',
      [seq(G, T, E)]: '… eslint (3 steps)',
      [seq(G, T)]: '… tsc (2 steps)',
      [seq(T, V)]: 'tsc → vitest',
      'test:vitest:all': 'test:vitest:all',
    });
  });

  it('the same ending after different starts shows from the last step where the starts differ', () => {
    const S = 'script:sync:all';
    const labels = patternLabels([seq(G, T, V, E), seq(G, T, V, T), seq(S, G, T, E), seq(S, G, T, V)]);
    expect(labels.get(seq(G, T, V, E))).toBe('… vitest → eslint (4 steps)');
    expect(labels.get(seq(S, G, T, E))).toBe('… tsc → eslint (4 steps)');
    expect(new Set(labels.values()).size).toBe(4);
  });

  it('gives every distinct signature of a wall of near-duplicates a distinct label, whatever the order', () => {
    const steps = [G, T, V, E, 'git:diff:all', 'format:prettier:all'];
    const sigs: string[] = [];
    for (const a of steps)
      for (const b of steps) for (const c of steps) if (a !== b && b !== c) sigs.push(seq(a, b, c));
    for (const a of steps) for (const b of steps) if (a !== b) sigs.push(seq(a, b));
    const labels = patternLabels(sigs);
    expect(labels.size).toBe(sigs.length);
    expect(new Set(labels.values()).size).toBe(sigs.length);
    expect(Object.fromEntries(patternLabels([...sigs].reverse()))).toEqual(Object.fromEntries(labels));
  });

  it('signatures whose steps read the same keep their signatures', () => {
    const labels = patternLabels([seq('lint:x-lint:all', V), seq('other:x-lint:all', V)]);
    expect([...labels.values()].sort()).toEqual([seq('lint:x-lint:all', V), seq('other:x-lint:all', V)].sort());
  });
});
