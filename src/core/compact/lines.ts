/**
 * Parsing and rendering helpers shared by the build, lint, format, install and git compactors.
 */
import { cleanLines, collapseRepeats } from './generic.js';
import type { CommandInfo, CompactBody } from './types.js';

/** One diagnostic as a compactor read it: where, how bad, which rule or code, and its message. */
export interface Diagnostic {
  /** `file:line[:col]`, or '' for a diagnostic about the whole run */
  location: string;
  severity: 'error' | 'warning';
  /** rule or code (`TS2322`, `no-unused-vars`, `lint/style/useConst`), '' when the tool gave none */
  code: string;
  message: string;
}

/** Messages longer than this are cut, with `…` saying so. */
const MESSAGE_MAX = 240;
/** A rule or code with at least this many identical messages is written once with its locations. */
const GROUP_MIN = 3;

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function capMessage(message: string, max = MESSAGE_MAX): string {
  return message.length > max ? `${message.slice(0, max)}…` : message;
}

/** The first word after the program that is not an option (`git status -s` → `status`). */
export function subcommand(cmd: CommandInfo): string {
  for (const w of cmd.words.slice(1)) if (!w.startsWith('-')) return w;
  return '';
}

/** The git subcommand, skipping `-C dir`, `-c key=value` and other global options. */
export function gitSubcommand(cmd: CommandInfo): string {
  const words = cmd.words;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === '-C' || w === '-c' || w === '--git-dir' || w === '--work-tree') i++;
    else if (!w.startsWith('-')) return w;
  }
  return '';
}

export function hasWord(cmd: CommandInfo, ...words: string[]): boolean {
  return cmd.words.some((w) => words.includes(w));
}

/** Where the diagnostic is, with its code and message, on one line. */
function diagnosticLine(d: Diagnostic): string {
  const parts = [d.location, d.severity === 'warning' ? 'warning' : '', d.code, capMessage(d.message)];
  return parts.filter((p) => p !== '').join(' ');
}

/**
 * Renders diagnostics in the order given, one a line; a code and message seen GROUP_MIN times or more is
 * written once, where it first appears, followed by every location it was seen at.
 */
export function renderDiagnostics(diags: readonly Diagnostic[]): string[] {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diags) {
    const key = `${d.severity}\u0000${d.code}\u0000${d.message}`;
    const g = groups.get(key);
    if (g) g.push(d);
    else groups.set(key, [d]);
  }
  const out: string[] = [];
  const done = new Set<string>();
  for (const d of diags) {
    const key = `${d.severity}\u0000${d.code}\u0000${d.message}`;
    const g = groups.get(key) ?? [d];
    if (g.length < GROUP_MIN) {
      out.push(diagnosticLine(d));
      continue;
    }
    if (done.has(key)) continue;
    done.add(key);
    const head = [d.severity === 'warning' ? 'warning' : '', d.code, capMessage(d.message)].filter((p) => p !== '');
    out.push(`${head.join(' ')} (×${g.length}):`);
    out.push(`  ${g.map((x) => x.location || '(no location)').join(', ')}`);
  }
  return out;
}

/** Warnings listed one a line when few, otherwise counted by rule or code (most frequent first). */
export function renderWarnings(warnings: readonly Diagnostic[], listMax = 10): string[] {
  if (warnings.length === 0) return [];
  if (warnings.length <= listMax) return renderDiagnostics(warnings);
  const byCode = new Map<string, number>();
  for (const w of warnings) byCode.set(w.code || '(no rule)', (byCode.get(w.code || '(no rule)') ?? 0) + 1);
  const counts = [...byCode.entries()].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ×${n}`);
  return [`${plural(warnings.length, 'warning')} by rule: ${counts.join(', ')}`];
}

/** Distinct files among `file:line[:col]` locations. */
export function fileCount(diags: readonly Diagnostic[]): number {
  const files = new Set<string>();
  for (const d of diags) if (d.location !== '') files.add(d.location.replace(/:\d+(?::\d+)?$/, ''));
  return files.size;
}

/** The longest directory prefix (ending in `/`) shared by every absolute path, or '' when there is none. */
export function commonDir(paths: readonly string[]): string {
  const abs = paths.filter((p) => p !== '');
  if (abs.length === 0 || abs.some((p) => !p.startsWith('/'))) return '';
  let prefix = abs[0] ?? '';
  prefix = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  for (const p of abs) {
    while (prefix !== '' && !p.startsWith(prefix)) {
      prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
    }
  }
  return prefix.length > 1 ? prefix : '';
}

/** Drops `dir` from the front of every location (the header says which directory they are under). */
export function relativeTo(diags: readonly Diagnostic[], dir: string): Diagnostic[] {
  if (dir === '') return [...diags];
  return diags.map((d) => (d.location.startsWith(dir) ? { ...d, location: d.location.slice(dir.length) } : d));
}

/** Items joined, up to `max`; the rest counted. */
export function joinCapped(items: readonly string[], max: number, sep = ', '): string {
  if (items.length <= max) return items.join(sep);
  return `${items.slice(0, max).join(sep)}${sep}… ${items.length - max} more`;
}

/** Lines without blank ones at either end and without runs of blank lines. */
export function tidy(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    if (l.trim() === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(l.trim() === '' ? '' : l);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** `(exit N)`, or `(exit status unknown)` when the run was killed or not waited for. */
export function exitNote(exitCode: number | null): string {
  return exitCode === null ? '(exit status unknown)' : `(exit ${exitCode})`;
}

/**
 * The compact body, or the output itself (ANSI removed, repeats counted, with the exit status when it is
 * not 0) when that is no longer: a short output is already its own summary.
 */
export function shorterOf(body: CompactBody | null, output: string): CompactBody | null {
  if (body === null) return null;
  const lines = cleanLines(output);
  if (lines.every((l) => l.trim() === '')) return body;
  const raw = collapseRepeats(lines);
  if (body.facts.exitCode !== 0) raw.push(exitNote(body.facts.exitCode));
  const plain = raw.join('\n');
  return plain.length < body.text.length ? { text: plain, facts: body.facts } : body;
}
