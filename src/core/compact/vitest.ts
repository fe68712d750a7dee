/**
 * vitest (3 and 4, default and verbose reporters): the `Test Files` / `Tests` / `Duration` summary and one
 * ` FAIL  file > suite > test` block per failure, up to its `⎯⎯⎯[n/m]⎯` separator.
 */
import { cleanLines } from './generic.js';
import { failureFrom, parseDuration, renderTestRun, wordCounts, type TestFailure } from './test-report.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';

const TESTS = /^\s*Tests\s{2,}(.*\d.*?)\s*\((\d+)\)\s*$/;
const FILES = /^\s*Test Files\s{2,}(.*\d.*?)\s*\((\d+)\)\s*$/;
const DURATION = /^\s*Duration\s{2,}(\S+)/;
const FAIL = /^\s*FAIL\s+(.+?)\s*$/;
const SEPARATOR = /^⎯{3,}/;
const UNHANDLED = /^⎯+ (Unhandled (?:Rejection|Error)) ⎯+$/;
const ERRORS = /^\s*Errors\s{2,}\d+ errors?/;

/** Errors thrown outside any test (`Unhandled Rejection`), each up to the next separator; vitest counts them apart. */
function unhandled(lines: readonly string[]): TestFailure[] {
  const out: TestFailure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = UNHANDLED.exec((lines[i] ?? '').trim());
    if (m === null) continue;
    const block: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !SEPARATOR.test((lines[j] ?? '').trim()); j++) block.push(lines[j] ?? '');
    i = j - 1;
    // vitest's explanation of what such an error may mean is the same every time
    const kept = block.filter((l) => !/^(?:- |This error originated in )/.test(l));
    out.push(failureFrom(m[1] ?? '', kept));
  }
  return out;
}

function failures(lines: readonly string[]): TestFailure[] {
  const out: TestFailure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FAIL.exec(lines[i] ?? '');
    if (m === null) continue;
    const block: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] ?? '';
      if (FAIL.test(l) || SEPARATOR.test(l.trim()) || FILES.test(l)) break;
      block.push(l);
    }
    out.push(failureFrom(m[1] ?? '', block));
    i = j - 1;
  }
  return out;
}

export const vitestCompactor: Compactor = {
  id: 'vitest',
  family: 'test',
  matches: (cmd: CommandInfo) => cmd.program === 'vitest',
  sniff: (output: string) =>
    /^[ \t]*Test Files[ \t]{2,}.*\(\d+\)[ \t]*$/m.test(output) && /^[ \t]*Tests[ \t]{2,}/m.test(output),
  compact(_cmd: CommandInfo, output: string, exitCode: number | null): CompactBody | null {
    const lines = cleanLines(output);
    const testsAt = lines.findLastIndex((l) => TESTS.test(l));
    if (testsAt === -1) return null;
    const tests = TESTS.exec(lines[testsAt] ?? '');
    const counts = wordCounts(tests?.[1] ?? '');
    const filesAt = lines.findLastIndex((l) => FILES.test(l));
    const files = filesAt === -1 ? undefined : Number(FILES.exec(lines[filesAt] ?? '')?.[2]);
    const durationAt = lines.findLastIndex((l) => DURATION.test(l));
    const duration = durationAt === -1 ? undefined : DURATION.exec(lines[durationAt] ?? '')?.[1];
    const durationMs = duration === undefined ? undefined : parseDuration(duration);
    // the files line too when files failed: a file that failed to load has no failed test to count it
    const filesFailed = filesAt !== -1 && /\d+ failed/.test(lines[filesAt] ?? '');
    const errorsAt = lines.findLastIndex((l) => ERRORS.test(l));
    const summary = [
      ...(filesFailed ? [lines[filesAt] ?? ''] : []),
      lines[testsAt] ?? '',
      ...(errorsAt === -1 ? [] : [lines[errorsAt] ?? '']),
    ];
    return renderTestRun(
      {
        tool: 'vitest',
        passed: counts.get('passed') ?? 0,
        failed: counts.get('failed') ?? 0,
        skipped: counts.get('skipped') ?? 0,
        todo: counts.get('todo') ?? 0,
        ...(files === undefined ? {} : { files }),
        ...(durationMs === undefined ? {} : { durationMs }),
        failures: [
          ...failures(lines.slice(0, testsAt)),
          ...(output.includes('Unhandled ') ? unhandled(lines.slice(0, testsAt)) : []),
        ],
        summary,
      },
      exitCode,
    );
  },
};
