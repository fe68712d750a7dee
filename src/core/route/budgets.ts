/**
 * Workflow budgets, priced from what past runs really cost.
 *
 * estimateFromHistory:
 * - similar runs = same `workflowType` (null matches null only), `wordCount` within ±30 % of `words`
 *   (0.7·words ≤ wordCount ≤ 1.3·words, inclusive), `totalTokens` > 0; the newest 20 by `ts`
 *   (runs with an unparseable `ts` sort last, ties keep the caller's order);
 * - estimate = mean tokens (and mean cost) × size ratio, size ratio = words / mean word count of the
 *   sample (1 when that mean is 0); tokens rounded, cost rounded to cents;
 * - confidence: high with ≥ 10 runs and a coefficient of variation of tokens ≤ 0.5, medium with
 *   ≥ 3 runs and CV ≤ 1, else low;
 * - no similar run: DEFAULT_ESTIMATE (1.5M tokens, $4.50: a mid-sized ADW run), basis 'default',
 *   confidence low.
 * budgetCheck: within budget when tokens ≤ tokenBudget; warn when tokens ≥ warnAtPct % of the budget
 * (exact); approval needed when cost > approvalAboveUsd (strictly above). pctOfBudget is rounded to
 * 0.01 for display.
 */
import { invalidArgument } from '../errors.js';
import { parseTimestamp } from '../time.js';

export interface PastRun {
  workflowType: string | null;
  wordCount: number;
  totalTokens: number;
  costUsd: number;
  ts: string;
}

export type EstimateConfidence = 'high' | 'medium' | 'low';

export interface HistoryEstimate {
  tokens: number;
  costUsd: number;
  basis: 'history' | 'default';
  sampleSize: number;
  confidence: EstimateConfidence;
  /** with the default: why no stored run was similar */
  noSimilarReason?: string;
}

/** Stored runs by the first rule of similarity each one failed. */
export interface SimilarityCensus {
  stored: number;
  incomplete: number;
  otherType: number;
  otherSize: number;
  noTokens: number;
}

/** Says why none of the stored runs was similar to an input of `words` words and type `workflowType`. */
export function describeNoSimilar(c: SimilarityCensus, words: number, workflowType: string | null): string {
  if (c.stored === 0) return 'no workflow runs are stored yet';
  if (words === 0) return 'the input has no words to compare';
  const { lo, hi } = similarWordRange(words);
  const parts = [
    c.otherType > 0 ? `${c.otherType} of another workflow type than ${workflowType ?? 'none'}` : null,
    c.otherSize > 0 ? `${c.otherSize} outside ${lo}-${hi} words (this input has ${words})` : null,
    c.incomplete > 0 ? `${c.incomplete} incomplete` : null,
    c.noTokens > 0 ? `${c.noTokens} without recorded tokens` : null,
  ].filter((p): p is string => p !== null);
  return `none of the ${c.stored} stored runs is similar: ${parts.join(', ')}`;
}

export interface Budget {
  tokenBudget: number;
  warnAtPct: number;
  approvalAboveUsd: number;
}

export interface BudgetCheck {
  withinBudget: boolean;
  pctOfBudget: number;
  warn: boolean;
  needsApproval: boolean;
  reasons: string[];
}

export const DEFAULT_ESTIMATE: Readonly<{ tokens: number; costUsd: number }> = {
  tokens: 1_500_000,
  costUsd: 4.5,
};
export const DEFAULT_BUDGET: Readonly<Budget> = {
  tokenBudget: 5_000_000,
  warnAtPct: 80,
  approvalAboveUsd: 5,
};
export const SIMILAR_WORDS_RATIO = 0.3;

/** The word counts, both included, of a run similar to an input of `words` words: ±30%. */
export function similarWordRange(words: number): { lo: number; hi: number } {
  return { lo: Math.ceil(words * (1 - SIMILAR_WORDS_RATIO)), hi: Math.floor(words * (1 + SIMILAR_WORDS_RATIO)) };
}
export const MAX_SIMILAR_RUNS = 20;

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length === 0 ? 0 : s / xs.length;
}

/** Population coefficient of variation; 0 for an empty or all-zero sample. */
export function coefficientOfVariation(xs: readonly number[]): number {
  const m = mean(xs);
  if (m === 0) return 0;
  let v = 0;
  for (const x of xs) v += (x - m) ** 2;
  return Math.sqrt(v / xs.length) / m;
}

export function estimateFromHistory(input: {
  workflowType: string | null;
  words: number;
  runs: readonly PastRun[];
}): HistoryEstimate {
  const lo = input.words * (1 - SIMILAR_WORDS_RATIO);
  const hi = input.words * (1 + SIMILAR_WORDS_RATIO);
  const similar = input.runs
    .map((run, index) => ({ run, index, ms: parseTimestamp(run.ts) ?? Number.NEGATIVE_INFINITY }))
    .filter(
      ({ run }) =>
        run.workflowType === input.workflowType &&
        run.wordCount >= lo &&
        run.wordCount <= hi &&
        Number.isFinite(run.totalTokens) &&
        run.totalTokens > 0,
    )
    .sort((a, b) => b.ms - a.ms || a.index - b.index)
    .slice(0, MAX_SIMILAR_RUNS)
    .map(({ run }) => run);

  if (similar.length === 0) {
    return { ...DEFAULT_ESTIMATE, basis: 'default', sampleSize: 0, confidence: 'low' };
  }
  const tokens = similar.map((r) => r.totalTokens);
  const meanWords = mean(similar.map((r) => r.wordCount));
  const ratio = meanWords > 0 ? input.words / meanWords : 1;
  const meanCost = mean(similar.map((r) => (Number.isFinite(r.costUsd) ? r.costUsd : 0)));
  const cv = coefficientOfVariation(tokens);
  const n = similar.length;
  const confidence: EstimateConfidence = n >= 10 && cv <= 0.5 ? 'high' : n >= 3 && cv <= 1 ? 'medium' : 'low';
  return {
    tokens: Math.round(mean(tokens) * ratio),
    costUsd: Math.round(meanCost * ratio * 100) / 100,
    basis: 'history',
    sampleSize: n,
    confidence,
  };
}

export function budgetCheck(est: { tokens: number; costUsd: number }, budget: Budget = DEFAULT_BUDGET): BudgetCheck {
  if (!(budget.tokenBudget > 0)) throw invalidArgument('tokenBudget must be positive');
  const pctOfBudget = Math.round((est.tokens / budget.tokenBudget) * 10_000) / 100;
  const withinBudget = est.tokens <= budget.tokenBudget;
  const warn = est.tokens * 100 >= budget.warnAtPct * budget.tokenBudget; // exact, not the rounded pct
  const needsApproval = est.costUsd > budget.approvalAboveUsd;
  const reasons: string[] = [];
  if (!withinBudget) {
    reasons.push(`estimate of ${est.tokens} tokens exceeds the ${budget.tokenBudget}-token budget (${pctOfBudget}%)`);
  } else if (warn) {
    reasons.push(
      `estimate is ${pctOfBudget}% of the ${budget.tokenBudget}-token budget (warn at ${budget.warnAtPct}%)`,
    );
  }
  if (needsApproval) {
    reasons.push(
      `estimated cost $${est.costUsd.toFixed(2)} is above the $${budget.approvalAboveUsd.toFixed(2)} approval threshold`,
    );
  }
  return { withinBudget, pctOfBudget, warn, needsApproval, reasons };
}
