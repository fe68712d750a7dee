/**
 * Error → fix → retry loops: a command fails, files are edited, the same command (same signature) passes.
 * The outcome is required evidence:
 * - fail: exitCode is a number other than 0, or isError is true;
 * - pass: exitCode is 0 and isError is not true, or exitCode is unknown and isError is false;
 * - anything else (no outcome at all) is neither, and never closes a loop.
 * Between the first failure and the pass there must be at least one Edit/Write/MultiEdit/NotebookEdit.
 * A pass with no edit since the failure (a flaky rerun) closes the failure without a loop. Reads, greps
 * and other commands in between are allowed; loops of different commands may interleave.
 */

import { EDIT_TOOLS } from '../records/tool-call-input.js';
import { llmUseCost, toolUseTokensEstimate, type UseCost } from './pattern-economics.js';

export interface CallStep {
  /** operation signature for commands; null for non-command tools */
  signature: string | null;
  toolName: string;
  exitCode: number | null;
  isError: boolean | null;
  /** files touched (kept for same-file checks; not required for a loop) */
  filePaths?: readonly string[];
}

export interface FixLoop {
  /** `fix:` + the command's signature */
  signature: string;
  failIndex: number;
  passIndex: number;
  /** edit steps between the failure and the pass */
  edits: number;
}

export const FIX_LOOP_PREFIX = 'fix:';
export { EDIT_TOOLS };

export type Outcome = 'fail' | 'pass' | 'unknown';

export function stepOutcome(step: Pick<CallStep, 'exitCode' | 'isError'>): Outcome {
  if (step.isError === true || (step.exitCode !== null && step.exitCode !== 0)) return 'fail';
  if (step.exitCode === 0 || step.isError === false) return 'pass';
  return 'unknown';
}

/** Fix loops in one session's ordered steps, in the order their passing run happened. */
export function detectFixLoops(steps: readonly CallStep[]): FixLoop[] {
  const open = new Map<string, { failIndex: number; editsAtFail: number }>();
  const loops: FixLoop[] = [];
  let edits = 0;
  steps.forEach((step, index) => {
    if (EDIT_TOOLS.has(step.toolName)) {
      edits++;
      return;
    }
    if (step.signature === null || step.signature === '') return;
    const outcome = stepOutcome(step);
    const pending = open.get(step.signature);
    if (outcome === 'fail') {
      if (pending === undefined) open.set(step.signature, { failIndex: index, editsAtFail: edits });
    } else if (outcome === 'pass' && pending !== undefined) {
      open.delete(step.signature);
      const between = edits - pending.editsAtFail;
      if (between > 0) {
        loops.push({
          signature: FIX_LOOP_PREFIX + step.signature,
          failIndex: pending.failIndex,
          passIndex: index,
          edits: between,
        });
      }
    }
  });
  return loops;
}

/** One call inside a fix loop, as the loop's cost sees it. */
export interface LoopCall {
  model: string | null;
  inputBytes: number;
  responseBytes: number;
}

/** The failing or the passing run of a loop's command. */
export interface LoopRun {
  command: string | null;
  tsMs: number | null;
  durationMs: number | null;
  responseBytes: number;
}

/** What a fix loop stores as a use of its `fix:` pattern. */
export interface FixLoopUse {
  cost: UseCost;
  toolTokensEst: number;
  durationMs: number | null;
  example: string;
}

/**
 * The estimated LLM cost of a fix loop: every call in it, from the failing run to the passing one
 * (reads and searches too, not only commands and edits), each priced from its sizes.
 */
export function fixLoopCost(calls: readonly LoopCall[]): UseCost {
  let tokens = 0;
  let costUsd = 0;
  for (const c of calls) {
    const u = llmUseCost({ model: c.model, inputBytes: c.inputBytes, responseBytes: c.responseBytes, turn: null });
    tokens += u.tokens;
    costUsd += u.costUsd;
  }
  return { tokens, costUsd, basis: 'estimated' };
}

/** From the start of the failing run to the end of the passing one; null when either start is unknown. */
export function fixLoopDurationMs(fail: LoopRun, pass: LoopRun): number | null {
  return fail.tsMs !== null && pass.tsMs !== null ? pass.tsMs - fail.tsMs + (pass.durationMs ?? 0) : null;
}

/**
 * A fix loop as a use of its pattern: its cost over `calls` (every call from `fail` to `pass`), how
 * long it took, the compact result a tool would give for the passing run, and how it is shown.
 */
export function fixLoopUse(loop: FixLoop, fail: LoopRun, pass: LoopRun, calls: readonly LoopCall[]): FixLoopUse {
  return {
    cost: fixLoopCost(calls),
    toolTokensEst: toolUseTokensEstimate(pass.responseBytes),
    durationMs: fixLoopDurationMs(fail, pass),
    example: `${fail.command ?? loop.signature} (failed, ${loop.edits} edit(s), then passed)`,
  };
}
