/**
 * mocha (spec reporter, 10 and 11): `N passing (T)`, `N pending`, `N failing`, then one numbered block per
 * failure whose title runs over indented lines (`1) suite`, `     test:`) before the error and its stack.
 */
import { cleanLines } from './generic.js';
import { failureFrom, parseDuration, renderTestRun, type TestFailure } from './test-report.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';

const PASSING = /^\s+(\d+) passing \(([^)]+)\)$/;
const COUNT = /^\s+(\d+) (pending|failing)$/;
const NUMBERED = /^\s+(\d+)\) (.*)$/;

function failures(lines: readonly string[]): TestFailure[] {
  const out: TestFailure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = NUMBERED.exec(lines[i] ?? '');
    if (m === null) continue;
    const title = [m[2] ?? ''];
    let j = i + 1;
    // the title goes on, one suite per line, until the line that ends with ':'
    while (!(title[title.length - 1] ?? '').endsWith(':') && j < lines.length && /^\s+\S/.test(lines[j] ?? '')) {
      title.push((lines[j] ?? '').trim());
      j++;
    }
    const block: string[] = [];
    for (; j < lines.length && !NUMBERED.test(lines[j] ?? ''); j++) block.push(lines[j] ?? '');
    i = j - 1;
    const name = title.join(' > ').replace(/:$/, '');
    out.push(
      failureFrom(
        name,
        block.filter((l) => !/^\s*\+ expected - actual$/.test(l)),
      ),
    );
  }
  return out;
}

export const mochaCompactor: Compactor = {
  id: 'mocha',
  family: 'test',
  matches: (cmd: CommandInfo) => cmd.program === 'mocha' || cmd.program === '_mocha',
  sniff: (output: string) => /^[ \t]+\d+ passing \(\d[^)\n]*\)$/m.test(output),
  compact(_cmd: CommandInfo, output: string, exitCode: number | null): CompactBody | null {
    const lines = cleanLines(output);
    const at = lines.findLastIndex((l) => PASSING.test(l));
    if (at === -1) return null;
    const passing = PASSING.exec(lines[at] ?? '');
    const counts = new Map<string, number>();
    let end = at + 1;
    for (; end < lines.length; end++) {
      const m = COUNT.exec(lines[end] ?? '');
      if (m === null) break;
      counts.set(m[2] ?? '', Number(m[1]));
    }
    const durationMs = parseDuration(passing?.[2] ?? '');
    return renderTestRun(
      {
        tool: 'mocha',
        passed: Number(passing?.[1]),
        failed: counts.get('failing') ?? 0,
        skipped: counts.get('pending') ?? 0,
        ...(durationMs === undefined ? {} : { durationMs }),
        failures: (counts.get('failing') ?? 0) > 0 ? failures(lines.slice(end)) : [],
        summary: lines.slice(at, end).map((l) => l.trim()),
      },
      exitCode,
    );
  },
};
