/**
 * Biome 1 and 2 (`lint`, `check`, `ci`, `format`): each diagnostic's `file:line:col`, category and first
 * message line kept; code frames, notes and suggested fixes left out; Biome's own totals kept.
 */
import { cleanLines } from './generic.js';
import {
  type Diagnostic,
  exitNote,
  fileCount,
  plural,
  renderDiagnostics,
  renderWarnings,
  subcommand,
  tidy,
  shorterOf,
} from './lines.js';
import type { CompactBody, CompactFamily, Compactor } from './types.js';

/** `./src/a.js:5:9 lint/suspicious/noDoubleEquals  FIXABLE  ━━━━` */
const LOCATED = /^(\S.*?):(\d+):(\d+) (\S+)(?:\s+[A-Z]+)*\s+━+$/;
/** `./src/a.js format ━━━━` or `lint ━━━━` (a diagnostic about a whole file or the whole run) */
const UNLOCATED = /^(?:(\S+) )?(\S+)(?:\s+[A-Z]+)*\s+━+$/;
/** the first message line: `  × message`, `  ! message`, `  ✖ message`, `  ⚠ message` */
const MESSAGE = /^\s{2}([×✖!⚠ℹi]) (.*)$/;
const CHECKED = /^Checked (\d+) files? in /;
const FOUND = /^Found (\d+) (errors?|warnings?|infos?)\.$/;
const NOT_SHOWN = /^(?:The number of diagnostics exceeds|Diagnostics not shown: \d+)/;
/** `Skipped N suggested fixes.`, `Fixed N files.` and other one-line results */
const RESULT = /^(?:Skipped \d+ suggested fix|Fixed \d+ file|No files were processed)/;

interface Block {
  location: string;
  category: string;
  message: string;
  marker: string;
}

interface Parsed {
  blocks: Block[];
  summary: string[];
  checked: number | null;
  errors: number | null;
  warnings: number | null;
}

function readSummary(p: Parsed, line: string): boolean {
  const checked = CHECKED.exec(line);
  const found = FOUND.exec(line);
  if (checked) p.checked = Number(checked[1]);
  if (found?.[2]?.startsWith('error')) p.errors = Number(found[1]);
  if (found?.[2]?.startsWith('warning')) p.warnings = Number(found[1]);
  if (checked || found || NOT_SHOWN.test(line) || RESULT.test(line)) {
    p.summary.push(line);
    return true;
  }
  return false;
}

function parse(lines: readonly string[]): Parsed {
  const p: Parsed = { blocks: [], summary: [], checked: null, errors: null, warnings: null };
  let current: Block | null = null;
  for (const line of lines) {
    const loc = LOCATED.exec(line);
    const unloc = loc ? null : UNLOCATED.exec(line);
    if (loc || unloc) {
      const location = loc ? `${loc[1]}:${loc[2]}:${loc[3]}` : (unloc?.[1] ?? '');
      current = {
        location: location.replace(/^\.\//, ''),
        category: (loc ? loc[4] : unloc?.[2]) ?? '',
        message: '',
        marker: '',
      };
      p.blocks.push(current);
      continue;
    }
    if (readSummary(p, line)) {
      current = null;
      continue;
    }
    const m = MESSAGE.exec(line);
    if (current && current.message === '' && m) {
      current.marker = m[1] ?? '';
      current.message = m[2] ?? '';
    }
  }
  return p;
}

function toDiagnostic(b: Block): Diagnostic {
  const warning = b.marker === '!' || b.marker === '⚠';
  return { location: b.location, severity: warning ? 'warning' : 'error', code: b.category, message: b.message };
}

/** `lint ━━ × Some errors were emitted while running checks.`: the run's own verdict, not a diagnostic. */
const isVerdict = (b: Block): boolean => b.location === '' && /^(lint|check|ci|format)$/.test(b.category);

function compactBiome(sub: string, output: string, exitCode: number | null): CompactBody | null {
  const p = parse(cleanLines(output));
  if (p.blocks.length === 0 && p.checked === null && p.errors === null) return null;
  const verdicts = p.blocks.filter(isVerdict);
  const diags = p.blocks.filter((b) => !isVerdict(b)).map(toDiagnostic);
  const errors = diags.filter((d) => d.severity === 'error');
  const warnings = diags.filter((d) => d.severity === 'warning');
  const nErrors = p.errors ?? errors.length;
  const nWarnings = p.warnings ?? warnings.length;
  const checked = p.checked !== null ? `, ${plural(p.checked, 'file')} checked` : '';
  const shown = nErrors + nWarnings !== diags.length ? ` (${diags.length} shown in this output)` : '';
  const head = `biome ${sub}: ${plural(nErrors, 'error')}, ${plural(nWarnings, 'warning')}${checked}${shown} ${exitNote(exitCode)}`;
  const text = tidy([
    head,
    ...renderDiagnostics(errors),
    ...renderWarnings(warnings),
    ...p.summary,
    ...verdicts.map((v) => `${v.category}: ${v.message}`),
  ]);
  return {
    text: text.join('\n'),
    facts: {
      tool: 'biome',
      exitCode,
      errors: nErrors,
      warnings: nWarnings,
      files: p.checked ?? fileCount(diags),
      locations: diags.map((d) => d.location).filter((l) => l !== ''),
      ...(p.summary[0] !== undefined ? { summary: p.summary[0] } : {}),
    },
  };
}

function biomeFor(id: string, family: CompactFamily, subs: readonly string[]): Compactor {
  return {
    id,
    family,
    matches: (cmd) => cmd.program === 'biome' && subs.includes(subcommand(cmd)),
    compact: (cmd, output, exitCode) => shorterOf(compactBiome(subcommand(cmd), output, exitCode), output),
  };
}

export const biomeLintCompactor = biomeFor('biome', 'lint', ['lint', 'check', 'ci']);
export const biomeFormatCompactor = biomeFor('biome-format', 'format', ['format']);
