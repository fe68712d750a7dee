/** Wire types of the savings answers: the summary (its shapes are core's) and the compactor replay. */
import type { ReplayFigures, ReplayGroup } from '../../core/learning/savings-replay.js';

/** `savings/summary`: the shapes are owned by core/learning/savings-summary.ts. */
export type { SavingsPeriod, SavingsSummary } from '../../core/learning/savings-summary.js';

/** The compactors replayed over every recorded Bash output of the period. Every figure is `measured (replay)`. */
export interface SavingsReplayResult {
  basis: 'measured (replay)';
  /** the period as asked (normalized to YYYY-MM-DD), null when open */
  since: string | null;
  until: string | null;
  totals: ReplayFigures;
  /** per compactor family, largest saving first */
  byFamily: ReplayGroup[];
  /** per operation signature (`key`), largest saving first */
  byPattern: ReplayGroup[];
  /** outputs kept cut to their head and tail (their raw tokens are the whole size) */
  truncatedOutputs: number;
  /** every token of the usage records in the period (input, output, cache writes and reads) */
  periodTokens: number;
  /** totals.savedTokens as a share of periodTokens, percent; null without usage records */
  savedShareOfPeriodPct: number | null;
  /** what the carry-over figures count */
  carryOverLabel: string;
}
