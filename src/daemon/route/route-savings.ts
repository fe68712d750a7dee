/**
 * What a routed run saves, and how it is recorded. Every figure comes from `saving()`
 * (core/learning/savings): a registered tool's run against the pattern's average LLM tokens per use,
 * the built-in runner's against the raw output it compacted, and a dry run (either kind) against the
 * pattern's expected tool tokens per use, all priced with the pattern's model and rounded once.
 */
import { randomUUID } from 'node:crypto';
import { expectedSaving, type Economics } from '../../core/learning/pattern-economics.js';
import { REPLAY_KEY } from '../../core/learning/savings-replay.js';
import { saving, type Saving } from '../../core/learning/savings.js';
import { economicsOfRow } from '../store/pattern-economics.js';
import type { PatternRow } from '../store/patterns-repo.js';
import type { Store } from '../store/store.js';
import type { ToolCallsRepo } from '../store/tool-calls-repo.js';

export const PATTERN_OFFLOAD = 'pattern_offload';

/** The routed call as stored (tool_calls): everything but its key and the tokens it saved. */
export type RoutedCall = Omit<Parameters<ToolCallsRepo['insertRouted']>[0], 'callKey' | 'tokensSaved'>;

/** A successful run's measured saving: the raw and tool tokens `saving` compared, and its result. */
export interface MeasuredSaving {
  patternId: number;
  toolId: number | null;
  rawTokens: number;
  toolTokens: number;
  saving: Saving;
}

/** The pattern's per-use economics as `patterns` shows them (replay cache included); null when it is gone. */
function economicsOf(store: Store, patternId: number): { econ: Economics; row: PatternRow } | null {
  const row = store.patterns.get(patternId);
  if (!row) return null;
  return { econ: economicsOfRow(row, undefined, store.replay.forSignature(REPLAY_KEY, row.signature)), row };
}

/**
 * A registered tool's successful run: `saving` of the pattern's average LLM tokens per use against
 * the tokens the tool gave back, priced with the pattern's model (nothing saved when it is gone).
 */
export function measuredToolRun(store: Store, patternId: number, toolId: number, toolTokens: number): MeasuredSaving {
  const p = economicsOf(store, patternId);
  const rawTokens = p?.econ.avgTokensWithLlm ?? 0;
  return { patternId, toolId, rawTokens, toolTokens, saving: saving(rawTokens, toolTokens, p?.row.model ?? null) };
}

/**
 * The built-in runner's successful run: `saving` of the raw output's tokens against the compact
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
    saving: saving(rawTokens, compactTokens, model),
  };
}

/** What a dry run reports: the pattern's expected saving per use (nothing when it is gone). */
export function expectedSavingOf(store: Store, patternId: number): Saving {
  const p = economicsOf(store, patternId);
  return p ? expectedSaving(p.econ, p.row.model) : { tokensSaved: 0, usd: 0 };
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
  store.counts.add('toolCalls', 1);
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
