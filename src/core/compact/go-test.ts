/**
 * go test (plain, `-v` and `-json`): every `--- FAIL` with its `file_test.go:N:` messages, a panic with its
 * first frames outside the Go runtime, compile errors of test builds, and the FAIL package lines; passing
 * packages are counted.
 */
import { capList, clip, headerLine, plural, subcommand, toolLines } from './toolchain-shared.js';
import type { CompactBody, CompactFacts, Compactor } from './types.js';

const RESULT = /^(\s*)--- (PASS|FAIL|SKIP): (\S+) \(([\d.]+)s\)$/;
const RUN = /^=== (?:RUN|CONT|PAUSE|NAME)\s+(\S+)$/;
const MESSAGE = /^\s+\S+\.go:\d+: /;
const PKG_OK = /^ok\s+\S+/;
const PKG_FAIL = /^FAIL\t\S+/;
const NO_TESTS = /^\?\s+\S+\s+\[no test files\]$/;
const COMPILE = /^(?:vet: )?\S+\.go:\d+(?::\d+)?: /;
const PKG_HEADER = /^# \S+/;
const FRAME = /^\t(\S+\.go:\d+)/;
const MAX_MESSAGES = 4;

interface GoRun {
  failures: string[];
  blocks: string[];
  compile: string[];
  pkgFail: string[];
  ok: number;
  noTests: number;
  passed: number;
  skipped: number;
  verbose: boolean;
}

function runtimeFrame(path: string): boolean {
  return /\/go(?:-[\d.]+)?\/src\/(?:runtime|testing|reflect)\//.test(path);
}

/** The text `go test -json` would have printed without -json; null when a line is not a test event. */
export function goJsonText(lines: readonly string[]): string[] | null {
  const out: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (!line.startsWith('{')) {
      out.push(line);
      continue;
    }
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      return null;
    }
    if (typeof event !== 'object' || event === null || !('Action' in event)) return null;
    const text = (event as { Output?: unknown }).Output;
    if (typeof text === 'string') out.push(...text.replace(/\n$/, '').split('\n'));
  }
  return out;
}

function readRun(lines: readonly string[]): GoRun {
  const r: GoRun = {
    failures: [],
    blocks: [],
    compile: [],
    pkgFail: [],
    ok: 0,
    noTests: 0,
    passed: 0,
    skipped: 0,
    verbose: false,
  };
  const messages = new Map<string, string[]>();
  let current = '';
  let panicFrames = -1;
  for (const line of lines) {
    const run = RUN.exec(line);
    const res = RESULT.exec(line);
    if (run) {
      r.verbose = true;
      current = run[1] ?? '';
    } else if (res) {
      const [, , status, name = ''] = res;
      if (status === 'PASS') r.passed++;
      else if (status === 'SKIP') r.skipped++;
      else {
        r.failures.push(name);
        r.blocks.push(`--- FAIL: ${name}`, ...(messages.get(name) ?? []).map((m) => `    ${m}`));
      }
      current = status === 'FAIL' ? name : '';
    } else if (MESSAGE.test(line) && current !== '') {
      const list = messages.get(current) ?? [];
      if (list.length < MAX_MESSAGES) list.push(clip(line.trim()));
      messages.set(current, list);
      if (r.failures[r.failures.length - 1] === current && list.length <= MAX_MESSAGES)
        r.blocks.push(`    ${clip(line.trim())}`);
    } else if (line.startsWith('panic: ')) {
      r.blocks.push(clip(line));
      panicFrames = 0;
    } else if (panicFrames >= 0 && panicFrames < 2 && FRAME.test(line)) {
      const at = FRAME.exec(line)?.[1] ?? '';
      if (!runtimeFrame(at)) {
        r.blocks.push(`    at ${at}`);
        panicFrames++;
      }
    } else if (PKG_OK.test(line)) r.ok++;
    else if (NO_TESTS.test(line)) r.noTests++;
    else if (PKG_FAIL.test(line)) r.pkgFail.push(line.replace(/\t/g, ' '));
    else if (COMPILE.test(line) || PKG_HEADER.test(line)) r.compile.push(clip(line, 300));
  }
  return r;
}

function countsText(r: GoRun): string {
  const parts = [`${r.ok} ok`, `${r.pkgFail.length} FAIL`];
  if (r.noTests > 0) parts.push(`${r.noTests} without tests`);
  const tests = r.verbose ? `; tests: ${r.passed} passed, ${r.failures.length} failed, ${r.skipped} skipped` : '';
  return `packages ${parts.join(', ')}${tests}`;
}

export const goTestCompactor: Compactor = {
  id: 'go-test',
  family: 'test',
  matches: (cmd) => cmd.program === 'go' && subcommand(cmd) === 'test',
  sniff: (output) => /^(?:ok {2}\t\S+\t|FAIL\t\S+\t|--- FAIL: )/m.test(output),
  compact(_cmd, output, exitCode): CompactBody | null {
    const cleaned = toolLines(output);
    const lines = cleaned.some((l) => l.startsWith('{"')) ? goJsonText(cleaned) : cleaned;
    if (lines === null) return null;
    const r = readRun(lines);
    const readable = r.ok + r.pkgFail.length + r.noTests + r.failures.length + r.compile.length > 0;
    if (!readable) return null;
    if (exitCode !== null && exitCode !== 0 && r.pkgFail.length + r.failures.length + r.compile.length === 0)
      return null;
    const body = [
      headerLine('go test', countsText(r), exitCode),
      ...capList(r.blocks, 300, 'lines'),
      ...capList(r.compile, 200, 'compile lines'),
      ...r.pkgFail,
    ];
    const facts: CompactFacts = { tool: 'go-test', exitCode, failed: r.failures.length };
    if (r.verbose) Object.assign(facts, { passed: r.passed, skipped: r.skipped });
    if (r.failures.length > 0) facts.failures = r.failures;
    const locations = r.compile.filter((l) => COMPILE.test(l)).map((l) => l.replace(/^vet: /, '').replace(/: .*$/, ''));
    if (locations.length > 0) facts.locations = locations;
    facts.summary = r.pkgFail.length > 0 ? plural(r.pkgFail.length, 'failing package') : `${r.ok} ok`;
    return { text: body.join('\n'), facts };
  },
};
