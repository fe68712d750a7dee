/**
 * The per-call half of context efficiency (see efficiency.ts for the rules): what one tool
 * call loads, edits and mentions, worked out without looking at any other call, so it can be
 * computed once when the call is stored and read back cheaply (`encodeFacts` / `decodeFacts`).
 *
 * Paths of a call with a cwd are resolved against it here. A call without a cwd is resolved
 * against the session cwd, known only when the session is read: its facts keep the paths and
 * tokens as written (`cwd: null`) and `efficiencyFromFacts` resolves them.
 */
import { extOf, isAbsolutePath, isWindowsPath, normalizePath } from '../paths.js';
import { EDIT_TOOLS, READ_TOOLS, SEARCH_TOOLS } from '../records/tool-call-input.js';
import { field, parseCallInput, type CallInput } from './call-input.js';
import type { CallFacts, ContextCall, TokenFact } from './facts-types.js';
import { mentionedTokens } from './mentioned-tokens.js';
import { namedFiles } from './named-files.js';

export type { CallFacts, ContextCall, TokenFact } from './facts-types.js';
export { parseCallInput, type CallInput } from './call-input.js';

/**
 * `${cwd}/`, when paths under `cwd` can be known by what follows it: `cwd` is `/` and more, not
 * `//` (paths under it are neither drive nor UNC paths: their key is the path itself).
 */
export function posixPrefix(cwd: string): string | null {
  return cwd.length > 1 && cwd.charCodeAt(0) === 47 && cwd.charCodeAt(1) !== 47 ? `${cwd}/` : null;
}

const MEDIA_EXT = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'pdf']);
const ERROR_TEXT = /^\s*(<tool_use_error>|File does not exist|File content \(.*exceeds maximum|Error: ENOENT|EISDIR)/i;

function isErrorRead(call: ContextCall): boolean {
  if (call.isError === true) return true;
  return call.isError !== false && call.responseText !== null && ERROR_TEXT.test(call.responseText);
}

/** The tokens of a call with a cwd (`exact, tail` pairs), or its raw mentions when it has none. */
function tokensOf(
  raw: Iterable<string>,
  cwd: string | null,
  prefix: string | null,
): Pick<CallFacts, 'tokens' | 'mentions'> {
  if (cwd === null) return { tokens: [], mentions: [...raw] };
  const tokens: (string | null)[] = [];
  const seen = new Set<string>();
  for (const t of raw) {
    const f = tokenFact(t, cwd);
    if (f === null) continue;
    // two spellings of one path match the same files: the first is enough
    const k = `${f.exact ?? ''}\0${f.tail ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    tokens.push(prefix !== null && f.tail !== null && f.exact === prefix + f.tail ? '' : f.exact, f.tail);
  }
  return { tokens, mentions: [] };
}

/** The key a normalized path is known by: drive and UNC paths compare case-insensitively. */
export const fileKey = (p: string): string => (isWindowsPath(p) ? p.toLowerCase() : p);

/** A token as matched from a call whose paths resolve against `cwd`; null when it can match nothing. */
export function tokenFact(token: string, cwd: string | null): TokenFact | null {
  const abs = normalizePath(token, cwd);
  const rel = normalizePath(token, null);
  const exact = isAbsolutePath(abs) ? fileKey(abs) : null;
  const tail = isAbsolutePath(rel) || rel.startsWith('..') || rel === '.' ? null : rel;
  return exact === null && tail === null ? null : { exact, tail };
}

/** The files a call loaded (with the response bytes they share) and the files it edited. */
interface TouchedFiles {
  loads: string[];
  bytes: number;
  media: boolean;
  uses: string[];
}

function touchedFiles(call: ContextCall, inputOf: () => CallInput, resolve: (p: string) => string): TouchedFiles {
  const none: TouchedFiles = { loads: [], bytes: 0, media: false, uses: [] };
  if (READ_TOOLS.has(call.toolName)) {
    const target = field(inputOf(), ['file_path', 'notebook_path', 'path']) ?? call.filePaths[0];
    if (target === undefined || isErrorRead(call)) return none;
    return {
      ...none,
      loads: [resolve(target)],
      bytes: Math.max(0, call.responseBytes),
      media: MEDIA_EXT.has(extOf(target)),
    };
  }
  if (SEARCH_TOOLS.has(call.toolName) && call.isError !== true) {
    const loads = namedFiles(call, inputOf).map(resolve);
    return { ...none, loads, bytes: loads.length > 0 ? Math.max(0, Math.floor(call.responseBytes)) : 0 };
  }
  if (EDIT_TOOLS.has(call.toolName)) {
    const target = field(inputOf(), ['file_path', 'notebook_path']);
    return { ...none, uses: (target !== null ? [target] : call.filePaths).map(resolve) };
  }
  return none;
}

/** The loads and uses without `prefix` when there are some and all of them are under it. */
function underPrefix(t: TouchedFiles, prefix: string | null): Pick<CallFacts, 'rel' | 'loads' | 'uses'> {
  const under = (p: string): boolean => prefix !== null && p.startsWith(prefix);
  const rel = t.loads.length + t.uses.length > 0 && t.loads.every(under) && t.uses.every(under);
  if (!rel) return { rel, loads: t.loads, uses: t.uses };
  const cut = (prefix ?? '').length;
  return { rel, loads: t.loads.map((p) => p.slice(cut)), uses: t.uses.map((p) => p.slice(cut)) };
}

/**
 * The facts of one call. `input`: `parseCallInput(call.inputJson)` when the caller parsed it
 * already (else it is parsed when needed, once). `mentioned`: the `tokens` and `mentions` of
 * facts computed before for the same tool name, command, input and cwd (only the outcome
 * changed), which are then not worked out again.
 */
export function callFacts(
  call: ContextCall,
  input?: CallInput,
  mentioned?: Pick<CallFacts, 'tokens' | 'mentions'>,
): CallFacts {
  let parsed = input;
  const inputOf = (): CallInput => (parsed ??= parseCallInput(call.inputJson));
  const cwd = call.cwd;
  const prefix = cwd === null ? null : posixPrefix(cwd);
  const named = READ_TOOLS.has(call.toolName) || SEARCH_TOOLS.has(call.toolName);
  const { tokens, mentions } =
    mentioned ?? (named ? { tokens: [], mentions: [] } : tokensOf(mentionedTokens(call, inputOf()), cwd, prefix));
  const touched = touchedFiles(call, inputOf, (p) => (cwd === null ? p : normalizePath(p, cwd)));
  const { rel, loads, uses } = underPrefix(touched, prefix);
  return { cwd, rel, loads, bytes: touched.bytes, media: touched.media, uses, tokens, mentions };
}
