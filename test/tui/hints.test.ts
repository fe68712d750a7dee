import { describe, expect, it } from 'vitest';
import { manualActionsFor } from '../../src/core/learning/pattern-lifecycle.js';
import { detailIdOf } from '../../src/tui/hooks/use-dashboard.js';
import { hintCommands } from '../../src/tui/state/hints.js';

describe('hintCommands', () => {
  it('offers each pane its own commands, all review commands while the status is unknown', () => {
    expect(hintCommands('patterns', false, undefined)).toEqual([
      'help',
      'details',
      'approve',
      'reject',
      'deprecate',
      'offload',
      'filter',
      'quit',
    ]);
    expect(hintCommands('savings', false, undefined)).toEqual(['help', 'nextPane', 'quit']);
    expect(hintCommands('quota', false, undefined)).toEqual(['help', 'nextPane', 'quit']);
    expect(hintCommands('events', false, undefined)).toEqual(['help', 'pause', 'quit']);
  });

  it('offers the pattern commands while details are open, whatever the pane', () => {
    expect(hintCommands('events', true, undefined)).toEqual([
      'approve',
      'reject',
      'deprecate',
      'undo',
      'offload',
      'close',
    ]);
  });

  it('keeps only the review commands that apply to the pattern status', () => {
    const allowed = manualActionsFor('approved');
    const hinted = hintCommands('patterns', true, 'approved');
    for (const review of ['approve', 'reject', 'deprecate'] as const)
      expect(hinted.includes(review)).toBe(allowed.includes(review));
    expect(hinted).toEqual(expect.arrayContaining(['undo', 'offload', 'close']));
  });
});

describe('detailIdOf', () => {
  it('is the pattern in details, also under a reject prompt opened from them', () => {
    expect(detailIdOf({ kind: 'details', id: 7 })).toBe(7);
    expect(detailIdOf({ kind: 'reject', id: 7, signature: 's', text: '', back: { kind: 'details', id: 7 } })).toBe(7);
  });

  it('is null elsewhere', () => {
    expect(detailIdOf({ kind: 'none' })).toBeNull();
    expect(detailIdOf({ kind: 'help', scroll: 0 })).toBeNull();
    expect(detailIdOf({ kind: 'filter', text: '', before: '' })).toBeNull();
    expect(detailIdOf({ kind: 'reject', id: 3, signature: 's', text: '', back: { kind: 'none' } })).toBeNull();
  });
});
