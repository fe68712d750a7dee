/**
 * esbuild and tsup (which prints esbuild's messages, tsc's for `--dts`, and its own `FORMAT …` lines): every
 * error with its `file:line:col`, warnings listed when few; code frames, notes and stack traces left out;
 * output files counted; the tool's own result lines kept.
 */
import { cleanLines } from './generic.js';
import { type Diagnostic, exitNote, plural, renderDiagnostics, renderWarnings, tidy, shorterOf } from './lines.js';
import type { CompactBody, Compactor } from './types.js';

/** `✘ [ERROR] message [id]` / `▲ [WARNING] message [id]` */
const HEAD = /^\s*(?:✘|▲|X|!)?\s*\[(ERROR|WARNING)\] (.*?)(?: \[([\w-]+)\])?$/;
/** `    src/index.ts:1:18:` right under the header */
const WHERE = /^\s+(\S.*?):(\d+):(\d+):$/;
/** `2 warnings and 2 errors`, `1 error`, `3 warnings` */
const COUNTS = /^(?:(\d+) warnings?)?(?: and )?(?:(\d+) errors?)?$/;
const DONE = /^⚡ Done in /;
/** an output file: `  dist/out.js  110b ` */
const OUTPUT = /^\s+\S+\s+[\d.]+(?:b|kb|mb|gb)\s*$/i;
/** tsc's plain diagnostics, printed by tsup's declaration build */
const TSC = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;
/** tsup's own lines: `CLI …`, `ESM dist/index.js 82.00 B`, `CJS ⚡️ Build success in 166ms`, `DTS Build start` */
const TSUP = /^(CLI|ESM|CJS|IIFE|DTS) (.*)$/;
const TSUP_OUTPUT = /^\S+\s+[\d.]+ (?:B|KB|MB|GB)$/;
const STACK = /^\s+at /;

interface Parsed {
  diags: Diagnostic[];
  outputs: number;
  results: string[];
  errors: number | null;
  warnings: number | null;
  other: string[];
}

function readTsup(p: Parsed, line: string): boolean {
  const t = TSUP.exec(line);
  if (!t) return false;
  const rest = t[2] ?? '';
  if (TSUP_OUTPUT.test(rest)) p.outputs++;
  else if (/success|fail|error/i.test(rest)) p.results.push(line);
  return true;
}

function readCounts(p: Parsed, line: string): boolean {
  const c = line.trim() === '' ? null : COUNTS.exec(line.trim());
  if (c && (c[1] !== undefined || c[2] !== undefined)) {
    p.warnings = Number(c[1] ?? 0);
    p.errors = Number(c[2] ?? 0);
    p.results.push(line.trim());
    return true;
  }
  if (DONE.test(line)) {
    p.results.push(line);
    return true;
  }
  return false;
}

function parse(lines: readonly string[]): Parsed {
  const p: Parsed = { diags: [], outputs: 0, results: [], errors: null, warnings: null, other: [] };
  let current: Diagnostic | null = null;
  for (const line of lines) {
    const h = HEAD.exec(line);
    if (h) {
      const severity = h[1] === 'WARNING' ? 'warning' : 'error';
      current = { location: '', severity, code: h[3] ?? '', message: h[2] ?? '' };
      p.diags.push(current);
      continue;
    }
    const w = WHERE.exec(line);
    if (w && current && current.location === '') {
      current.location = `${w[1]}:${w[2]}:${w[3]}`;
      continue;
    }
    const t = TSC.exec(line);
    if (t) {
      const severity = t[4] === 'warning' ? 'warning' : 'error';
      p.diags.push({ location: `${t[1]}:${t[2]}:${t[3]}`, severity, code: t[5] ?? '', message: t[6] ?? '' });
      current = null;
      continue;
    }
    if (readCounts(p, line) || readTsup(p, line)) {
      current = null;
      continue;
    }
    if (OUTPUT.test(line)) {
      p.outputs++;
      continue;
    }
    // code frames, notes and stack frames belong to the message above them
    if (line.trim() === '' || line.startsWith(' ') || STACK.test(line)) continue;
    current = null;
    p.other.push(line);
  }
  return p;
}

function compactEsbuild(tool: string, output: string, exitCode: number | null): CompactBody | null {
  const lines = cleanLines(output);
  if (exitCode === 0 && lines.every((l) => l.trim() === '')) {
    return {
      text: `${tool}: built, no messages ${exitNote(exitCode)}`,
      facts: { tool, exitCode, errors: 0, warnings: 0 },
    };
  }
  const p = parse(lines);
  if (p.diags.length === 0 && p.results.length === 0 && p.outputs === 0) return null;
  const errors = p.diags.filter((d) => d.severity === 'error');
  const warnings = p.diags.filter((d) => d.severity === 'warning');
  const nErrors = p.errors ?? errors.length;
  const nWarnings = p.warnings ?? warnings.length;
  const outputs = p.outputs > 0 ? `, ${plural(p.outputs, 'output file')}` : '';
  const verdict = nErrors === 0 && exitCode === 0 ? 'built' : 'failed';
  const head = `${tool}: ${verdict}, ${plural(nErrors, 'error')}, ${plural(nWarnings, 'warning')}${outputs} ${exitNote(exitCode)}`;
  // tsup repeats esbuild's error after `Error: Build failed with 1 error:`; keep it only when nothing else said it
  const other = p.diags.length > 0 ? p.other.filter((l) => !/^\S+:\d+:\d+: ERROR: /.test(l)) : p.other;
  const text = tidy([head, ...other, ...renderDiagnostics(errors), ...renderWarnings(warnings), ...p.results]);
  return {
    text: text.join('\n'),
    facts: {
      tool,
      exitCode,
      errors: nErrors,
      warnings: nWarnings,
      files: p.outputs,
      locations: p.diags.map((d) => d.location).filter((l) => l !== ''),
      ...(p.results.length > 0 ? { summary: p.results[p.results.length - 1] } : {}),
    },
  };
}

export const esbuildCompactor: Compactor = {
  id: 'esbuild',
  family: 'build',
  matches: (cmd) => cmd.program === 'esbuild' && !cmd.words.includes('--version'),
  compact: (_cmd, output, exitCode) => shorterOf(compactEsbuild('esbuild', output, exitCode), output),
};

export const tsupCompactor: Compactor = {
  id: 'tsup',
  family: 'build',
  matches: (cmd) => cmd.program === 'tsup',
  compact: (_cmd, output, exitCode) => shorterOf(compactEsbuild('tsup', output, exitCode), output),
};
