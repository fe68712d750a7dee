import { patternEconomics, type Economics, type EconomicsInput } from '../../core/learning/pattern-economics.js';
import type { PatternRow, Window30 } from './patterns-repo.js';
import type { SignatureReplay } from './replay-repo.js';

/**
 * What a stored pattern's economics are computed from: its folded sums, the uses of its last 30 days
 * (`window`; none: no monthly figure) and the replay cache's figures for its signature (`replay`;
 * none: tool tokens from routed runs, else the estimate).
 */
export function economicsInputOfRow(row: PatternRow, window?: Window30, replay?: SignatureReplay): EconomicsInput {
  return {
    uses: row.uses,
    uses30d: window?.uses30d ?? 0,
    sumLlmTokens: row.sum_llm_tokens,
    sumLlmCost: row.sum_llm_cost,
    measuredUses: row.measured_uses,
    sumToolTokensEst: row.sum_tool_tokens_est,
    routedRuns: row.routed_runs,
    sumToolTokensMeasured: row.sum_tool_tokens_measured,
    replayedCalls: replay?.calls ?? 0,
    sumToolTokensReplay: replay?.compactTokens ?? 0,
    model: row.model,
  };
}

/** A stored pattern's per-use economics (core/learning/pattern-economics), as `economicsInputOfRow` reads it. */
export function economicsOfRow(row: PatternRow, window?: Window30, replay?: SignatureReplay): Economics {
  return patternEconomics(economicsInputOfRow(row, window, replay));
}
