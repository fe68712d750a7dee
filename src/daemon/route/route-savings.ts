/**
 * What a routed run saves, and how it is recorded. Every figure comes from `saving()`
 * (core/learning/savings), priced with the pattern's model and rounded once:
 * - a registered tool's run: the pattern's average LLM tokens and cost per use against the tokens the
 *   tool gave back, read as input (`useSaving`);
 * - the built-in runner's run: the raw output against the compact text, both read as input
 *   (`outputSaving`);
 * - a dry run of either kind: the pattern's average LLM tokens and cost per use against its expected
 *   tool tokens per use (`expectedSaving`), so a dry run and a run that gives back those tokens agree.
 */
import { randomUUID } from 'node:crypto';
import { expectedSaving, llmPerUse, useSaving } from '../../core/learning/pattern-economics.js';
import { REPLAY_KEY } from '../../core/learning/savings-replay.js';
import { outputSaving, type Saving } from '../../core/learning/savings.js';
import { economicsInputOfRow } from '../store/pattern-economics.js';
import type { Store } from '../store/store.js';
import type { ToolCallsRepo } from '../store/tool-calls-repo.js';

export const PATTERN_OFFLOAD = 'pattern_offload';

/** The routed call as stored (tool_calls): everything but its key and the tokens it saved. */
export type RoutedCall = Omit<Parameters<ToolCallsRepo['insertRouted']>[0], 'callKey' | 'tokensSaved'>;

/** A successful run's measured saving: the LLM and tool tokens `saving` compared, and its result. */
export interface MeasuredSaving {
  patternId: number;
  toolId: number | null;
  rawTokens: number;
  toolTokens: number;
  saving: Saving;
}

const NOTHING_SAVED: Saving = { tokensSaved: 0, usd: 0 };

/**
 * A registered tool's successful run: `useSaving` of the pattern's average LLM tokens and cost per
 * use against the tokens the tool gave back (nothing saved when the pattern is gone).
 */
export function measuredToolRun(store: Store, patternId: number, toolId: number, toolTokens: number): MeasuredSaving {
  const row = store.patterns.get(patternId);
  if (!row) return { patternId, toolId, rawTokens: 0, toolTokens, saving: NOTHING_SAVED };
  const i = economicsInputOfRow(row);
  return { patternId, toolId, rawTokens: llmPerUse(i).tokens, toolTokens, saving: useSaving(i, toolTokens) };
}

/**
 * The built-in runner's successful run: `outputSaving` of the raw output's tokens against the compact
 * text's, priced with the pattern's model.
 */
export function measuredCompaction(
  store: Store,
  patternId: number,
  rawTokens: number,
  compactTokens: number,
): MeasuredSaving {
  const model = store.patterns.get(patternId)?.model ?? null;
  return {
    patternId,
    toolId: null,
    rawTokens,
    toolTokens: compactTokens,
    saving: outputSaving(rawTokens, compactTokens, model),
  };
}

/**
 * What a dry run reports: the pattern's expected saving per use, its tool tokens as `patterns` shows
 * them (replay cache included); nothing when the pattern is gone.
 */
export function expectedSavingOf(store: Store, patternId: number): Saving {
  const row = store.patterns.get(patternId);
  if (!row) return NOTHING_SAVED;
  return expectedSaving(economicsInputOfRow(row, undefined, store.replay.forSignature(REPLAY_KEY, row.signature)));
}

/**
 * Inside the caller's transaction: the routed call (its tokens saved, 0 without a saving) and, for a
 * successful run, its `cost_savings_log` row and the pattern's measured routed run. Returns the call's id.
 */
export function recordRouted(store: Store, call: RoutedCall, measured: MeasuredSaving | null): number {
  const callId = store.toolCalls.insertRouted({
    ...call,
    callKey: `route:${randomUUID()}`,
    tokensSaved: measured?.saving.tokensSaved ?? 0,
  });
  if (measured === null) return callId;
  store.savings.add({
    patternId: measured.patternId,
    toolId: measured.toolId,
    toolCallId: callId,
    optimizationType: PATTERN_OFFLOAD,
    tokensWithLlm: measured.rawTokens,
    tokensWithTool: measured.toolTokens,
    tokensSaved: measured.saving.tokensSaved,
    costSavedUsd: measured.saving.usd,
    ts: call.endedAt,
  });
  store.patterns.addRoutedRun(measured.patternId, measured.toolTokens);
  return callId;
}
