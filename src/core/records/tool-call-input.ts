/** What a tool input says, shared by the hook, transcript and stream-json parsers. */
import { isRecord, safeStringify } from '../json-value.js';
import { capText, utf8ByteLength } from '../text.js';

export const INPUT_JSON_CAP = 4096;
export const COMMAND_CAP = 4096;

export interface ToolInputFacts {
  command: string | null;
  inputJson: string | null;
  inputBytes: number;
  filePaths: string[];
}

const SHELL_TOOLS = new Set(['bash', 'powershell', 'shell']);
/** Input fields tried in order for the "most descriptive string" of a non-shell tool. */
const DESCRIPTIVE_KEYS = [
  'command',
  'file_path',
  'notebook_path',
  'pattern',
  'url',
  'query',
  'path',
  'skill',
  'subject',
  'description',
  'prompt',
] as const;
const PATH_KEYS = ['file_path', 'notebook_path', 'path'] as const;

/** command / inputJson / inputBytes / filePaths of a tool input (undefined input gives nulls). */
export function describeToolInput(toolName: string | null, input: unknown): ToolInputFacts {
  if (input === undefined || input === null) {
    return { command: null, inputJson: null, inputBytes: 0, filePaths: [] };
  }
  const json = safeStringify(input);
  const inputBytes = json === null ? 0 : utf8ByteLength(json);
  const inputJson = json === null ? null : capText(json, INPUT_JSON_CAP);
  let command: string | null = null;
  const filePaths: string[] = [];
  if (isRecord(input)) {
    const isShell = toolName !== null && SHELL_TOOLS.has(toolName.toLowerCase());
    if (isShell) {
      command = typeof input['command'] === 'string' ? input['command'] : null;
    } else {
      for (const k of DESCRIPTIVE_KEYS) {
        const v = input[k];
        if (typeof v === 'string' && v.trim() !== '') {
          command = v;
          break;
        }
      }
    }
    for (const k of PATH_KEYS) {
      const v = input[k];
      if (typeof v === 'string' && v !== '' && !filePaths.includes(v)) filePaths.push(v);
    }
  } else if (typeof input === 'string' && toolName !== null && SHELL_TOOLS.has(toolName.toLowerCase())) {
    command = input;
  }
  return {
    command: command === null ? null : capText(command, COMMAND_CAP),
    inputJson,
    inputBytes,
    filePaths,
  };
}

/** UTF-8 bytes of a tool response: the string itself, or its JSON; null when absent. */
export function responseBytes(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return utf8ByteLength(v);
  const json = safeStringify(v);
  return json === null ? null : utf8ByteLength(json);
}

const EXIT_AT_START_RE = /^\s*(?:Error:\s*)?Exit code:?\s+(-?\d+)/i;
const EXIT_ANYWHERE_RE = /\bExit code:?\s+(-?\d+)/i;

