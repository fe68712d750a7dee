import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import {
  allowedActions,
  assertTransition,
  manualActionsFor,
  nextStatus,
  REVIEW_ACTIONS,
  statusesFor,
  statusesText,
  type ReviewAction,
} from '../../../src/core/learning/pattern-lifecycle.js';
import { PATTERN_STATUSES, type PatternStatus } from '../../../src/core/types.js';

const LEGAL: [PatternStatus, ReviewAction, PatternStatus][] = [
  ['detected', 'detect', 'detected'],
  ['deprecated', 'detect', 'detected'],
  ['detected', 'promote', 'candidate'],
  ['detected', 'approve', 'approved'],
  ['candidate', 'approve', 'approved'],
  ['detected', 'reject', 'rejected'],
  ['candidate', 'reject', 'rejected'],
  ['approved', 'implement', 'implemented'],
  ['approved', 'activate', 'active'],
  ['implemented', 'activate', 'active'],
  ['approved', 'deprecate', 'deprecated'],
  ['implemented', 'deprecate', 'deprecated'],
  ['active', 'deprecate', 'deprecated'],
  ['active', 'rollback', 'deprecated'],
];

describe('nextStatus', () => {
  it.each(LEGAL)('%s + %s → %s', (from, action, to) => {
    expect(nextStatus(from, action)).toEqual({ ok: true, to });
  });

  const illegal = PATTERN_STATUSES.flatMap((from) =>
    REVIEW_ACTIONS.filter((a) => !LEGAL.some(([f, act]) => f === from && act === a)).map((a) => [from, a] as const),
  );

  it('every other pair is refused (42 of 56)', () => {
    expect(illegal).toHaveLength(PATTERN_STATUSES.length * REVIEW_ACTIONS.length - LEGAL.length);
    expect(illegal).toHaveLength(42);
  });

  it.each(illegal)('%s + %s is refused with a sentence naming both', (from, action) => {
    const r = nextStatus(from, action);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toContain(from);
      expect(r.reason).toContain(action);
    }
  });

  it.each<[PatternStatus, ReviewAction, string]>([
    [
      'active',
      'approve',
      'Cannot approve a pattern that is active: approve is allowed only from detected or candidate.',
    ],
    [
      'rejected',
      'approve',
      'Cannot approve a pattern that is rejected: approve is allowed only from detected or candidate.',
    ],
    [
      'approved',
      'reject',
      'Cannot reject a pattern that is approved: reject is allowed only from detected or candidate.',
    ],
    [
      'detected',
      'activate',
      'Cannot activate a pattern that is detected: activate is allowed only from approved or implemented.',
    ],
    [
      'candidate',
      'implement',
      'Cannot implement a pattern that is candidate: implement is allowed only from approved.',
    ],
    [
      'detected',
      'deprecate',
      'Cannot deprecate a pattern that is detected: deprecate is allowed only from approved, implemented or active.',
    ],
    ['implemented', 'rollback', 'Cannot rollback a pattern that is implemented: rollback is allowed only from active.'],
    [
      'rejected',
      'detect',
      'Cannot detect a pattern that is rejected: detect is allowed only from detected or deprecated.',
    ],
  ])('%s + %s: exact reason', (from, action, reason) => {
    expect(nextStatus(from, action)).toEqual({ ok: false, reason });
  });

  it('an unknown action from the wire is refused, not a crash', () => {
    expect(nextStatus('detected', 'explode' as ReviewAction)).toEqual({
      ok: false,
      reason: 'Unknown review action "explode".',
    });
    expect(nextStatus('detected', 'toString' as ReviewAction)).toEqual({
      ok: false,
      reason: 'Unknown review action "toString".',
    });
  });
});

describe('allowedActions', () => {
  it.each<[PatternStatus, ReviewAction[]]>([
    ['detected', ['detect', 'promote', 'approve', 'reject']],
    ['candidate', ['approve', 'reject']],
    ['approved', ['implement', 'activate', 'deprecate']],
    ['implemented', ['activate', 'deprecate']],
    ['active', ['deprecate', 'rollback']],
    ['rejected', []],
    ['deprecated', ['detect']],
  ])('%s → %j', (from, actions) => {
    expect(allowedActions(from)).toEqual(actions);
  });
});

describe('manualActionsFor, statusesFor', () => {
  it.each<[PatternStatus, string[]]>([
    ['detected', ['approve', 'reject']],
    ['candidate', ['approve', 'reject']],
    ['approved', ['deprecate']],
    ['implemented', ['deprecate']],
    ['active', ['deprecate']],
    ['rejected', []],
    ['deprecated', []],
  ])('%s → %j', (from, actions) => {
    expect(manualActionsFor(from)).toEqual(actions);
  });

  it('names the statuses each action applies to; an unknown action applies to none', () => {
    expect(statusesFor('deprecate')).toEqual(['approved', 'implemented', 'active']);
    expect(statusesText('deprecate')).toBe('approved, implemented or active');
    expect(statusesText('approve')).toBe('detected or candidate');
    expect(statusesText('rollback')).toBe('active');
    expect(statusesFor('toString' as ReviewAction)).toEqual([]);
  });
});

describe('assertTransition', () => {
  it('returns the new status', () => {
    expect(assertTransition('candidate', 'approve')).toBe('approved');
  });

  it('throws an illegal_transition AppError', () => {
    let caught: unknown;
    try {
      assertTransition('active', 'reject');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('illegal_transition');
    expect((caught as AppError).message).toBe(
      'Cannot reject a pattern that is active: reject is allowed only from detected or candidate.',
    );
    expect((caught as AppError).details).toEqual({ from: 'active', action: 'reject' });
  });
});
