/**
 * cargo test: the `test result:` counts summed over the test binaries, then every failing test with where it
 * panicked and the panic message; a test build that does not compile is read as rustc diagnostics.
 */
import { diagnosticFacts, diagnosticLines, readRustDiagnostics } from './rustc.js';
import { capList, clip, headerLine, subcommand, toolLines, unique } from './toolchain-shared.js';
import type { CompactBody, CompactFacts, Compactor } from './types.js';

const RESULT =
  /^test result: (\w+)\. (\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured; (\d+) filtered out(?:; finished in ([\d.]+)s)?/;
const FAILED_TEST = /^test (.+?) \.\.\. FAILED$/;
const STDOUT = /^---- (.+?) stdout ----$/;
const PANIC = /^thread '([^']+)'(?: \(\d+\))? panicked at (\S+?):?$/;
const MAX_MESSAGE = 3;

interface Totals {
  passed: number;
  failed: number;
  ignored: number;
  results: number;
  ok: boolean;
}

function sumResults(lines: readonly string[]): Totals {
  const t: Totals = { passed: 0, failed: 0, ignored: 0, results: 0, ok: true };
  for (const line of lines) {
    const m = RESULT.exec(line);
    if (!m) continue;
    t.results++;
    t.ok &&= m[1] === 'ok';
    t.passed += Number(m[2]);
    t.failed += Number(m[3]);
    t.ignored += Number(m[4]);
  }
  return t;
}

/** rustc before 1.73 quotes the message, which may span lines: `panicked at 'left: 4,\n right: 5', src/lib.rs:3:5` */
const OLD_START = /^thread '([^']+)' panicked at '(.*)$/;
const OLD_END = /^(.*)', (\S+:\d+:\d+)$/;

interface PanicReader {
  name: string;
  /** `panicked at file:line:col`, then the message lines; null outside a panic message */
  message: string[] | null;
  /** inside a quoted message that has not reached its closing `', file:line:col` yet */
  quoted: boolean;
}

function addLine(message: string[], text: string): void {
  if (message.length <= MAX_MESSAGE && text.trim() !== '') message.push(`  ${clip(text)}`);
}

/** A line inside an old-style quoted message; its last line names the location. */
function onQuotedLine(s: PanicReader, line: string): void {
  const end = OLD_END.exec(line);
  const message = s.message ?? [];
  addLine(message, end ? (end[1] ?? '') : line);
  if (end) {
    message[0] = `panicked at ${end[2] ?? ''}`;
    s.quoted = false;
  }
}

/** A line that may start a panic or continue its message. */
function onPanicLine(s: PanicReader, out: Map<string, string[]>, line: string): void {
  const panic = PANIC.exec(line);
  const old = panic ? null : OLD_START.exec(line);
  if (s.name !== '' && (panic || old)) {
    s.message = [panic ? `panicked at ${panic[2] ?? ''}` : 'panicked'];
    out.set(s.name, s.message);
    if (old) {
      s.quoted = true;
      onQuotedLine(s, old[2] ?? '');
    }
    return;
  }
  if (s.message === null) return;
  if (line === '' || line.startsWith('note: ') || /^\s*stack backtrace:/.test(line) || line === 'failures:') {
    s.message = null;
  } else addLine(s.message, line);
}

/** Each `---- name stdout ----` block: the panic location and the first lines of its message. */
function panics(lines: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const s: PanicReader = { name: '', message: null, quoted: false };
  for (const line of lines) {
    const block = STDOUT.exec(line);
    if (block) Object.assign(s, { name: block[1] ?? '', message: null, quoted: false });
    else if (s.quoted) onQuotedLine(s, line);
    else onPanicLine(s, out, line);
  }
  return out;
}

/** The names under the closing `failures:` list, which a `| tail` keeps when the `... FAILED` lines are gone. */
function failuresList(lines: readonly string[]): string[] {
  const names: string[] = [];
  let inList = false;
  for (const line of lines) {
    if (line === 'failures:') inList = true;
    else if (inList && /^ {4}\S/.test(line)) names.push(line.trim());
    else if (inList && line !== '') inList = false;
  }
  return names;
}

export const cargoTestCompactor: Compactor = {
  id: 'cargo-test',
  family: 'test',
  matches: (cmd) => cmd.program === 'cargo' && ['test', 't'].includes(subcommand(cmd)),
  sniff: (output) => /^test result: (?:ok|FAILED)\. \d+ passed; /m.test(output),
  compact(_cmd, output, exitCode): CompactBody | null {
    const lines = toolLines(output);
    const totals = sumResults(lines);
    const failedNames = unique([...lines.map((l) => FAILED_TEST.exec(l)?.[1] ?? ''), ...failuresList(lines)]).filter(
      (n) => n !== '',
    );
    const { diagnostics, cargoLines } = readRustDiagnostics(lines);
    const compileErrors = diagnostics.filter((d) => d.level === 'error');
    if (totals.results === 0 && compileErrors.length === 0) return null;
    const byName = panics(lines);
    const blocks = failedNames.flatMap((n) => {
      const [where, ...message] = byName.get(n) ?? [];
      return [`FAILED ${n}${where ? `  ${where}` : ''}`, ...message];
    });
    const what =
      totals.results === 0
        ? 'test build failed'
        : `${totals.ok ? 'ok' : 'FAILED'}. ${totals.passed} passed; ${totals.failed} failed; ${totals.ignored} ignored`;
    const rerun = lines.filter((l) => /^error: (?:test failed|doctest failed|\d+ targets? failed)/.test(l));
    const body = [
      headerLine('cargo test', what, exitCode),
      ...capList(blocks, 400, 'lines'),
      ...capList(diagnosticLines(diagnostics), 300, 'lines'),
      ...(totals.results === 0 ? cargoLines : rerun),
    ];
    const facts: CompactFacts = { tool: 'cargo-test', exitCode, summary: what };
    if (totals.results > 0)
      Object.assign(facts, { passed: totals.passed, failed: totals.failed, skipped: totals.ignored });
    if (failedNames.length > 0) facts.failures = failedNames;
    if (compileErrors.length > 0) Object.assign(facts, diagnosticFacts(diagnostics));
    return { text: body.join('\n'), facts };
  },
};
