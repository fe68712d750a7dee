/**
 * go test (plain, `-v` and `-json`): every `--- FAIL` with its `file_test.go:N:` messages, a panic with its
 * first frames outside the Go runtime, compile errors of test builds, and the FAIL package lines; passing
 * packages are counted.
 */
import { capList, clip, fileGroups, headerLine, splitLocation, subcommand, toolLines } from './toolchain-shared.js';
import { plural } from './lines.js';
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

interface Reader {
  r: GoRun;
  /** messages of each test so far, for `-v`, where they come before the test's `--- FAIL` */
  messages: Map<string, string[]>;
  /** the test that message lines belong to */
  current: string;
  /** frames kept of the panic being read, -1 outside a panic */
  panicFrames: number;
}

function onResult(s: Reader, status: string, name: string): void {
  if (status === 'PASS') s.r.passed++;
  else if (status === 'SKIP') s.r.skipped++;
  else {
    s.r.failures.push(name);
    s.r.blocks.push(`--- FAIL: ${name}`, ...(s.messages.get(name) ?? []).map((m) => `    ${m}`));
  }
  s.current = status === 'FAIL' ? name : '';
}

function onMessage(s: Reader, line: string): void {
  const list = s.messages.get(s.current) ?? [];
  if (list.length >= MAX_MESSAGES) return;
  list.push(clip(line.trim()));
  s.messages.set(s.current, list);
  // without -v the messages follow their `--- FAIL` line
  if (s.r.failures[s.r.failures.length - 1] === s.current) s.r.blocks.push(`    ${clip(line.trim())}`);
}

function onPanicFrame(s: Reader, line: string): void {
  const at = FRAME.exec(line)?.[1] ?? '';
  if (runtimeFrame(at)) return;
  s.r.blocks.push(`    at ${at}`);
  s.panicFrames++;
}

function onOtherLine(r: GoRun, line: string): void {
  if (PKG_OK.test(line)) r.ok++;
  else if (NO_TESTS.test(line)) r.noTests++;
  else if (PKG_FAIL.test(line)) r.pkgFail.push(line.replace(/\t/g, ' '));
  else if (COMPILE.test(line) || PKG_HEADER.test(line)) r.compile.push(clip(line, 300));
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
  const s: Reader = { r, messages: new Map(), current: '', panicFrames: -1 };
  for (const line of lines) {
    const run = RUN.exec(line);
    const res = run ? null : RESULT.exec(line);
    if (run) {
      r.verbose = true;
      s.current = run[1] ?? '';
    } else if (res) onResult(s, res[2] ?? '', res[3] ?? '');
    else if (s.current !== '' && MESSAGE.test(line)) onMessage(s, line);
    else if (line.startsWith('panic: ')) {
      r.blocks.push(clip(line));
      s.panicFrames = 0;
    } else if (s.panicFrames >= 0 && s.panicFrames < 2 && FRAME.test(line)) onPanicFrame(s, line);
    else onOtherLine(r, line);
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
      ...capList(
        fileGroups(r.compile.map((l) => splitLocation(l.replace(/^vet: /, '')) ?? { file: '', text: l })),
        300,
        'compile lines',
      ),
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
