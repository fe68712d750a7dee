/**
 * `deno test`: `ok | N passed | N failed | N ignored (T)` (or `FAILED | …`), and the ` ERRORS ` section
 * with one `name => ./file:line:col` block per failure (the ` FAILURES ` recap names them again).
 */
import { cleanLines } from './generic.js';
import { failureFrom, parseDuration, renderTestRun, wordCounts, type TestFailure } from './test-report.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';

const RESULT = /^(ok|FAILED) \| (.*\d.*?)(?: \(([^)]+)\))?$/;
const HEAD = /^(.+) => (\S+:\d+:\d+)$/;

function failures(lines: readonly string[]): TestFailure[] {
  const errors = lines.findIndex((l) => l.trim() === 'ERRORS');
  const recap = lines.findIndex((l) => l.trim() === 'FAILURES');
  const out: TestFailure[] = [];
  if (errors !== -1) {
    const end = recap === -1 ? lines.length : recap;
    for (let i = errors + 1; i < end; i++) {
      const m = HEAD.exec(lines[i] ?? '');
      if (m === null) continue;
      const block: string[] = [];
      let j = i + 1;
      for (; j < end && !HEAD.test(lines[j] ?? ''); j++) block.push(lines[j] ?? '');
      i = j - 1;
      // the `error: ` prefix is deno's, the rest is the thrown error
      const body = block.map((l) => l.replace(/^error: /, ''));
      out.push(failureFrom(m[1] ?? '', body, [m[2] ?? '']));
    }
    return out;
  }
  if (recap === -1) return out;
  for (let i = recap + 1; i < lines.length; i++) {
    const m = HEAD.exec(lines[i] ?? '');
    if (m !== null) out.push({ name: m[1] ?? '', locations: [m[2] ?? ''], detail: [] });
  }
  return out;
}

export const denoTestCompactor: Compactor = {
  id: 'deno-test',
  family: 'test',
  matches: (cmd: CommandInfo) => cmd.program === 'deno' && cmd.words[1] === 'test',
  sniff: (output: string) => /^(?:ok|FAILED) \| \d+ passed \| \d+ failed/m.test(output),
  compact(_cmd: CommandInfo, output: string, exitCode: number | null): CompactBody | null {
    const lines = cleanLines(output);
    const at = lines.findLastIndex((l) => RESULT.test(l));
    if (at === -1) return null;
    const m = RESULT.exec(lines[at] ?? '');
    const counts = wordCounts(m?.[2] ?? '');
    if (!counts.has('passed')) return null;
    const durationMs = m?.[3] === undefined ? undefined : parseDuration(m[3]);
    return renderTestRun(
      {
        tool: 'deno test',
        passed: counts.get('passed') ?? 0,
        failed: counts.get('failed') ?? 0,
        skipped: counts.get('ignored') ?? 0,
        ...(durationMs === undefined ? {} : { durationMs }),
        failures: failures(lines.slice(0, at)),
        summary: [lines[at] ?? ''],
      },
      exitCode,
    );
  },
};
