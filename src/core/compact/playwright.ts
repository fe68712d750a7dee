/**
 * `playwright test` (list and line reporters): the closing `N failed` (followed by the failed tests),
 * `N flaky`, `N skipped`, `N passed (T)` lines, and one `  1) file:line:col › suite › test ───` block per
 * failure with its error.
 */
import { cleanLines } from './generic.js';
import { failureFrom, parseDuration, renderTestRun, type TestFailure } from './test-report.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';

const COUNT = /^ {2}(\d+) (passed|failed|flaky|skipped|did not run|interrupted)(?: \(([^)]+)\))?$/;
const HEADER = /^ {2}(\d+)\) (\S+:\d+:\d+) › (.*?)\s*─*$/;
const LISTED = /^ {4}(?:\[[^\]]+\] › )?(\S+:\d+:\d+) › (.*?)\s*─*$/;

function failures(lines: readonly string[]): TestFailure[] {
  const out: TestFailure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = HEADER.exec(lines[i] ?? '');
    if (m === null) continue;
    const block: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !HEADER.test(lines[j] ?? '') && !COUNT.test(lines[j] ?? ''); j++) {
      const l = lines[j] ?? '';
      if (!/^\s*Error Context: /.test(l) && !/^\s*(?:attachment|Retry) #?\d/.test(l)) block.push(l);
    }
    i = j - 1;
    out.push(failureFrom(m[3] ?? '', block, [m[2] ?? '']));
  }
  return out;
}

export const playwrightCompactor: Compactor = {
  id: 'playwright',
  family: 'test',
  matches: (cmd: CommandInfo) => cmd.program === 'playwright' && cmd.words[1] === 'test',
  sniff: (output: string) =>
    /^Running \d+ tests? using \d+ workers?/m.test(output) && /^ {2}\d+ passed \(/m.test(output),
  compact(_cmd: CommandInfo, output: string, exitCode: number | null): CompactBody | null {
    const lines = cleanLines(output);
    let end = lines.length;
    while (end > 0 && (lines[end - 1] ?? '').trim() === '') end--;
    // the summary: count lines at the end, each `N failed` / `N flaky` followed by the tests it names
    const counts = new Map<string, number>();
    const listed: TestFailure[] = [];
    let start = end;
    let durationMs: number | undefined;
    for (let i = end - 1; i >= 0; i--) {
      const line = lines[i] ?? '';
      const c = COUNT.exec(line);
      const l = LISTED.exec(line);
      if (c !== null) {
        counts.set(c[2] ?? '', Number(c[1]));
        if (c[3] !== undefined) durationMs ??= parseDuration(c[3]);
      } else if (l !== null) {
        listed.unshift({ name: l[2] ?? '', locations: [l[1] ?? ''], detail: [] });
      } else break;
      start = i;
    }
    if (counts.size === 0 || ![...counts.keys()].some((k) => k === 'passed' || k === 'failed')) return null;
    const named = failures(lines.slice(0, start));
    const found = named.length > 0 ? named : listed;
    return renderTestRun(
      {
        tool: 'playwright',
        passed: counts.get('passed') ?? 0,
        failed: counts.get('failed') ?? 0,
        skipped: (counts.get('skipped') ?? 0) + (counts.get('did not run') ?? 0),
        ...(durationMs === undefined ? {} : { durationMs }),
        failures: found,
        summary: lines.slice(start, end).filter((l) => COUNT.test(l)),
      },
      exitCode,
    );
  },
};
