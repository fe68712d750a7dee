/**
 * The offload contract shared by the daemon (which writes `<state dir>/offload.json`), the PreToolUse hook
 * (which reads it to decide a rewrite) and `outloop run --pattern` (which reads it to refuse anything not
 * offloaded), plus the strict one-simple-command check both of the latter apply.
 */
import { isRecord, tryParseJson } from '../json-value.js';
import type { CompactFamily } from '../compact/types.js';
import { COMPACT_FAMILIES } from '../compact/types.js';

export const OFFLOAD_FILE_VERSION = 1;

/** One offloaded pattern. */
export interface OffloadEntry {
  signature: string;
  patternId: number;
  family: CompactFamily;
}

/** `<state dir>/offload.json`, rewritten atomically (tmp + rename, 0600) whenever approvals or switches change. */
export interface OffloadFile {
  v: typeof OFFLOAD_FILE_VERSION;
  /** the kill switch: false means nothing is rewritten and `outloop run --pattern` refuses */
  enabled: boolean;
  writtenAt: string;
  patterns: OffloadEntry[];
}

/** Reads offload.json text; null when it is missing, corrupt or of another version (no rewrite then). */
export function parseOffloadFile(text: string): OffloadFile | null {
  const parsed = tryParseJson(text);
  if (!parsed.ok || !isRecord(parsed.value)) return null;
  const o = parsed.value;
  if (o['v'] !== OFFLOAD_FILE_VERSION || typeof o['enabled'] !== 'boolean' || !Array.isArray(o['patterns']))
    return null;
  const patterns: OffloadEntry[] = [];
  for (const p of o['patterns']) {
    if (!isRecord(p)) return null;
    const { signature, patternId, family } = p;
    if (typeof signature !== 'string' || signature === '' || !Number.isSafeInteger(patternId)) return null;
    if (!COMPACT_FAMILIES.includes(family as CompactFamily)) return null;
    patterns.push({ signature, patternId: patternId as number, family: family as CompactFamily });
  }
  return {
    v: OFFLOAD_FILE_VERSION,
    enabled: o['enabled'],
    writtenAt: typeof o['writtenAt'] === 'string' ? o['writtenAt'] : '',
    patterns,
  };
}

/** The entry offloading `signature`, when offload is on and the pattern is in the file. */
export function offloadEntry(file: OffloadFile | null, signature: string): OffloadEntry | null {
  if (file === null || !file.enabled) return null;
  return file.patterns.find((p) => p.signature === signature) ?? null;
}

/**
 * A command that may be wrapped: exactly one simple command, optionally after `cd DIR &&` and environment
 * assignments. `cd` is the directory word as written (null without one).
 */
export type SimpleCommand = { ok: true; cd: string | null } | { ok: false; reason: string };

const CD_PREFIX = /^\s*cd[ \t]+((?:'[^']*'|"[^"$`\\]*"|[^\s;&|<>()'"`$\\])+)[ \t]*&&[ \t]*/;

/**
 * Accepts one simple command: words, quotes ('…' and "…" without substitutions inside), globs, `$VAR`
 * expansions and backslash escapes of ordinary characters. Refuses `;`, `|`, `&` (other than the one
 * `cd DIR &&`), redirections, subshells and grouping, `$(…)`, `${…}`, backticks, here-documents, comments
 * and newlines, so the wrapper runs exactly what a permission rule for the command would have judged.
 */
export function simpleCommand(command: string): SimpleCommand {
  const m = CD_PREFIX.exec(command);
  const cd = m ? (m[1] ?? null) : null;
  const rest = m ? command.slice(m[0].length) : command;
  if (rest.trim() === '') return { ok: false, reason: 'empty command' };
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = null;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '`' || (c === '$' && (rest[i + 1] === '(' || rest[i + 1] === '{')))
        return { ok: false, reason: 'substitution' };
      else if (c === '\\') i++;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') {
      if (rest[i + 1] === '\n' || rest[i + 1] === undefined) return { ok: false, reason: 'line continuation' };
      i++;
    } else if (c === '\n' || c === '\r') return { ok: false, reason: 'more than one line' };
    else if (c === ';' || c === '&' || c === '|') return { ok: false, reason: `'${c}' joins commands` };
    else if (c === '<' || c === '>') return { ok: false, reason: 'redirection' };
    else if (c === '(' || c === ')' || c === '{' || c === '}') return { ok: false, reason: 'grouping or subshell' };
    else if (c === '`') return { ok: false, reason: 'substitution' };
    else if (c === '$' && (rest[i + 1] === '(' || rest[i + 1] === '{')) return { ok: false, reason: 'substitution' };
    else if (c === '#' && (i === 0 || /\s/.test(rest[i - 1] ?? ''))) return { ok: false, reason: 'comment' };
  }
  if (quote !== null) return { ok: false, reason: 'unterminated quote' };
  return { ok: true, cd };
}

/** The prefix every wrapped command starts with, after the program path: `run --pattern SIG -- …`. */
export const RUN_SUBCOMMAND = 'run';

/**
 * What one `outloop run` reports, in its spool envelope `{"v":1,"receivedAt":ISO,"run":RunReport}`
 * (core/records/spool-envelope). The daemon turns it into a routed `tool_calls` row and a
 * `cost_savings_log` row, keyed by `id` so a re-read never counts it twice.
 */
export interface RunReport {
  /** `r-` + hex, also the kept log's name `<state dir>/runs/<id>.log` */
  id: string;
  /** the approved pattern it ran for (null for `outloop run` without `--pattern`) */
  signature: string | null;
  command: string;
  cwd: string;
  exitCode: number;
  /** the signal that ended the command, if any (exitCode is then 128 + its number) */
  signal: string | null;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  family: CompactFamily;
  tool: string;
  rawBytes: number;
  rawTokens: number;
  compactTokens: number;
  /** Claude Code's session, when the environment names it */
  sessionId: string | null;
}
