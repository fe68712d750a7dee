/**
 * What a pattern costs with the LLM and would cost with a tool, per use, and what automating it saves
 * per month. Every figure carries its basis: `measured` from usage records or routed runs,
 * `estimated` from byte sizes (4 bytes a token).
 */
import { emptyTokens, inputTokensCostUsd, priceUsage } from '../usage/pricing.js';
import {
  compactSummaryTokens,
  estimateTokensFromBytes,
  monthlySavings,
  roundUsd,
  saving,
  type Saving,
} from './savings.js';
import type { Basis, ToolTokenBasis } from '../types.js';

/** Tokens of reasoning and call text around a tool call when no usage record measures the turn. */
export const TURN_OVERHEAD_TOKENS_ESTIMATE = 100;

/** A tool call belongs to the session's latest assistant response at most this long before it. */
export const TURN_WINDOW_MS = 600_000;

export interface TurnUsage {
  /** output tokens of the assistant response that issued the call */
  outputTokens: number;
  /** the whole cost of that response (input, cache and output) */
  costUsd: number;
  /** tool calls issued by the same response: the turn is shared among them */
  callsInTurn: number;
}

export interface UseCost {
  tokens: number;
  costUsd: number;
  basis: Basis;
}

/**
 * One use with the LLM: the tool input the model wrote, the tool response it then reads, and the turn
 * around it. Measured: the issuing response's cost and output tokens (shared among the calls it made)
 * plus the response read back as input. Estimated: bytes/4 for input and response plus a fixed
 * overhead, priced with the model that ran (0 when the model is unknown: never guessed).
 */
export function llmUseCost(u: {
  model: string | null;
  inputBytes: number;
  responseBytes: number;
  turn: TurnUsage | null;
}): UseCost {
  const inTok = estimateTokensFromBytes(u.inputBytes);
  const respTok = estimateTokensFromBytes(u.responseBytes);
  if (u.turn && u.turn.callsInTurn > 0) {
    const share = 1 / u.turn.callsInTurn;
    return {
      tokens: respTok + Math.round(u.turn.outputTokens * share),
      costUsd: u.turn.costUsd * share + inputTokensCostUsd(u.model, respTok),
      basis: 'measured',
    };
  }
  const out = inTok + TURN_OVERHEAD_TOKENS_ESTIMATE;
  const cost = u.model ? priceUsage(u.model, { ...emptyTokens(), inputTokens: respTok, outputTokens: out }).costUsd : 0;
  return { tokens: inTok + respTok + TURN_OVERHEAD_TOKENS_ESTIMATE, costUsd: cost, basis: 'estimated' };
}

/** Estimated tokens a routed tool's compact result would put in the context for this response size. */
export function toolUseTokensEstimate(responseBytes: number): number {
  return compactSummaryTokens(responseBytes);
}

export interface EconomicsInput {
  uses: number;
  uses30d: number;
  sumLlmTokens: number;
  sumLlmCost: number;
  measuredUses: number;
  sumToolTokensEst: number;
  routedRuns: number;
  sumToolTokensMeasured: number;
  /** recorded outputs of the pattern's signature replayed through the compactors, and their compact tokens */
  replayedCalls?: number;
  sumToolTokensReplay?: number;
  model: string | null;
}

export interface Economics {
  avgTokensWithLlm: number;
  avgCostWithLlmUsd: number;
  tokenBasis: Basis;
  avgTokensWithTool: number;
  avgCostWithToolUsd: number;
  toolTokenBasis: ToolTokenBasis;
  monthlySavingsUsd: number;
}

/** The LLM side of one use on average: whole tokens, and the cost unrounded. */
export function llmPerUse(i: Pick<EconomicsInput, 'uses' | 'sumLlmTokens' | 'sumLlmCost'>): {
  tokens: number;
  costUsd: number;
} {
  const uses = Math.max(0, i.uses);
  if (uses === 0) return { tokens: 0, costUsd: 0 };
  return { tokens: Math.round(i.sumLlmTokens / uses), costUsd: i.sumLlmCost / uses };
}

/** Per-use tool tokens and their basis: routed runs, else the replay of recorded outputs, else the estimate. */
function toolTokens(i: EconomicsInput, uses: number): { tokens: number; basis: ToolTokenBasis } {
  if (i.routedRuns > 0) return { tokens: Math.round(i.sumToolTokensMeasured / i.routedRuns), basis: 'measured' };
  const replayed = i.replayedCalls ?? 0;
  if (replayed > 0) return { tokens: Math.round((i.sumToolTokensReplay ?? 0) / replayed), basis: 'measured (replay)' };
  return { tokens: uses > 0 ? Math.round(i.sumToolTokensEst / uses) : 0, basis: 'estimated' };
}

/**
 * Per-use averages and monthly savings = uses in the last 30 days × (LLM cost − tool cost). The token
 * basis is `measured` when most uses were measured. Tool tokens are measured once the tool has run
 * through `route`; before that, the average compact form of the pattern's recorded outputs when the
 * savings replay has seen them (`measured (replay)`); else the compact-summary estimate.
 */
export function patternEconomics(i: EconomicsInput): Economics {
  const uses = Math.max(0, i.uses);
  const llm = llmPerUse(i);
  const tool = toolTokens(i, uses);
  const avgTokensWithTool = tool.tokens;
  const avgCostWithToolUsd = inputTokensCostUsd(i.model, avgTokensWithTool);
  return {
    avgTokensWithLlm: llm.tokens,
    avgCostWithLlmUsd: roundUsd(llm.costUsd),
    tokenBasis: uses > 0 && i.measuredUses * 2 >= uses ? 'measured' : 'estimated',
    avgTokensWithTool,
    avgCostWithToolUsd: roundUsd(avgCostWithToolUsd),
    toolTokenBasis: tool.basis,
    monthlySavingsUsd: monthlySavings(i.uses30d, llm.costUsd, avgCostWithToolUsd),
  };
}

/**
 * What one use of a pattern saves when a tool whose result is `toolTokens` runs instead of the LLM:
 * `saving` of the pattern's average LLM tokens and cost per use (the cost unrounded) against those
 * tokens read as input by the pattern's model. Its dollars, times the uses of the last 30 days, are
 * the monthly savings when `toolTokens` is the expected figure.
 */
export function useSaving(i: EconomicsInput, toolTokensPerUse: number): Saving {
  const llm = llmPerUse(i);
  return saving({ llmTokens: llm.tokens, llmCostUsd: llm.costUsd, toolTokens: toolTokensPerUse, model: i.model });
}

/**
 * What one use of a pattern is expected to save before a run: `useSaving` with its expected tool
 * tokens per use (routed runs, else the replay, else the estimate). A run measures its own tool
 * tokens and goes through the same `useSaving`.
 */
export function expectedSaving(i: EconomicsInput): Saving {
  return useSaving(i, toolTokens(i, Math.max(0, i.uses)).tokens);
}
