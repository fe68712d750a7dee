/**
 * ESLint in its stylish (default), compact and unix formats: every error with `file:line:col` and rule,
 * warnings listed when few and counted by rule otherwise, ESLint's own summary lines kept.
 */
import { cleanLines } from './generic.js';
import {
  type Diagnostic,
  commonDir,
  exitNote,
  fileCount,
  plural,
  relativeTo,
  renderDiagnostics,
  renderWarnings,
  tidy,
  shorterOf,
} from './lines.js';
import type { CompactBody, Compactor } from './types.js';

/** `  12:5  error  message  rule` (stylish; the rule column is empty for parse errors) */
const STYLISH = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.*?)(?:\s{2,}(\S+))?$/;
/** `file: line 2, col 5, Error - message (rule)` */
const COMPACT = /^(.+): line (\d+), col (\d+), (Error|Warning) - (.*?)(?: \(([^\s()]+)\))?$/;
/** `file:2:5: message [Error/rule]` */
const UNIX = /^(.+?):(\d+):(\d+): (.*) \[(Error|Warning)(?:\/(\S+))?\]$/;
/** `✖ 20 problems (14 errors, 6 warnings)` */
const STYLISH_SUMMARY = /^✖ (\d+) problems? \((\d+) errors?, (\d+) warnings?\)$/;
/** `20 problems` (compact and unix) */
const COUNT_SUMMARY = /^(\d+) problems?$/;
const FIXABLE = /^\s*\d+ errors? and \d+ warnings? potentially fixable/;
const TOO_MANY = /^ESLint found too many warnings/;

interface Parsed {
  diags: Diagnostic[];
  summary: string[];
  problems: number | null;
  errors: number | null;
  warnings: number | null;
  other: string[];
}

function diag(
  file: string,
  line: string,
  col: string | undefined,
  sev: string,
  msg: string,
  rule?: string,
): Diagnostic {
  return {
    location: col !== undefined ? `${file}:${line}:${col}` : `${file}:${line}`,
    severity: sev.toLowerCase() === 'warning' ? 'warning' : 'error',
    code: rule ?? '',
    message: msg.replace(/\.$/, ''),
  };
}

/** One line of output; false when the line is none of ESLint's. */
function readLine(p: Parsed, line: string, file: string): boolean {
  const s = STYLISH.exec(line);
  if (s && file !== '') {
    p.diags.push(diag(file, s[1] ?? '', s[2], s[3] ?? '', s[4] ?? '', s[5]));
    return true;
  }
  const c = COMPACT.exec(line);
  if (c) {
    p.diags.push(diag(c[1] ?? '', c[2] ?? '', c[3], c[4] ?? '', c[5] ?? '', c[6]));
    return true;
  }
  const u = UNIX.exec(line);
  if (u) {
    p.diags.push(diag(u[1] ?? '', u[2] ?? '', u[3], u[5] ?? '', u[4] ?? '', u[6]));
    return true;
  }
  const sum = STYLISH_SUMMARY.exec(line);
  if (sum) {
    p.problems = Number(sum[1]);
    p.errors = Number(sum[2]);
    p.warnings = Number(sum[3]);
    p.summary.push(line);
    return true;
  }
  const count = COUNT_SUMMARY.exec(line);
  if (count) {
    p.problems = Number(count[1]);
    p.summary.push(line);
    return true;
  }
  if (FIXABLE.test(line) || TOO_MANY.test(line)) {
    p.summary.push(line.trim());
    return true;
  }
  return false;
}

function parse(lines: readonly string[]): Parsed {
  const p: Parsed = { diags: [], summary: [], problems: null, errors: null, warnings: null, other: [] };
  let file = '';
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (readLine(p, line, file)) continue;
    // a stylish file header: a path on its own line, not indented
    if (
      !line.startsWith(' ') &&
      /^(?:\/|[A-Za-z]:\\|\.{0,2}[\w@.-]*\/)?\S.*\.\w+$/.test(line) &&
      !line.includes(': ')
    ) {
      file = line;
      continue;
    }
    p.other.push(line);
  }
  return p;
}

function compactEslint(output: string, exitCode: number | null): CompactBody | null {
  const lines = cleanLines(output);
  if (lines.every((l) => l.trim() === '')) {
    if (exitCode !== 0) return null;
    return {
      text: `eslint: no problems ${exitNote(exitCode)}`,
      facts: { tool: 'eslint', exitCode, errors: 0, warnings: 0 },
    };
  }
  const p = parse(lines);
  if (p.diags.length === 0 && p.problems === null) return null;
  const dir = commonDir(p.diags.map((d) => d.location));
  const diags = relativeTo(p.diags, dir);
  const errors = diags.filter((d) => d.severity === 'error');
  const warnings = diags.filter((d) => d.severity === 'warning');
  const nErrors = p.errors ?? errors.length;
  const nWarnings = p.warnings ?? warnings.length;
  const shown = p.problems !== null && p.problems !== diags.length ? ` (${diags.length} in this output)` : '';
  const under = dir !== '' ? ` under ${dir}` : '';
  const head = `eslint: ${plural(nErrors, 'error')}, ${plural(nWarnings, 'warning')} in ${plural(fileCount(diags), 'file')}${under}${shown} ${exitNote(exitCode)}`;
  const text = tidy([head, ...p.other, ...renderDiagnostics(errors), ...renderWarnings(warnings), ...p.summary]);
  return {
    text: text.join('\n'),
    facts: {
      tool: 'eslint',
      exitCode,
      errors: nErrors,
      warnings: nWarnings,
      files: fileCount(diags),
      locations: p.diags.map((d) => d.location),
      ...(p.summary[0] !== undefined ? { summary: p.summary[0] } : {}),
    },
  };
}

export const eslintCompactor: Compactor = {
  id: 'eslint',
  family: 'lint',
  matches: (cmd) => cmd.program === 'eslint',
  sniff: (output) => /(?:^|\n)✖ \d+ problems? \(\d+ errors?, \d+ warnings?\)/.test(output.slice(-20_000)),
  compact: (_cmd, output, exitCode) => shorterOf(compactEslint(output, exitCode), output),
};
