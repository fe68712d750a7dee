/**
 * Operation extraction: what a Bash command *does*, as a signature `category:subcategory:target`.
 * Runners (`uv run`, `npx`, `npm run`, `pnpm`, `yarn`, `bun run`, `poetry run`, `python -m`, ...), env
 * assignments, `time`, `cd X &&` and pipes into head/tail/tee are looked through. A script file run by an
 * interpreter or runner (`bun run index.ts`, `python tools/x.py`, `./deploy.sh`) is `script:<name>:all`.
 * Other unknown programs become `other:<program>:all`. Targets come from whole words and path segments only (never substrings).
 */
import { unwrapRun } from '../offload/run-wrap.js';
import { classify, progName, type Found } from './operation-classify.js';
import { DISPATCH, SIMPLE, SUBS, TRIVIAL } from './operation-words.js';
import { baseName, commandStart, joinWords, splitCommands } from '../shell-words.js';

export type Target = 'backend' | 'frontend' | 'both' | 'all';

export interface Operation {
  signature: string;
  category: string;
  subcategory: string;
  target: Target;
  program: string;
  normalized: string;
  known: boolean;
}

/** `normalized` is capped at this many characters (an ellipsis marks the cut). */
export const NORMALIZED_MAX_CHARS = 300;

/** Signature part: lower-case `[a-z0-9._-]`, at most 40 characters, never empty. */
export function signaturePart(s: string): string {
  const p = s
    .slice(0, 120)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return p === '' ? 'unknown' : p;
}

const BACKEND = new Set(['backend', 'server', 'api', 'apis', 'srv']);
const FRONTEND = new Set(['frontend', 'client', 'web', 'webapp', 'ui']);

const FIRST_CHARS = 'bsafcwuBSAFCWU';
const SRC_UI = /(?:^|[\\/])src[\\/](?:components|pages)(?:[\\/]|$)/i;

/**
 * backend | frontend | both | all, from whole words (runs of ASCII letters and digits) and path segments of
 * the given texts: `src/components` and `src/pages` count as frontend. Never substrings: "build" has no "ui".
 */
export function detectTarget(texts: Iterable<string>): Target {
  let be = false;
  let fe = false;
  for (const text of texts) {
    if (!fe && SRC_UI.test(text)) fe = true;
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) | 32 : 0;
      if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0 && i - start >= 2 && i - start <= 8 && FIRST_CHARS.includes(text[start] ?? '')) {
        const w = text.slice(start, i).toLowerCase();
        if (BACKEND.has(w)) be = true;
        else if (FRONTEND.has(w)) fe = true;
      }
      start = -1;
    }
    if (be && fe) return 'both';
  }
  return be ? 'backend' : fe ? 'frontend' : 'all';
}

/** What an argument says about the target: options are skipped, `key=value` counts by its value only. */
function targetText(word: string): string {
  const eq = word.indexOf('=');
  if (eq >= 0) return word.slice(eq + 1);
  return word.startsWith('-') ? '' : word;
}

interface Picked {
  found: Found;
  words: readonly string[];
  dirs: string[];
}

function pick(command: string, depth: number): Picked | null {
  const dirs: string[] = [];
  let best: Picked | null = null;
  let bestRank = -1;
  for (const words of splitCommands(command)) {
    const local: string[] = [];
    const start = commandStart(words);
    if (start >= words.length) continue;
    const prog = progName(words[start] ?? '');
    const before = dirs.length;
    if ((prog === 'cd' || prog === 'pushd') && words[start + 1] !== undefined) dirs.push(words[start + 1] ?? '');
    // once a non-trivial command is held, only a known operation can replace it: skip the rest cheaply
    if (bestRank >= 2 && !SIMPLE.has(prog) && !SUBS.has(prog) && !DISPATCH.has(prog)) continue;
    let found = classify(words, start, local);
    let used: readonly string[] = words;
    if (found.nested !== undefined && depth < 3) {
      const inner = pick(found.nested, depth + 1);
      if (inner) {
        found = inner.found;
        used = inner.words;
        local.push(...inner.dirs);
      }
    }
    const rank = found.known ? 3 : !TRIVIAL.has(prog) ? 2 : prog === 'cd' || prog === 'pushd' ? 0 : 1;
    if (rank > bestRank) {
      best = { found, words: used, dirs: dirs.slice(0, before).concat(local) };
      bestRank = rank;
      if (rank === 3) break;
    }
  }
  return best;
}

/**
 * The operation a Bash command performs, or null when it runs nothing (empty, whitespace, comments only).
 * In a chain the first known operation wins; else the first non-trivial command; else the first trivial
 * one (echo, ls, ...) other than cd; else the first command. An `outloop run ... -- CMD` wrapper is the
 * operation of CMD, so offloaded calls keep counting for their pattern.
 */
export function extractOperation(command: string, cwd?: string | null): Operation | null {
  if (command.trim() === '') return null;
  const wrapped = unwrapRun(command);
  if (wrapped !== null) return extractOperation(wrapped, cwd);
  const best = pick(command, 0);
  if (best === null) return null;
  const { found, words, dirs } = best;
  const rest = words.slice(found.start);
  const first = rest[0];
  // known programs are shown by name: `.venv/bin/pytest -x` → `pytest -x`
  if (found.known && first !== undefined && baseName(first).toLowerCase() === found.program) rest[0] = found.program;
  const target: Target = found.known ? detectTarget([...(cwd ? [cwd] : []), ...dirs, ...rest.map(targetText)]) : 'all';
  const category = signaturePart(found.category);
  const subcategory = signaturePart(found.subcategory);
  return {
    signature: `${category}:${subcategory}:${target}`,
    category,
    subcategory,
    target,
    program: signaturePart(found.program),
    normalized: joinWords(rest, NORMALIZED_MAX_CHARS),
    known: found.known,
  };
}

/** Only Bash calls are operations; Read, Edit and the rest are not operations on their own. */
export function operationForTool(toolName: string, command: string | null, cwd?: string | null): Operation | null {
  if (toolName.toLowerCase() !== 'bash' || command === null) return null;
  return extractOperation(command, cwd);
}
