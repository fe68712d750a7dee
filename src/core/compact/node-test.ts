/**
 * `node --test` with its TAP reporter (the default off a terminal before Node 23) and its spec reporter:
 * the `# tests N` / `ℹ tests N` counters, and each failing test with its location and error. Suites that
 * failed only because a test inside them did are not failures of their own.
 */
import { cleanLines } from './generic.js';
import { failureFrom, renderTestRun, type TestFailure, type TestRun } from './test-report.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';

const COUNTER = /^(?:#|ℹ) (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ([\d.]+)$/;
const SUBTEST = /^(\s*)# Subtest: (.*)$/;
const NOT_OK = /^(\s*)not ok \d+ - (.*?)(?: # (?:SKIP|TODO).*)?$/;

function counters(lines: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of lines) {
    const m = COUNTER.exec(line);
    if (m !== null) out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

/** The YAML diagnostic block after a TAP `not ok` line: its keys' first lines and the `error` text. */
function tapDiagnostic(
  lines: readonly string[],
  from: number,
): { fields: Map<string, string>; error: string[]; end: number } {
  const fields = new Map<string, string>();
  const error: string[] = [];
  let i = from;
  if (!/^\s*---$/.test(lines[i] ?? '')) return { fields, error, end: i };
  const indent = (lines[i] ?? '').indexOf('-');
  let key = '';
  for (i++; i < lines.length && !/^\s*\.\.\.$/.test(lines[i] ?? ''); i++) {
    const line = lines[i] ?? '';
    const m = /^\s*([A-Za-z_]+):\s?(.*)$/.exec(line);
    if (m !== null && line.search(/\S/) === indent) {
      key = m[1] ?? '';
      const value = (m[2] ?? '').replace(/^'(.*)'$/, '$1');
      fields.set(key, value);
      if (key === 'error' && value !== '|-' && value !== '|' && value !== '>-') error.push(value);
    } else if (key === 'error') error.push(line.trim());
  }
  return { fields, error, end: i };
}

function tapFailures(lines: readonly string[]): TestFailure[] {
  const out: TestFailure[] = [];
  const path: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const sub = SUBTEST.exec(line);
    if (sub !== null) {
      const depth = Math.floor((sub[1] ?? '').length / 4);
      path.length = depth;
      path[depth] = sub[2] ?? '';
      continue;
    }
    const m = NOT_OK.exec(line);
    if (m === null) continue;
    const depth = Math.floor((m[1] ?? '').length / 4);
    const diag = tapDiagnostic(lines, i + 1);
    i = diag.end;
    const type = diag.fields.get('failureType');
    if (type === 'subtestsFailed') continue;
    const name = [...path.slice(0, depth), m[2] ?? ''].join(' > ');
    const location = diag.fields.get('location');
    const stack = diag.fields.has('stack') ? stackLines(lines, diag) : [];
    const errorName = diag.fields.get('name');
    const error = [...diag.error];
    if (errorName !== undefined && error[0] !== undefined && !error[0].startsWith(errorName))
      error[0] = `${errorName}: ${error[0]}`;
    out.push(failureFrom(name, [...error, ...stack], location ? [location.replace(/^file:\/\//, '')] : []));
  }
  return out;
}

/** The first frame of a TAP `stack: |-` block, written as an `at` line so it is read as a location. */
function stackLines(lines: readonly string[], diag: { end: number }): string[] {
  for (let i = diag.end - 1; i >= 0 && !/^\s*---$/.test(lines[i] ?? ''); i--) {
    if (/^\s*stack: \|-?$/.test(lines[i] ?? '')) return [`at ${(lines[i + 1] ?? '').trim()}`];
  }
  return [];
}

/** Spec reporter: `✖ failing tests:` then, per test, `test at FILE:L:C`, `✖ name (ms)` and the error lines. */
function specFailures(lines: readonly string[]): TestFailure[] {
  const start = lines.findIndex((l) => l.startsWith('✖ failing tests:'));
  if (start === -1) return [];
  const paths = treePaths(lines.slice(0, start));
  const out: TestFailure[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const at = /^test at (.+)$/.exec(lines[i] ?? '');
    const head = /^✖ (.*)$/.exec(lines[at ? i + 1 : i] ?? '');
    if (head === null) continue;
    if (at) i++;
    const block: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^(?:test at |✖ )/.test(lines[j] ?? ''); j++) block.push(lines[j] ?? '');
    i = j - 1;
    const leaf = head[1] ?? '';
    const name = paths.get(`✖ ${leaf}`) ?? leaf.replace(/ \([\d.]+m?s\)$/, '');
    out.push(
      failureFrom(
        name,
        block.filter((l) => !/^\s+[a-zA-Z]+: .*,?$|^\s*[{}]\s*$/.test(l)),
        at ? [(at[1] ?? '').trim()] : [],
      ),
    );
  }
  return out;
}

/** Full names (`suite > test`) of the spec tree's lines, keyed by the line's text (which carries its duration). */
function treePaths(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const path: string[] = [];
  for (const line of lines) {
    const m = /^( *)([▶✔✖﹣]) (.*?)(?: \([\d.]+m?s\))?(?: # .*)?$/.exec(line);
    if (m === null) continue;
    const depth = Math.floor((m[1] ?? '').length / 2);
    path.length = depth;
    path[depth] = m[3] ?? '';
    if (m[2] === '✖') out.set(line.trim(), path.join(' > '));
  }
  return out;
}

export const nodeTestCompactor: Compactor = {
  id: 'node-test',
  family: 'test',
  matches: (cmd: CommandInfo) =>
    (cmd.program === 'node' || cmd.program === 'tsx') &&
    cmd.words.some((w) => w === '--test' || w.startsWith('--test=')),
  sniff: (output: string) => /^(?:#|ℹ) tests \d+$/m.test(output) && /^(?:#|ℹ) pass \d+$/m.test(output),
  compact(_cmd: CommandInfo, output: string, exitCode: number | null): CompactBody | null {
    const lines = cleanLines(output);
    const c = counters(lines);
    const tests = c.get('tests');
    const pass = c.get('pass');
    if (tests === undefined || pass === undefined) return null;
    const tap = lines.some((l) => /^TAP version \d+$/.test(l) || NOT_OK.test(l));
    const summaryLines = lines.filter((l) => /^(?:#|ℹ) (tests|pass|fail|skipped|todo|cancelled) /.test(l));
    const duration = c.get('duration_ms');
    const run: TestRun = {
      tool: 'node --test',
      passed: pass,
      failed: c.get('fail') ?? 0,
      skipped: c.get('skipped') ?? 0,
      todo: c.get('todo') ?? 0,
      ...(duration === undefined ? {} : { durationMs: duration }),
      failures: tap ? tapFailures(lines) : specFailures(lines),
      summary: [summaryLines.map((l) => l.slice(2)).join(', ')],
    };
    return renderTestRun(run, exitCode);
  },
};
