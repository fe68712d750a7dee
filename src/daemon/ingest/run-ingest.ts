/**
 * One offloaded `outloop run`, as reported in its spool envelope, becomes a tool call (`run:<id>`,
 * tool Bash, the original command and its signature, exit status, duration, raw output bytes, the
 * offload marker and tokens saved) and a measured saving (`offload_run`: the raw output's tokens the
 * agent did not read, minus the compact text's it did), priced as input tokens of the model that read
 * them and linked to the pattern of the command's signature. Re-reading the same report adds nothing.
 */
import { extractOperation } from '../../core/learning/operation.js';
import type { RunReport } from '../../core/offload/offload-file.js';
import { outputSaving } from '../../core/learning/savings.js';
import type { RowCounter } from '../store/counts-repo.js';
import type { Store } from '../store/store.js';

export const OFFLOAD_RUN = 'offload_run';

/** What a newly stored run saved (for the live feed). */
export interface RunSaving {
  command: string;
  patternId: number | null;
  tokensSaved: number;
  usd: number;
}

/**
 * Stores one run's call (counted in `counter`) and saving, inside the caller's transaction; null when
 * it was stored before.
 */
export function storeRun(store: Store, run: RunReport, counter: RowCounter): RunSaving | null {
  const signature = run.signature ?? extractOperation(run.command, run.cwd)?.signature ?? null;
  const model = store.usage.readingModel(run.sessionId);
  const { tokensSaved, usd } = outputSaving(run.rawTokens, run.compactTokens, model);
  const callId = store.toolCalls.insertRun(
    {
      callKey: `run:${run.id}`,
      command: run.command,
      signature,
      cwd: run.cwd,
      rawBytes: run.rawBytes,
      rawTokens: run.rawTokens,
      exitCode: run.exitCode,
      interrupted: run.signal !== null,
      durationMs: run.durationMs,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      result: JSON.stringify({
        offload: run.id,
        family: run.family,
        tool: run.tool,
        rawTokens: run.rawTokens,
        compactTokens: run.compactTokens,
        signal: run.signal,
        sessionId: run.sessionId,
        model,
      }),
      tokensSaved,
    },
    counter,
  );
  if (callId === null) return null;
  const pattern = signature === null ? null : store.patterns.bySignature(signature);
  const saved = store.savings.add({
    patternId: pattern?.id ?? null,
    toolId: null,
    toolCallId: callId,
    optimizationType: OFFLOAD_RUN,
    tokensWithLlm: run.rawTokens,
    tokensWithTool: run.compactTokens,
    tokensSaved,
    costSavedUsd: usd,
    ts: run.endedAt,
    dedupKey: `run:${run.id}`,
  });
  if (saved !== null && pattern) store.patterns.addRoutedRun(pattern.id, run.compactTokens);
  return { command: run.command, patternId: pattern?.id ?? null, tokensSaved, usd };
}
