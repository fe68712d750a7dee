/**
 * tsc and vue-tsc: every diagnostic's `file:line:col`, code and message kept; code frames, related
 * information and the per-file table of the pretty format left out.
 */
import { cleanLines } from './generic.js';
import { type Diagnostic, exitNote, fileCount, plural, renderDiagnostics, tidy, shorterOf } from './lines.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';

/** `src/a.ts(3,7): error TS2322: message` (the plain format, used when stdout is not a terminal) */
const PLAIN = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;
/** `src/a.ts:3:7 - error TS2322: message` (the pretty format) */
const PRETTY = /^(.+?):(\d+):(\d+) - (error|warning) (TS\d+): (.*)$/;
/** `error TS5023: Unknown compiler option 'x'.` (no location) */
const GLOBAL = /^(error|warning) (TS\d+): (.*)$/;
/** `Found 23 errors in 5 files.`, `Found 1 error in src/a.ts:1`, `Found 2 errors.`, with an optional watch timestamp */
const FOUND = /^(?:\[[^\]]*\] )?Found (\d+) errors?(?: in (?:(\d+) files|\S+?))?\.?(?: Watching for file changes\.)?$/;
/** a code-frame line of the pretty format: `12 code`, `   ~~~` */
const FRAME = /^\s*(\d+ .*|\d+|\s*~+\s*)$/;
const TABLE_HEAD = /^Errors\s+Files$/;
const TABLE_ROW = /^\s+\d+\s+\S+/;

interface Parsed {
  diags: Diagnostic[];
  summary: string;
  summaryErrors: number | null;
  summaryFiles: number | null;
  other: string[];
}

/** Appends the deepest elaboration of a multi-line message (the line that says what finally did not match). */
function elaborate(d: Diagnostic, line: string): void {
  const deepest = line.trim();
  const base = d.message.split(' … ')[0] ?? d.message;
  d.message = `${base} … ${deepest}`;
}

function parse(lines: readonly string[]): Parsed {
  const p: Parsed = { diags: [], summary: '', summaryErrors: null, summaryFiles: null, other: [] };
  let current: Diagnostic | null = null;
  /** true right after a header, while the message's own continuation lines follow */
  let inMessage = false;
  let inTable = false;
  for (const line of lines) {
    const m = PLAIN.exec(line) ?? PRETTY.exec(line);
    if (m) {
      const [, file, ln, col, sev, code, msg] = m;
      current = {
        location: `${file}:${ln}:${col}`,
        severity: sev === 'warning' ? 'warning' : 'error',
        code: code ?? '',
        message: msg ?? '',
      };
      p.diags.push(current);
      inMessage = true;
      inTable = false;
      continue;
    }
    const g = GLOBAL.exec(line);
    if (g) {
      current = {
        location: '',
        severity: g[1] === 'warning' ? 'warning' : 'error',
        code: g[2] ?? '',
        message: g[3] ?? '',
      };
      p.diags.push(current);
      inMessage = true;
      continue;
    }
    const f = FOUND.exec(line.trim());
    if (f) {
      p.summary = line.trim();
      p.summaryErrors = Number(f[1]);
      p.summaryFiles = f[2] !== undefined ? Number(f[2]) : Number(f[1]) > 0 ? 1 : 0;
      current = null;
      continue;
    }
    if (TABLE_HEAD.test(line)) {
      inTable = true;
      continue;
    }
    if (inTable && TABLE_ROW.test(line)) continue;
    if (line.trim() === '') {
      inMessage = false;
      continue;
    }
    if (current && inMessage && line.startsWith('  ')) {
      elaborate(current, line);
      continue;
    }
    // code frames and related information belong to the error above them
    if (current) continue;
    // the end of an error whose start was cut off (`| tail`)
    if (FRAME.test(line) || line.startsWith(' ')) continue;
    p.other.push(line);
  }
  return p;
}

function compactTsc(tool: string, output: string, exitCode: number | null): CompactBody | null {
  const lines = cleanLines(output);
  if (lines.every((l) => l.trim() === '')) {
    if (exitCode !== 0) return null;
    return { text: `${tool}: no errors ${exitNote(exitCode)}`, facts: { tool, exitCode, errors: 0, warnings: 0 } };
  }
  const p = parse(lines);
  if (p.diags.length === 0 && p.summaryErrors === null) return null;
  const errors = p.diags.filter((d) => d.severity === 'error');
  const warnings = p.diags.length - errors.length;
  const total = p.summaryErrors ?? errors.length;
  const files = p.summaryFiles ?? fileCount(errors);
  const shown =
    p.summaryErrors !== null && p.summaryErrors !== errors.length ? ` (${errors.length} in this output)` : '';
  const head =
    total === 0 && errors.length === 0
      ? `${tool}: no errors ${exitNote(exitCode)}`
      : `${tool}: ${plural(total, 'error')} in ${plural(files, 'file')}${shown} ${exitNote(exitCode)}`;
  const text = tidy([head, ...p.other, ...renderDiagnostics(p.diags), ...(p.summary ? [p.summary] : [])]);
  return {
    text: text.join('\n'),
    facts: {
      tool,
      exitCode,
      errors: total,
      warnings,
      files,
      locations: p.diags.map((d) => d.location).filter((l) => l !== ''),
      ...(p.summary ? { summary: p.summary } : {}),
    },
  };
}

const TSC_ERROR = /(?:^|\n)\S[^\n]*(?:\(\d+,\d+\): |:\d+:\d+ - )error TS\d+: /;

function tscFor(id: 'tsc' | 'vue-tsc'): Compactor {
  return {
    id,
    family: 'build',
    matches: (cmd: CommandInfo) => cmd.program === id,
    sniff: id === 'tsc' ? (output: string) => TSC_ERROR.test(output.slice(0, 200_000)) : undefined,
    compact: (_cmd, output, exitCode) => shorterOf(compactTsc(id, output, exitCode), output),
  };
}

export const tscCompactor = tscFor('tsc');
export const vueTscCompactor = tscFor('vue-tsc');
