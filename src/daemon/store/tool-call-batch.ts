/**
 * The fragments of tool calls read in one transaction, merged in memory by the rules of
 * core/records/tool-call-merge and written once per call. No SQL here: the repository loads and
 * writes rows.
 */
import { contextFactsOf, mergedContextFacts } from '../../core/context/context-call.js';
import type { PathLists } from '../../core/records/stored-call.js';
import { callFromFragment, combineCall, isEnded, type HookSide } from '../../core/records/tool-call-merge.js';
import type { ToolCallFragment } from '../../core/types.js';
import { betterCopy, copyOf, keepOutput, type OutputCopy, type OutputStore } from './output-copies.js';
import { CALL_COLUMNS, type CallColumns, type ToolCallRow } from './tool-call-row.js';

export interface MergeResult {
  id: number;
  created: boolean;
  /** true when this fragment completed the call (it now has an end) */
  completed: boolean;
}

/** True when nothing but updated_at would change (re-reading a source after a crash, say): no write needed. */
function sameCall(prev: CallColumns, next: CallColumns): boolean {
  for (const c of CALL_COLUMNS) if (c !== 'updated_at' && prev[c] !== next[c]) return false;
  return true;
}

export interface CallStore {
  /** where the calls' outputs are kept */
  outputs: OutputStore;
  load(callKey: string): ToolCallRow | null;
  insert(row: CallColumns): number;
  update(row: CallColumns): void;
}

/**
 * Fragments of one transaction merged in memory (a tool_use and its tool_result usually sit in
 * the same batch), then each call written once: an INSERT, or an UPDATE when it changed.
 */
export class ToolCallBatch {
  private readonly calls = new Map<
    string,
    { prev: ToolCallRow | null; next: CallColumns; output: OutputCopy | null }
  >();
  private readonly now = new Date().toISOString();
  /** the path lists of this batch's fragments, by their JSON: the context facts reuse them */
  private readonly known: PathLists = new Map();

  constructor(private readonly db: CallStore) {}

  get size(): number {
    return this.calls.size;
  }

  add(f: ToolCallFragment, workflowId: string | null = null, side?: HookSide): void {
    const cur = this.calls.get(f.callKey);
    if (cur) {
      cur.next = combineCall(cur.next, f, workflowId, side, this.now, this.known);
      if (f.output !== undefined) cur.output = betterCopy(cur.output, copyOf(f));
      return;
    }
    const prev = this.db.load(f.callKey);
    const next = prev
      ? combineCall(prev, f, workflowId, side, this.now, this.known)
      : callFromFragment(f, workflowId, side, this.now, this.known);
    this.calls.set(f.callKey, { prev, next, output: copyOf(f) });
  }

  /** Writes every call touched since the last flush; one result per call. */
  flush(): MergeResult[] {
    const out: MergeResult[] = [];
    for (const { prev, next, output } of this.calls.values()) {
      // The context facts follow the row (worked out again only when a column they depend on
      // changed). A call that has not ended gets them when read (ContextRepo), should it be read
      // before it ends: its end usually comes in the next fragment, which would change them.
      if (prev !== null && prev.context_facts !== null) {
        next.context_facts = mergedContextFacts(prev, next, this.known);
      } else next.context_facts = isEnded(next) ? contextFactsOf(next, undefined, this.known) : null;
      let result: MergeResult;
      if (!prev) {
        result = { id: this.db.insert(next), created: true, completed: isEnded(next) };
      } else if (sameCall(prev, next)) {
        result = { id: prev.id, created: false, completed: false };
      } else {
        this.db.update(next);
        result = { id: prev.id, created: false, completed: !isEnded(prev) && isEnded(next) };
      }
      keepOutput(this.db.outputs, result.id, prev?.tool_name ?? null, next.tool_name, output);
      out.push(result);
    }
    this.calls.clear();
    this.known.clear();
    return out;
  }
}
