/**
 * `bun test`: ` N pass` / ` N skip` / ` N fail` and `Ran N tests across M files. [T]`; each failure's error
 * is printed before its `(fail) suite > test` line, so a failure's block is what came since the last result.
 */
import { cleanLines } from './generic.js';
import { failureFrom, parseDuration, renderTestRun, type TestFailure } from './test-report.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';

const RAN = /^Ran (\d+) tests? across (\d+) files?\.(?: \[([^\]]+)\])?$/;
const COUNT = /^\s*(\d+) (pass|skip|todo|fail|snapshots?|expect\(\) calls)$/;
// `(fail) name` without colour, `✗ name` with it
const RESULT = /^(\(pass\)|\(fail\)|\(skip\)|\(todo\)|✓|✗|»|✎) (.*?)(?: \[[\d.]+m?s\])?$/;
const FAILED = new Set(['(fail)', '✗']);
const RECAP = /^\d+ tests? (?:failed|skipped|todo):$/;

function failures(lines: readonly string[]): TestFailure[] {
  const out: TestFailure[] = [];
  let blockStart = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (RECAP.test(line)) break;
    const m = RESULT.exec(line);
    if (m === null) {
      if (/^\S.*:$/.test(line) && !line.startsWith('error:')) blockStart = i + 1; // a file header
      continue;
    }
    if (FAILED.has(m[1] ?? '')) out.push(failureFrom(m[2] ?? '', lines.slice(blockStart, i)));
    blockStart = i + 1;
  }
  if (out.length > 0) return out;
  // only the recap survived (the output was cut): names without details
  const recap = lines.findIndex((l) => /^\d+ tests? failed:$/.test(l));
  if (recap === -1) return out;
  for (let i = recap + 1; i < lines.length; i++) {
    const m = RESULT.exec(lines[i] ?? '');
    if (m === null || !FAILED.has(m[1] ?? '')) break;
    out.push({ name: m[2] ?? '', locations: [], detail: [] });
  }
  return out;
}

export const bunTestCompactor: Compactor = {
  id: 'bun-test',
  family: 'test',
  matches: (cmd: CommandInfo) => cmd.program === 'bun' && cmd.words[1] === 'test',
  sniff: (output: string) => /^Ran \d+ tests? across \d+ files?\./m.test(output),
  compact(_cmd: CommandInfo, output: string, exitCode: number | null): CompactBody | null {
    const lines = cleanLines(output);
    const at = lines.findLastIndex((l) => RAN.test(l));
    if (at === -1) return null;
    const ran = RAN.exec(lines[at] ?? '');
    const counts = new Map<string, number>();
    let start = at;
    while (start > 0 && COUNT.test(lines[start - 1] ?? '')) {
      start--;
      const m = COUNT.exec(lines[start] ?? '');
      counts.set(m?.[2] ?? '', Number(m?.[1]));
    }
    const pass = counts.get('pass');
    if (pass === undefined) return null;
    const durationMs = ran?.[3] === undefined ? undefined : parseDuration(ran[3]);
    const summary = lines.slice(start, at + 1).filter((l) => !/snapshot|expect\(\)/.test(l));
    return renderTestRun(
      {
        tool: 'bun test',
        passed: pass,
        failed: counts.get('fail') ?? 0,
        skipped: counts.get('skip') ?? 0,
        todo: counts.get('todo') ?? 0,
        files: Number(ran?.[2]),
        ...(durationMs === undefined ? {} : { durationMs }),
        failures: failures(lines.slice(0, start)),
        summary: [summary.map((l) => l.trim()).join(', ')],
      },
      exitCode,
    );
  },
};
