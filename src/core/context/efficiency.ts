/**
 * Context efficiency of one session or one ADW workflow (pass all its calls, ordered by time):
 * which files entered the context versus which files the agent went on to use.
 *
 * Loaded (tokens are `measured`: ceil(bytes / 4) of the responses that brought the file in):
 * - Read / NotebookRead: the target gets the whole response bytes. An error Read (`isError`, or a
 *   `<tool_use_error>` / "File does not exist" response) loads nothing. Images and PDFs count their
 *   response bytes like text and are flagged `media: true`.
 * - Grep / Glob: the files named in `responseText` (else the call's `filePaths`); the response bytes
 *   are split evenly over them, the remainder one byte each to the first files listed. A
 *   `responseText` cut by the caller must end with a marker (`…`, `...`, `[truncated]`); its
 *   partial last line is then dropped (the text alone cannot show a cut: `responseBytes` may
 *   measure a structured response larger than the text).
 *   Reading a file twice, or naming it in a search and then reading it, adds the bytes up.
 * Used:
 * - the target of Edit / Write / MultiEdit / NotebookEdit (loaded or not, error or not), or
 * - a loaded file named in the input of a LATER call other than Read/Grep/Glob (a Bash command
 *   such as `pytest tests/test_cart.py::test_add`, a Task prompt, ...), as a whole path or as a
 *   path-suffix token (`tests/test_cart.py`, `cart.py`). Files never loaded are not searched for.
 * Paths: resolved against the call's cwd (else the session cwd), one file under any spelling
 * (abs/rel, `./`, backslashes; drive and UNC paths case-insensitively), reported relative to the
 * session cwd (`cwd` argument, else the first call's cwd) when under it.
 *
 * Two stages: `callFacts` (facts.ts) works out each call alone, once (the daemon stores the facts
 * with the call); `efficiencyFromFacts` goes through a session's facts in time order with an
 * `EfficiencyFold` (efficiency-fold.ts), which keeps the files in a `FileTable` (file-table.ts)
 * and reports them with `efficiencyReport` (efficiency-report.ts).
 * `contextEfficiency(calls, cwd)` is `efficiencyFromFacts(calls.map(callFacts), cwd)`.
 */
import { EfficiencyFold } from './efficiency-fold.js';
import type { Efficiency } from './efficiency-report.js';
import { callFacts, type CallFacts, type ContextCall } from './facts.js';

export type { CallFacts, ContextCall } from './facts.js';
export { callFacts } from './facts.js';
export type { Efficiency, FileStat } from './efficiency-report.js';
export { EfficiencyFold } from './efficiency-fold.js';

/**
 * Context efficiency from the facts of the calls (`callFacts`), in time order: the part that
 * depends on the other calls (a mention counts only for files loaded before it).
 */
export function efficiencyFromFacts(facts: readonly CallFacts[], cwd?: string | null): Efficiency {
  let root = cwd ?? null;
  if (root === null) {
    for (const f of facts) {
      if (f.cwd !== null) {
        root = f.cwd;
        break;
      }
    }
  }
  const fold = new EfficiencyFold(root);
  for (const f of facts) fold.add(f);
  return fold.result();
}

export function contextEfficiency(calls: readonly ContextCall[], cwd?: string | null): Efficiency {
  return efficiencyFromFacts(
    calls.map((c) => callFacts(c)),
    cwd,
  );
}