/** "Exit code N" at the start of the text (optionally after "Error:"), else null. */
export function exitCodeAtStart(text: string): number | null {
  const m = EXIT_AT_START_RE.exec(text.slice(0, 200));
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** "Exit code N" anywhere in the first 2000 chars of the text, else null. */
export function exitCodeInText(text: string): number | null {
  const m = EXIT_ANYWHERE_RE.exec(text.slice(0, 2000));
  return m?.[1] === undefined ? null : Number(m[1]);
}

// ---------- files a tool response brought into the context ----------

/** At most this many loaded paths are kept per call (the rest of a huge listing is dropped). */
export const LOADED_PATHS_CAP = 500;
/** A listing text is scanned up to this many chars; a cut text loses its partial last line. */
export const LISTING_SCAN_CAP = 256 * 1024;

/** Claude Code tools that read one file into the context. */
export const READ_TOOLS: ReadonlySet<string> = new Set(['Read', 'NotebookRead']);
/** Claude Code tools that search files and list what they found. */
export const SEARCH_TOOLS: ReadonlySet<string> = new Set(['Grep', 'Glob']);
/** Claude Code tools that change one file. */
export const EDIT_TOOLS: ReadonlySet<string> = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);
const SKIP_LINE_RE = /^(Found \d+ |No (files|matches) found|\(Results are truncated|\[truncated|--$)/;
const CONTENT_LINE_RES = [/^(.+?):\d+:/, /^(.+?)-\d+-/, /^(.+?\.[A-Za-z0-9]+):/] as const;
const COUNT_LINE_RE = /^(.+):\d+$/;
const ERROR_TEXT_RE = /^\s*(<tool_use_error>|Error:|File does not exist|EISDIR|ENOENT)/i;

/** A line that can only be a file path: a slash and no `: `/URL, or one word with an extension. */
function isPathLine(t: string): boolean {
  if (t.length > 1024 || t.includes('://') || /:\s/.test(t)) return false;
  if (/[/\\]/.test(t)) return /[^/\\]$/.test(t);
  return /^\S+\.[A-Za-z0-9]{1,10}$/.test(t);
}

/** The complete lines of text, scanned up to LISTING_SCAN_CAP (a cut last line is dropped). */
function scanLines(text: string): string[] {
  const cut = text.length > LISTING_SCAN_CAP;
  const lines = capText(text, LISTING_SCAN_CAP).split(/\r?\n/);
  if (cut) lines.pop();
  return lines;
}

function pushCapped(out: string[], name: string): void {
  if (name !== '' && out.length < LOADED_PATHS_CAP && !out.includes(name)) out.push(name);
}

/**
 * File names of a Glob / Grep files_with_matches text: every non-blank line but the header
 * (`Found N files`) and footer lines must be a path, else nothing (a Bash output is no listing).
 */
export function listingPaths(text: string): string[] {
  const out: string[] = [];
  for (const line of scanLines(text)) {
    const t = line.trim();
    if (t === '' || SKIP_LINE_RE.test(t)) continue;
    if (!isPathLine(t)) return [];
    pushCapped(out, t);
  }
  return out;
}

/**
 * File names at the start of Grep content-mode lines (`path:12:text`, `path-13-context`,
 * `path:text`) or count-mode lines (`path:3`).
 */
export function grepContentPaths(text: string, mode: 'content' | 'count' = 'content'): string[] {
  const out: string[] = [];
  const res = mode === 'count' ? [COUNT_LINE_RE] : CONTENT_LINE_RES;
  for (const line of scanLines(text)) {
    const t = line.trim();
    if (t === '' || SKIP_LINE_RE.test(t)) continue;
    for (const re of res) {
      const name = re.exec(t)?.[1];
      if (name !== undefined && isPathLine(name)) {
        pushCapped(out, name);
        break;
      }
    }
  }
  return out;
}

function stringArray(v: unknown): string[] | null {
  if (!Array.isArray(v)) return null;
  const out: string[] = [];
  for (const x of v) if (typeof x === 'string') pushCapped(out, x);
  return out;
}

/** Loaded paths from a structured response alone (Read `file.filePath`, Grep/Glob `filenames`). */
function structuredPaths(response: unknown): string[] | null {
  if (!isRecord(response)) return null;
  const file = response['file'];
  if (isRecord(file) && typeof file['filePath'] === 'string' && typeof response['type'] === 'string') {
    return [file['filePath']];
  }
  const names = stringArray(response['filenames']);
  if (names === null) return null;
  const content = response['content'];
  const mode = response['mode'];
  if (names.length === 0 && (mode === 'content' || mode === 'count') && typeof content === 'string') {
    return grepContentPaths(content, mode);
  }
  return names;
}

/**
 * The files a tool response brought into the context, as written (normalized later, with the cwd):
 * - Read / NotebookRead: the file read (`file.filePath` of the response, else the input path);
 * - Grep / Glob: the response's `filenames`, or the file names of its content (content mode) or of
 *   its text listing; a content-mode Grep of one file that names no file gives that file;
 * - tool unknown (a transcript tool_result, whose tool_use is on another line): judged from the
 *   response shape alone: a Read `file`, a `filenames` array, or a text that is only a path listing.
 * Nothing for an error response or any other tool. At most LOADED_PATHS_CAP paths.
 */
export function loadedPathsOf(toolName: string | null, input: unknown, response: unknown, isError: boolean): string[] {
  if (isError || response === undefined || response === null) return [];
  const known = toolName !== null && (READ_TOOLS.has(toolName) || SEARCH_TOOLS.has(toolName));
  if (toolName !== null && !known) return [];
  const inp = isRecord(input) ? input : {};
  if (toolName !== null && READ_TOOLS.has(toolName)) {
    if (typeof response === 'string' && ERROR_TEXT_RE.test(response.slice(0, 200))) return [];
    const s = structuredPaths(response);
    if (s !== null && s.length > 0) return s;
    const target = inp['file_path'] ?? inp['notebook_path'];
    return typeof target === 'string' && target !== '' ? [target] : [];
  }
  let out = structuredPaths(response) ?? stringArray(response);
  const mode = toolName === 'Grep' ? inp['output_mode'] : undefined;
  if (out === null && typeof response === 'string') {
    out = mode === 'content' || mode === 'count' ? grepContentPaths(response, mode) : listingPaths(response);
  }
  out ??= [];
  const searched = inp['path'];
  if (out.length === 0 && mode === 'content' && typeof searched === 'string') {
    const text = typeof response === 'string' ? response : isRecord(response) ? response['content'] : null;
    if (typeof text === 'string' && text.trim() !== '' && /\.[A-Za-z0-9]{1,10}$/.test(searched)) return [searched];
  }
  return out;
}
