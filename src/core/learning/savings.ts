/**
 * Savings arithmetic: what reading a tool's result instead of the raw output saves, one rounding of
 * dollars, and the monthly figure of a pattern. Monthly savings come from uses in the last 30 days,
 * never from all-time counts (duplicate rows and old history would multiply them many times over).
 */
import { inputTokensCostUsd } from '../usage/pricing.js';

const USD_SCALE = 10_000;

/**
 * The one rounding of dollar figures: 4 decimals (hundredths of a cent), halves away from zero, read
 * on the decimal value (0.00015 → 0.0002, although 0.00015 × 10,000 is 1.4999… in binary). Round the
 * final figure once; a sum of savings is summed first and rounded after.
 */
export function roundUsd(x: number): number {
  const scaled = Number((Math.abs(x) * USD_SCALE).toPrecision(15));
  const rounded = (Math.sign(x) * Math.round(scaled)) / USD_SCALE;
  return rounded === 0 ? 0 : rounded;
}

/** What one run saved, or a dry run expects to save. */
export interface Saving {
  tokensSaved: number;
  usd: number;
}

/** One use with the LLM against one run of a tool instead. */
export interface SavingInput {
  /** tokens the LLM side spends on the use */
  llmTokens: number;
  /** what the LLM side costs, as priced (output, cache writes and reads, input) */
  llmCostUsd: number;
  /** tokens of the tool's result, which the model reads instead, as input */
  toolTokens: number;
  /** the model that reads the tool's result (prices it) */
  model: string | null;
}

const countOf = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0);

const PICO_USD = 1e12;

/**
 * llm − tool in dollars, never negative (non-finite or negative costs count as 0), unrounded. The two
 * are compared in whole picodollars, so the difference of two prices is the decimal one (0.2304 −
 * 0.22625 is 0.00415, which rounds up, not 0.0041499…, which would round down).
 */
function costDifference(llmUsd: number, toolUsd: number): number {
  const pico = Math.round(countOf(llmUsd) * PICO_USD) - Math.round(countOf(toolUsd) * PICO_USD);
  return pico > 0 ? pico / PICO_USD : 0;
}

/**
 * The saving of one use when a tool runs instead of the LLM:
 * tokens saved = max(0, llmTokens − toolTokens);
 * dollars = max(0, llmCostUsd − toolTokens at the input price of `model`), rounded with roundUsd.
 * The tool's result costs $0 when the model is unknown or has no price (never guessed), so the LLM
 * side is then saved whole. Non-finite or negative inputs count as 0.
 */
export function saving(i: SavingInput): Saving {
  const toolTokens = countOf(i.toolTokens);
  return {
    tokensSaved: Math.max(0, countOf(i.llmTokens) - toolTokens),
    usd: roundUsd(costDifference(i.llmCostUsd, inputTokensCostUsd(i.model, toolTokens))),
  };
}

/**
 * The saving of reading `compactTokens` of an output instead of its `rawTokens`, both as input of
 * `model`: `saving` whose LLM side is the raw output read as input, priced as the compact part plus the
 * part left out. So the dollars are the input price of the tokens left out, max(0, raw − compact),
 * priced alone (a long-context tier applies when those tokens alone pass its threshold); $0 for an
 * unknown model.
 */
export function outputSaving(rawTokens: number, compactTokens: number, model: string | null): Saving {
  const raw = countOf(rawTokens);
  const compact = countOf(compactTokens);
  const llmCostUsd = inputTokensCostUsd(model, compact) + inputTokensCostUsd(model, Math.max(0, raw - compact));
  return saving({ llmTokens: raw, llmCostUsd, toolTokens: compact, model });
}

/**
 * uses30d × (LLM cost per use − tool cost per use): the dollars `saving` rounds for one use, over the
 * uses of the last 30 days, rounded once with roundUsd; never negative. Non-finite or negative inputs
 * count as 0.
 */
export function monthlySavings(uses30d: number, llmCostPerUse: number, toolCostPerUse: number): number {
  return roundUsd(countOf(uses30d) * costDifference(llmCostPerUse, toolCostPerUse));
}

/** An estimate, not a measurement: about 4 bytes of text per token. ceil(bytes / 4); invalid → 0. */
export function estimateTokensFromBytes(bytes: number): number {
  return Number.isFinite(bytes) && bytes > 0 ? Math.ceil(bytes / 4) : 0;
}

export const COMPACT_SUMMARY_MAX_TOKENS = 200;
export const COMPACT_SUMMARY_OVERHEAD_TOKENS = 30;

/**
 * Estimated tokens the model reads when a tool returns a compact summary instead of the full output.
 * Rule (an estimate, stated as such wherever it is shown): the summary is the output's own size in tokens
 * (bytes / 4) capped at 200 tokens, plus 30 tokens for the fixed envelope
 * (`{success, summary, failures, next_steps}`): min(ceil(bytes / 4), 200) + 30.
 */
export function compactSummaryTokens(responseBytes: number): number {
  return Math.min(estimateTokensFromBytes(responseBytes), COMPACT_SUMMARY_MAX_TOKENS) + COMPACT_SUMMARY_OVERHEAD_TOKENS;
}
