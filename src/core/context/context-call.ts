/**
 * A stored tool call as context efficiency sees it (efficiency), and the facts kept for it in
 * `tool_calls.context_facts` (facts), so that reading a session back parses one short column per
 * call. The store works them out once the call has ended, and again whenever a column they depend
 * on changes; until then, and for rows stored before they were kept, they are NULL and are worked
 * out when the call is read.
 */
import { callFacts, parseCallInput, type CallFacts, type CallInput, type ContextCall } from './facts.js';
import { decodeFacts, encodeFacts } from './facts-codec.js';
import { stringListOf } from '../json-value.js';
import type { PathLists, StoredCall } from '../records/stored-call.js';
import { EDIT_TOOLS, READ_TOOLS, SEARCH_TOOLS } from '../records/tool-call-input.js';

/** The columns of a tool call that its context facts depend on. */
export type ContextCallRow = Pick<
  StoredCall,
  | 'tool_name'
  | 'command'
  | 'cwd'
  | 'input_json'
  | 'response_bytes'
  | 'is_error'
  | 'file_paths'
  | 'loaded_paths'
  | 'ended_at'
>;

/** The stored facts of a call that loaded nothing and is left out (a Read whose response never came). */
export const SKIPPED_FACTS = '';

const LOADING_TOOLS = new Set([...READ_TOOLS, ...SEARCH_TOOLS]);
/** Edits and reads are known by their paths: their (large) inputs are not looked at. */
const PATH_KNOWN_TOOLS = new Set([...EDIT_TOOLS, 'Read']);

function stringList(json: string | null, known?: PathLists): string[] {
  if (json === null || json === '') return [];
  const list = known?.get(json);
  if (list !== undefined) return list.filter((x) => typeof x === 'string');
  return stringListOf(json);
}

/**
 * Files a Grep/Glob call brought in: its `loaded_paths` (filled from the response). Without them,
 * a content-mode Grep of one file that answered something loaded that file; otherwise nothing
 * (the searched `path` is a directory, never a loaded file).
 */
function searchFiles(r: ContextCallRow, input: Record<string, unknown>, known?: PathLists): string[] {
  const loaded = stringList(r.loaded_paths, known);
  if (loaded.length > 0 || r.response_bytes === 0) return loaded;
  const path = input['path'];
  if (
    r.tool_name === 'Grep' &&
    input['output_mode'] === 'content' &&
    typeof path === 'string' &&
    /\.[A-Za-z0-9]{1,10}$/.test(path)
  ) {
    return [path];
  }
  return [];
}

/** The input the core looks at: none for an edit or read whose paths are known. */
const inputOf = (r: ContextCallRow): string | null =>
  r.file_paths !== null && PATH_KNOWN_TOOLS.has(r.tool_name) ? null : r.input_json;

function contextCall(r: ContextCallRow, input: () => Record<string, unknown>, known?: PathLists): ContextCall | null {
  const isError = r.is_error === null ? null : r.is_error !== 0;
  if (LOADING_TOOLS.has(r.tool_name) && r.ended_at === null && r.response_bytes === 0 && isError === null) return null;
  let filePaths: string[];
  if (SEARCH_TOOLS.has(r.tool_name)) filePaths = searchFiles(r, input(), known);
  else {
    filePaths = stringList(r.file_paths, known);
    for (const p of stringList(r.loaded_paths, known)) if (!filePaths.includes(p)) filePaths.push(p);
  }
  return {
    toolName: r.tool_name,
    inputJson: inputOf(r),
    command: r.command,
    responseBytes: r.response_bytes,
    responseText: null,
    isError,
    cwd: r.cwd,
    filePaths,
  };
}

/**
 * One stored call as the core sees it. The response text is not stored: loaded files come from
 * `loaded_paths` (so the core never has to detect a cut text). A Read/Grep/Glob whose response
 * was never seen (no end, no bytes, no error flag) loaded nothing and is left out (null).
 */
export function toContextCall(r: ContextCallRow): ContextCall | null {
  return contextCall(r, () => parseCallInput(inputOf(r)).obj ?? {});
}

/**
 * The `context_facts` of a call: `encodeFacts(callFacts(toContextCall(r)))`, its input parsed at
 * most once. `mentioned`: see callFacts; `known`: path lists the caller has by their JSON.
 */
export function contextFactsOf(
  r: ContextCallRow,
  mentioned?: Pick<CallFacts, 'tokens' | 'mentions'>,
  known?: PathLists,
): string {
  let parsed: CallInput | undefined;
  const call = contextCall(r, () => (parsed ??= parseCallInput(inputOf(r))).obj ?? {}, known);
  return call === null ? SKIPPED_FACTS : encodeFacts(callFacts(call, parsed, mentioned));
}

/** What the tokens of a call depend on (its outcome aside). */
const sameInput = (a: ContextCallRow, b: ContextCallRow): boolean =>
  a.tool_name === b.tool_name &&
  a.command === b.command &&
  a.cwd === b.cwd &&
  a.input_json === b.input_json &&
  a.file_paths === b.file_paths;

const NO_MENTIONS: Pick<CallFacts, 'tokens' | 'mentions'> = { tokens: [], mentions: [] };

/**
 * The `context_facts` of `next`, a merge of `prev` (as stored): kept when no column they depend
 * on changed; when only the outcome did (a tool result after its tool use), the tokens of the
 * input are taken over rather than worked out again.
 */
export function mergedContextFacts(
  prev: ContextCallRow & Pick<StoredCall, 'context_facts'>,
  next: ContextCallRow,
  known?: PathLists,
): string {
  const stored = prev.context_facts;
  if (stored === null || !sameInput(prev, next)) return contextFactsOf(next, undefined, known);
  const outcomeSame =
    prev.response_bytes === next.response_bytes &&
    prev.is_error === next.is_error &&
    prev.loaded_paths === next.loaded_paths &&
    (prev.ended_at === null) === (next.ended_at === null);
  if (outcomeSame) return stored;
  // a call left out (SKIPPED_FACTS) is a Read/Grep/Glob: it mentions nothing
  const before = stored === SKIPPED_FACTS ? NO_MENTIONS : decodeFacts(stored);
  return contextFactsOf(next, before ?? undefined, known);
}
