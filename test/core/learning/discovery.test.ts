import { describe, expect, it } from 'vitest';
import {
  DISCOVERY_THRESHOLDS,
  implementationEffort,
  isDiscoveryCandidate,
  isOtherSignature,
  priorityOf,
  roi,
  selectDiscoveryCandidates,
  type DiscoveryInput,
} from '../../../src/core/learning/discovery.js';

const base: DiscoveryInput = {
  status: 'detected',
  occurrences: 5,
  confidence: 70,
  monthlySavingsUsd: 0.5,
  kind: 'command',
  signature: 'test:pytest:backend',
};

describe('isDiscoveryCandidate', () => {
  it('thresholds', () => {
    expect(DISCOVERY_THRESHOLDS).toEqual({ minOccurrences: 5, minConfidence: 70, minMonthlySavingsUsd: 0.5 });
  });

  it.each<[string, Partial<DiscoveryInput>, boolean]>([
    ['exactly at every threshold', {}, true],
    ['candidate status', { status: 'candidate' }, true],
    ['4 occurrences', { occurrences: 4 }, false],
    ['confidence 69', { confidence: 69 }, false],
    ['$0.49/month', { monthlySavingsUsd: 0.49 }, false],
    ['approved already', { status: 'approved' }, false],
    ['active already', { status: 'active' }, false],
    ['rejected by a person', { status: 'rejected' }, false],
    ['deprecated', { status: 'deprecated' }, false],
    // a whole pipeline: 26 workflows, confidence 85, $44.04/month, and still never a candidate
    [
      'sdlc:full:all junk',
      { signature: 'sdlc:full:all', kind: 'workflow', occurrences: 26, confidence: 85, monthlySavingsUsd: 44.04 },
      false,
    ],
    [
      'zte pipeline',
      { signature: 'zte:full:all', kind: 'workflow', occurrences: 26, confidence: 85, monthlySavingsUsd: 44.04 },
      false,
    ],
    ['workflow signature naming sdlc', { signature: 'test:sdlc:all', kind: 'workflow' }, false],
    ['workflow patch about tests', { signature: 'test:patch:all', kind: 'workflow' }, true],
    // unknown commands need twice the occurrences
    ['other:* at 9', { signature: 'other:curl:all', occurrences: 9 }, false],
    ['other:* at 10', { signature: 'other:curl:all', occurrences: 10 }, true],
    ['fix loop of an unknown command at 5', { signature: 'fix:other:python:all', kind: 'fix_loop' }, false],
    ['fix loop of a known command at 5', { signature: 'fix:test:pytest:backend', kind: 'fix_loop' }, true],
    ['sequence of unknown steps at 5', { signature: 'seq:other:ls:all>other:cat:all', kind: 'sequence' }, false],
    ['sequence with a known step at 5', { signature: 'seq:other:ls:all>test:pytest:all', kind: 'sequence' }, true],
    // garbage numbers
    ['NaN savings', { monthlySavingsUsd: Number.NaN }, false],
    ['infinite occurrences', { occurrences: Number.POSITIVE_INFINITY }, false],
    ['empty signature', { signature: ' ' }, false],
    // the 78,167 duplicate rows: a huge count cannot rescue a pattern below the other thresholds
    ['78,167 occurrences but confidence 40', { occurrences: 78_167, confidence: 40 }, false],
  ])('%s → %s', (_name, patch, expected) => {
    expect(isDiscoveryCandidate({ ...base, ...patch })).toBe(expected);
  });
});

describe('selectDiscoveryCandidates', () => {
  it('keeps candidates, highest savings first', () => {
    const ps: DiscoveryInput[] = [
      { ...base, signature: 'lint:ruff:all', monthlySavingsUsd: 2 },
      {
        ...base,
        signature: 'sdlc:full:all',
        kind: 'workflow',
        monthlySavingsUsd: 183_844.07,
        occurrences: 78_167,
        confidence: 85,
      },
      { ...base, signature: 'test:pytest:backend', monthlySavingsUsd: 12 },
      { ...base, signature: 'build:npm:all', monthlySavingsUsd: 2 },
      { ...base, signature: 'git:status:all', monthlySavingsUsd: 0.1 },
    ];
    expect(selectDiscoveryCandidates(ps).map((p) => p.signature)).toEqual([
      'test:pytest:backend',
      'build:npm:all',
      'lint:ruff:all',
    ]);
  });
});

describe('ROI and priority', () => {
  it.each<[string, number, number]>([
    ['test:pytest:backend', 3, 75],
    ['build:npm:all', 3, 75],
    ['typecheck:tsc:all', 3, 75],
    ['format:prettier:all', 2, 50],
    ['lint:eslint:all', 2, 50],
    ['git:status:all', 2, 50],
    ['deps:npm-install:all', 6, 150],
    ['fix:test:pytest:backend', 6, 150],
    ['seq:git:status:all>test:pytest:all', 6, 150],
    ['other:curl:all', 6, 150],
  ])('implementationEffort(%s) = %d h, $%d', (sig, hours, costUsd) => {
    expect(implementationEffort(sig)).toEqual({ hours, costUsd });
  });

  it.each<[number, number, { annualUsd: number; paybackMonths: number; roiPct: number; priority: string }]>([
    [30, 75, { annualUsd: 360, paybackMonths: 2.5, roiPct: 380, priority: 'high' }],
    [25, 75, { annualUsd: 300, paybackMonths: 3, roiPct: 300, priority: 'medium' }],
    [15, 75, { annualUsd: 180, paybackMonths: 5, roiPct: 140, priority: 'medium' }],
    [12.5, 75, { annualUsd: 150, paybackMonths: 6, roiPct: 100, priority: 'low' }],
    [2, 50, { annualUsd: 24, paybackMonths: 25, roiPct: -52, priority: 'low' }],
    [0, 75, { annualUsd: 0, paybackMonths: Number.POSITIVE_INFINITY, roiPct: -100, priority: 'low' }],
  ])('roi($%d/month, $%d)', (monthly, cost, expected) => {
    expect(roi(monthly, cost)).toMatchObject(expected);
  });

  it.each<[number, number, string]>([
    [30, 90, 'high'],
    [30, 85, 'high'],
    [30, 84, 'medium'], // confidence below 85 caps at medium
    [30, 69, 'low'], // below the discovery confidence: low
    [15, 95, 'medium'],
    [5, 95, 'low'],
    [Number.NaN, 95, 'low'],
    [30, Number.NaN, 'low'],
  ])('priorityOf($%d, %d) = %s', (monthly, conf, expected) => {
    expect(priorityOf(monthly, conf)).toBe(expected);
  });

  it('uses the pattern’s own implementation cost when given', () => {
    expect(priorityOf(20, 90)).toBe('medium'); // $75: payback 3.75 months
    expect(priorityOf(20, 90, 50)).toBe('high'); // $50: payback 2.5 months, ROI 380%
  });
});

describe('isOtherSignature', () => {
  it.each<[string, boolean]>([
    ['other:ls:all', true],
    ['fix:other:python:all', true],
    ['seq:other:ls:all>other:cat:all', true],
    ['seq:other:ls:all>test:pytest:all', false],
    ['test:pytest:all', false],
    ['fix:test:pytest:all', false],
  ])('%s → %s', (sig, expected) => {
    expect(isOtherSignature(sig)).toBe(expected);
  });
});
