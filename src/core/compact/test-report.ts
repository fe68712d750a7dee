/**
 * What every test-runner compactor reads (counts, failing tests with their first error lines and locations,
 * the runner's own summary lines) and the one compact form they all print.
 */
import type { CompactBody } from './types.js';

export interface TestFailure {
  /** the test's name as the runner prints it (suites joined the runner's way) */
  name: string;
  /** `file:line[:col]` of the failure, test file first; empty when the output names none */
  locations: string[];
  /** the first lines of the error (assertion, expected/received), without code frames and stack frames */
  detail: string[];
}

export interface TestRun {
  tool: string;
  passed?: number;
  failed?: number;
  skipped?: number;
  todo?: number;
  files?: number;
  durationMs?: number;
  failures: TestFailure[];
  /** the runner's own summary lines, verbatim */
  summary: string[];
}

const MAX_DETAIL = 6;
const MAX_LINE = 240;
const MAX_LOCATIONS = 3;
const MAX_SCAN = 2000;
/** The legend above a diff (`- Expected`, `+ Received`, `+ expected - actual`): the values below it say it all. */
const DIFF_LEGEND = /^\s*(?:[-+] (?:Expected|Received)|\+ expected - actual)\s*$/;

/** `file:line[:col]` inside a stack frame or code-frame pointer; node internals and dependencies are left out. */
const LOCATION = /(?:file:\/\/)?((?:[A-Za-z]:)?[^\s():'"`<>]*[^\s():'"`<>/]\.[A-Za-z0-9]+):(\d+)(?::(\d+))?/g;

/** The project locations named in a line (stack frames and pointers), in order. */
export function lineLocations(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(LOCATION)) {
    const file = m[1] ?? '';
    if (file.startsWith('node:') || file.includes('node_modules/') || file.startsWith('internal/')) continue;
    out.push(`${file}:${m[2] ?? ''}${m[3] === undefined ? '' : `:${m[3]}`}`);
  }
  return out;
}

/** A stack frame (`at fn (file:1:2)`), a code-frame line (` 12 | code`, `> 12 |`, `   |   ^`) or a lone caret. */
export function isFrameLine(line: string): boolean {
  return (
    /^\s*at\s/.test(line) ||
    /^\s*>?\s*\d+\s*\|/.test(line) ||
    /^\s*\|\s*\^?/.test(line) ||
    /^\s*\^+\s*$/.test(line) ||
    /^\s*❯\s/.test(line)
  );
}

/**
 * A failure from the lines of its error block: detail lines are the first non-blank lines that are not
 * frames; locations are the project frames, de-duplicated, the first MAX_LOCATIONS kept.
 */
export function failureFrom(name: string, block: readonly string[], first: readonly string[] = []): TestFailure {
  const detail: string[] = [];
  const locations: string[] = [...first];
  for (let i = 0; i < block.length; i++) {
    // a frame is looked at in its first MAX_SCAN characters: locations sit there, and regexes stay linear
    const line = (block[i] ?? '').slice(0, MAX_SCAN).trimEnd();
    if (line.trim() === '') continue;
    // a source line quoted above a caret (`   ^`) is part of a code frame
    if (/^\s*\^+\s*$/.test(block[i + 1] ?? '')) continue;
    if (DIFF_LEGEND.test(line)) continue;
    if (isFrameLine(line)) {
      for (const loc of lineLocations(line)) if (!locations.includes(loc)) locations.push(loc);
      continue;
    }
    if (detail.length < MAX_DETAIL) detail.push(cap(line.trim()));
  }
  return { name, locations: distinctLines(locations).slice(0, MAX_LOCATIONS), detail };
}

/** Locations with one per file and line: `a.ts:13:5` and `a.ts:13:43` are the same line of the same file. */
function distinctLines(locations: readonly string[]): string[] {
  const seen = new Set<string>();
  return locations.filter((loc) => {
    const key = loc.replace(/^(?:.*[/\\])?([^/\\:]+:\d+)(?::\d+)?$/, '$1');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function cap(line: string): string {
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
}

/** `12 passed, 3 failed` from whatever counts the runner gave (zero counts other than passed are left out). */
function countsText(run: TestRun): string {
  const parts: string[] = [];
  if (run.failed !== undefined && run.failed > 0) parts.push(`${run.failed} failed`);
  if (run.passed !== undefined) parts.push(`${run.passed} passed`);
  if (run.skipped !== undefined && run.skipped > 0) parts.push(`${run.skipped} skipped`);
  if (run.todo !== undefined && run.todo > 0) parts.push(`${run.todo} todo`);
  return parts.join(', ');
}

function durationText(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** The compact text and facts of a test run. */
export function renderTestRun(run: TestRun, exitCode: number | null): CompactBody {
  const head =
    `${run.tool}: ${countsText(run)}` +
    (run.durationMs === undefined ? '' : ` in ${durationText(run.durationMs)}`) +
    (run.files === undefined ? '' : ` (${run.files} file${run.files === 1 ? '' : 's'})`) +
    (exitCode === null ? '' : ` · exit ${exitCode}`);
  const lines = [head];
  const failing = (run.failed ?? 0) > 0 || run.failures.length > 0;
  for (const f of run.failures) {
    lines.push(`✗ ${f.name}`);
    for (const d of f.detail) lines.push(`    ${d}`);
    for (const loc of f.locations) lines.push(`    at ${loc}`);
  }
  const unnamed = (run.failed ?? 0) - run.failures.length;
  if (unnamed > 0) lines.push(`(${unnamed} more failing test${unnamed === 1 ? '' : 's'} not named in the output)`);
  if (failing) lines.push(...run.summary.map((s) => s.trim()));
  const locations = run.failures.flatMap((f) => f.locations);
  return {
    text: lines.join('\n'),
    facts: {
      tool: run.tool,
      exitCode,
      ...(run.passed === undefined ? {} : { passed: run.passed }),
      ...(run.failed === undefined ? {} : { failed: run.failed }),
      ...(run.skipped === undefined ? {} : { skipped: run.skipped }),
      ...(run.files === undefined ? {} : { files: run.files }),
      ...(run.durationMs === undefined ? {} : { durationMs: Math.round(run.durationMs) }),
      failures: run.failures.map((f) => f.name),
      locations: [...new Set(locations)],
      ...(run.summary.length === 0 ? {} : { summary: run.summary.map((s) => s.trim()).join(' · ') }),
    },
  };
}

/** `2.45s`, `12 ms`, `1.2 s`, `749ms`, `739µs`, `1m 3s` → milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+)m\s*)?(\d+(?:\.\d+)?)\s*(ms|s|µs|us)?$/.exec(text.trim());
  if (m === null) return undefined;
  const minutes = Number(m[1] ?? 0);
  const value = Number(m[2]);
  const unit = m[3] ?? 's';
  const ms = unit === 'ms' ? value : unit === 's' ? value * 1000 : value / 1000;
  return minutes * 60_000 + ms;
}

/** `3 failed | 24 passed | 1 skipped` or `3 failed, 1 skipped, 24 passed` → counts by word. */
export function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/(\d+)\s+([a-z]+)/g)) counts.set(m[2] ?? '', Number(m[1]));
  return counts;
}
