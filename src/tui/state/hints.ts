/**
 * The commands the message line offers when it has nothing else to say: per pane, or the pattern
 * commands while details are open, keeping only the review commands that apply to the pattern.
 */
import type { PatternStatus } from '../../core/types.js';
import type { Command } from '../keymap.js';
import type { Pane } from './dashboard.js';
import { applicableCommands } from './review-options.js';

const PANE_HINTS: Readonly<Record<Pane, readonly Command[]>> = {
  patterns: ['help', 'details', 'approve', 'reject', 'deprecate', 'offload', 'filter', 'quit'],
  savings: ['help', 'nextPane', 'quit'],
  quota: ['help', 'nextPane', 'quit'],
  events: ['help', 'pause', 'quit'],
};

const DETAILS_HINTS: readonly Command[] = ['approve', 'reject', 'deprecate', 'undo', 'offload', 'close'];

/** The hinted commands for `pane`, or for details when they are open; `status` is the target pattern's. */
export function hintCommands(pane: Pane, detailsOpen: boolean, status: PatternStatus | undefined): Command[] {
  return applicableCommands(detailsOpen ? DETAILS_HINTS : PANE_HINTS[pane], status);
}
