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
const PANIC_OLD = /^thread '([^']+)' panicked at '(.*)', (\S+:\d+:\d+)$/;
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

/** Each `---- name stdout ----` block: the panic location and the first lines of its message. */
function panics(lines: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let name = '';
  let message: string[] | null = null;
  for (const line of lines) {
    const block = STDOUT.exec(line);
    if (block) {
      name = block[1] ?? '';
      message = null;
      continue;
    }
    const old = PANIC_OLD.exec(line);
    const panic = PANIC.exec(line);
    if (name !== '' && (old || panic)) {
      message = old ? [`panicked at ${old[3]}`, `  ${clip(old[2] ?? '')}`] : [`panicked at ${panic?.[2] ?? ''}`];
      out.set(name, message);
      continue;
    }
    if (message === null) continue;
    if (line === '' || line.startsWith('note: ') || /^\s*stack backtrace:/.test(line) || line === 'failures:') {
      message = null;
    } else if (message.length <= MAX_MESSAGE) message.push(`  ${clip(line)}`);
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
