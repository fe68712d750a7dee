/**
 * The output a tool call keeps when several sources saw it (hook stdout/stderr, transcript or
 * stream-json tool_result): one copy per call, chosen by a total order so that the kept copy does
 * not depend on the order the sources arrive in. No SQL here: OutputsRepo reads and writes.
 */
import { isBashTool, outputRank } from '../../core/records/tool-call-output.js';
import type { CallOutput, ToolCallFragment } from '../../core/types.js';
import type { OutputsRepo } from './outputs-repo.js';

/** One source's copy of a call's output, with the rank of that source. */
export interface OutputCopy {
  out: CallOutput;
  rank: number;
}

/**
 * Order of copies of one output (a total order, so the kept copy does not depend on arrival order):
 * the higher rank, then the larger whole output, then the greater text. Positive when a wins.
 */
function compareCopies(a: OutputCopy, b: OutputCopy): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.out.rawBytes !== b.out.rawBytes) return a.out.rawBytes - b.out.rawBytes;
  return a.out.text === b.out.text ? 0 : a.out.text > b.out.text ? 1 : -1;
}

export function betterCopy(a: OutputCopy | null, b: OutputCopy | null): OutputCopy | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareCopies(b, a) > 0 ? b : a;
}

export const copyOf = (f: ToolCallFragment): OutputCopy | null =>
  f.output === undefined ? null : { out: f.output, rank: outputRank(f.source) };

/** Where a call's output is kept: what keepOutput needs of OutputsRepo. */
export type OutputStore = Pick<OutputsRepo, 'meta' | 'text' | 'save' | 'drop'>;

/**
 * Keeps a Bash call's output (or one whose tool is not known yet: a tool_result read before its
 * tool_use), when the copy beats the one kept; a call that turns out to be another tool loses the
 * one it was given while unknown. `prevTool` is the call's tool before this batch (null: a new call).
 */
export function keepOutput(
  outputs: OutputStore,
  id: number,
  prevTool: string | null,
  tool: string,
  copy: OutputCopy | null,
): void {
  if (!isBashTool(tool) && tool !== 'unknown') {
    if (prevTool === 'unknown') outputs.drop(id);
    return;
  }
  if (copy === null) return;
  const meta = prevTool === null ? null : outputs.meta(id);
  if (meta !== null) {
    const stored = { rank: meta.rank, out: { text: '', rawBytes: meta.rawBytes, truncated: false } };
    const byMeta = compareCopies(copy, stored);
    if (byMeta < 0) return;
    if (byMeta === 0 && copy.out.text <= (outputs.text(id) ?? '')) return;
  }
  outputs.save(id, copy.out, copy.rank);
}
