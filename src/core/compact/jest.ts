/**
 * jest (29 and 30, default and verbose reporters): the `Test Suites:` / `Tests:` / `Time:` summary and one
 * `● suite › test` block per failure (a suite that failed to run is named by its file).
 */
import { cleanLines } from './generic.js';
import { failureFrom, parseDuration, renderTestRun, wordCounts, type TestFailure } from './test-report.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';

const TESTS = /^Tests:\s+(.*\d.*)$/;
const SUITES = /^Test Suites:\s+(.*\d.*)$/;
const TIME = /^Time:\s+([\d.]+ m?s)/;
const BULLET = /^\s{2}● (.+)$/;
const FILE = /^ ?(?:FAIL|PASS)\s+(\S.*?)\s*(?:\(.*\))?$/;

function failures(lines: readonly string[]): TestFailure[] {
  const out: TestFailure[] = [];
  const seen = new Set<string>();
  let file = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const f = FILE.exec(line);
    if (f !== null) file = f[1] ?? '';
    const m = BULLET.exec(line);
    if (m === null) continue;
    const title = m[1] ?? '';
    const block: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] ?? '';
      if (BULLET.test(l) || FILE.test(l) || SUITES.test(l) || l.startsWith('Summary of all failing tests')) break;
      block.push(l);
    }
    i = j - 1;
    if (title.startsWith('Console')) continue;
    const name = title.startsWith('Test suite failed to run') ? `${file} › ${title}` : title;
    const failure = failureFrom(name, block);
    const key = `${name}\n${failure.locations[0] ?? file}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (failure.locations.length === 0 && file !== '') failure.locations.push(file);
    out.push(failure);
  }
  return out;
}

export const jestCompactor: Compactor = {
  id: 'jest',
  family: 'test',
  matches: (cmd: CommandInfo) => cmd.program === 'jest',
  sniff: (output: string) => /^Test Suites:[ \t]+.*\d+ total[ \t]*$/m.test(output) && /^Tests:[ \t]+/m.test(output),
  compact(_cmd: CommandInfo, output: string, exitCode: number | null): CompactBody | null {
    const lines = cleanLines(output);
    const testsAt = lines.findLastIndex((l) => TESTS.test(l));
    if (testsAt === -1) return null;
    const counts = wordCounts(TESTS.exec(lines[testsAt] ?? '')?.[1] ?? '');
    const suitesAt = lines.findLastIndex((l) => SUITES.test(l));
    const suites = suitesAt === -1 ? undefined : wordCounts(SUITES.exec(lines[suitesAt] ?? '')?.[1] ?? '');
    const timeAt = lines.findLastIndex((l) => TIME.test(l));
    const time = timeAt === -1 ? undefined : TIME.exec(lines[timeAt] ?? '')?.[1];
    const durationMs = time === undefined ? undefined : parseDuration(time);
    const files = suites?.get('total');
    return renderTestRun(
      {
        tool: 'jest',
        passed: counts.get('passed') ?? 0,
        failed: counts.get('failed') ?? 0,
        skipped: counts.get('skipped') ?? 0,
        todo: counts.get('todo') ?? 0,
        ...(files === undefined ? {} : { files }),
        ...(durationMs === undefined ? {} : { durationMs }),
        failures: failures(lines.slice(0, suitesAt === -1 ? testsAt : suitesAt)),
        // the suites line too when suites failed: a suite that failed to run has no failed test to count it
        summary: [...(suites?.has('failed') === true ? [lines[suitesAt] ?? ''] : []), lines[testsAt] ?? ''],
      },
      exitCode,
    );
  },
};
