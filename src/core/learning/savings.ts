/**
 * Savings arithmetic. Monthly savings come from uses in the last 30 days, never from all-time counts:
 * the plan multiplied the all-time occurrence_count (78,167 after duplicate rows) by the cost per use and
 * reported $183,844/month, about 87× the real figure (origin-of-the-plan §5.1.2).
 */

/** Rounds to 4 decimals (hundredths of a cent). */
export function roundUsd(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/**
 * uses30d × (LLM cost per use − tool cost per use), never negative, rounded to 4 decimals.
 * Non-finite or negative inputs count as 0.
 */
export function monthlySavings(uses30d: number, llmCostPerUse: number, toolCostPerUse: number): number {
  const clean = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0);
  const perUse = clean(llmCostPerUse) - clean(toolCostPerUse);
  if (perUse <= 0) return 0;
  return roundUsd(clean(uses30d) * perUse);
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
