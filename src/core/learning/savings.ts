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

const countOf = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0);

/**
 * The saving of one run: the LLM would have read `rawTokens`, the tool returned `toolTokens`.
 * tokens saved = max(0, raw − tool); dollars = those tokens at the input price of `model`, rounded
 * with roundUsd; $0 when the model is unknown or has no price (never guessed). Non-finite or negative
 * token counts count as 0, so a tool that returns more than the raw output saves nothing.
 */
export function saving(rawTokens: number, toolTokens: number, model: string | null): Saving {
  const tokensSaved = Math.max(0, countOf(rawTokens) - countOf(toolTokens));
  return { tokensSaved, usd: roundUsd(inputTokensCostUsd(model, tokensSaved)) };
}

/**
 * uses30d × (LLM cost per use − tool cost per use), never negative, rounded with roundUsd.
 * Non-finite or negative inputs count as 0.
 */
export function monthlySavings(uses30d: number, llmCostPerUse: number, toolCostPerUse: number): number {
  const perUse = countOf(llmCostPerUse) - countOf(toolCostPerUse);
  if (perUse <= 0) return 0;
  return roundUsd(countOf(uses30d) * perUse);
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
