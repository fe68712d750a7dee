/**
 * rustc diagnostics as cargo build, check, clippy and test print them: each `error[E0308]: message` or
 * `warning: message` with its ` --> file:line:col` and lint name, and cargo's own closing lines.
 */
import { capList, clip, fileGroups, headerLine, subcommand, toolLines } from './toolchain-shared.js';
import { plural } from './lines.js';
import type { FileLine } from './toolchain-shared.js';
import type { CompactBody, CompactFacts, Compactor } from './types.js';

const HEAD = /^(error|warning)(?:\[(\w+)\])?: (.*)$/;
const ARROW = /^\s*--> (\S+:\d+:\d+)$/;
const LINT = /^\s*= note: `#\[(?:warn|deny)\(([\w:]+)\)\]`/;
/** cargo's own lines: `error: could not compile`, `warning: `x` (bin "x") generated 2 warnings`, ... */
const CARGO_LINE =
  /^(?:error: (?:could not compile|test failed|aborting)|warning: `[^`]+` \(.*\) generated|error: \d+ previous errors?)/;

export interface Diagnostic {
  level: 'error' | 'warning';
  code: string;
  message: string;
  location: string;
}

export interface RustDiagnostics {
  diagnostics: Diagnostic[];
  cargoLines: string[];
}

/** Every diagnostic with its first location and lint name; cargo's summary lines apart. */
export function readRustDiagnostics(lines: readonly string[]): RustDiagnostics {
  const diagnostics: Diagnostic[] = [];
  const cargoLines: string[] = [];
  let current: Diagnostic | null = null;
  for (const line of lines) {
    if (CARGO_LINE.test(line)) {
      cargoLines.push(line);
      current = null;
      continue;
    }
    const head = HEAD.exec(line);
    if (head) {
      const level = head[1] === 'error' ? 'error' : 'warning';
      current = { level, code: head[2] ?? '', message: head[3] ?? '', location: '' };
      diagnostics.push(current);
      continue;
    }
    if (current === null) continue;
    const arrow = ARROW.exec(line);
    if (arrow && current.location === '') current.location = arrow[1] ?? '';
    const lint = LINT.exec(line);
    if (lint && current.code === '') current.code = lint[1] ?? '';
    if (/^(?:help|note): /.test(line)) current = null;
  }
  // a bare `warning: …` without a location is a summary such as `build failed, waiting for other jobs`
  return { diagnostics: diagnostics.filter((d) => d.location !== '' || d.code !== ''), cargoLines };
}

/** `src/main.rs` and `9:22 error[E0308]: mismatched types`. */
function diagnosticItem(d: Diagnostic): FileLine {
  const code = d.code === '' ? '' : `[${d.code}]`;
  const m = /^(.*):(\d+:\d+)$/.exec(d.location);
  const text = clip(`${m ? `${m[2]} ` : ''}${d.level}${code}: ${d.message}`, 240);
  return { file: m?.[1] ?? '', text };
}

/** The diagnostics under their files, in rustc's order. */
export function diagnosticLines(diags: readonly Diagnostic[]): string[] {
  return fileGroups(diags.map(diagnosticItem));
}

export function diagnosticFacts(diags: readonly Diagnostic[]): Pick<CompactFacts, 'errors' | 'warnings' | 'locations'> {
  const errors = diags.filter((d) => d.level === 'error');
  return {
    errors: errors.length,
    warnings: diags.length - errors.length,
    locations: errors.map((d) => d.location).filter((l) => l !== ''),
  };
}

export const rustcCompactor: Compactor = {
  id: 'cargo-build',
  family: 'build',
  matches: (cmd) =>
    (cmd.program === 'cargo' && ['build', 'check', 'clippy', 'b', 'c', 'rustc'].includes(subcommand(cmd))) ||
    cmd.program === 'rustc',
  compact(cmd, output, exitCode): CompactBody | null {
    const lines = toolLines(output);
    const { diagnostics, cargoLines } = readRustDiagnostics(lines);
    const finished = lines.find((l) => /^\s*Finished /.test(l));
    if (diagnostics.length === 0 && finished === undefined) return null;
    const facts = diagnosticFacts(diagnostics);
    const what = `${plural(facts.errors ?? 0, 'error')}, ${plural(facts.warnings ?? 0, 'warning')}`;
    const tool = cmd.program === 'cargo' ? `cargo ${subcommand(cmd)}` : 'rustc';
    const body = [
      headerLine(tool, what, exitCode),
      ...capList(diagnosticLines(diagnostics), 300, 'lines'),
      ...cargoLines.filter((l) => !l.startsWith('warning: ') || diagnostics.length === 0),
      ...(finished && diagnostics.length === 0 ? [finished.trim()] : []),
    ];
    const summary = cargoLines[cargoLines.length - 1] ?? finished?.trim() ?? what;
    return { text: body.join('\n'), facts: { tool: 'cargo-build', exitCode, ...facts, summary } };
  },
};
