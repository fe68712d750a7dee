/**
 * mypy and pyright: every error with its file:line and code, notes and warnings counted, and the checker's
 * own summary line (`Found 8 errors in 2 files`, `5 errors, 0 warnings, 0 informations`).
 */
import { capList, clip, fileGroups, headerLine, splitLocation, toolLines } from './toolchain-shared.js';
import type { CompactBody, CompactFacts, Compactor } from './types.js';

const MYPY_LINE = /^(\S(?:.*?\S)?):(\d+)(?::(\d+))?: (error|warning|note): (.*)$/;
const MYPY_SUMMARY =
  /^(?:Found (\d+) errors? in (\d+) files?(?: \([^)]*\))?|Success: no issues found in \d+ source files?)$/;
const CODE_END = /\s\s\[[\w-]+\]$/;
const PYRIGHT_ENTRY = /^ {2}(\S(?:.*?\S)?):(\d+):(\d+) - (error|warning|information): (.*)$/;
const PYRIGHT_SUMMARY = /^(\d+) errors?, (\d+) warnings?, (\d+) informations?\s*$/;

export const mypyCompactor: Compactor = {
  id: 'mypy',
  family: 'build',
  matches: (cmd) => cmd.program === 'mypy' || cmd.program === 'dmypy',
  compact(_cmd, output, exitCode): CompactBody | null {
    const lines = toolLines(output);
    const summary = lines.find((l) => MYPY_SUMMARY.test(l));
    if (summary === undefined) return null;
    const errors: string[] = [];
    const locations: string[] = [];
    let notes = 0;
    let open = false;
    for (const line of lines) {
      const m = MYPY_LINE.exec(line);
      if (m) {
        open = m[4] === 'error' && !CODE_END.test(line);
        if (m[4] === 'note') notes++;
        else {
          errors.push(clip(line, 300));
          locations.push(`${m[1]}:${m[2]}`);
        }
      } else if (open && line !== '' && !/^\s/.test(line) && line !== summary) {
        // --pretty wraps a long message; its continuation starts at column 0, the source excerpt is indented
        errors[errors.length - 1] = clip(`${errors[errors.length - 1] ?? ''} ${line}`, 300);
        open = !CODE_END.test(line);
      } else open = false;
    }
    const counted = /^Found (\d+) errors? in (\d+)/.exec(summary);
    const grouped = fileGroups(errors.map((e) => splitLocation(e) ?? { file: '', text: e }));
    const body = [headerLine('mypy', summary, exitCode), ...capList(grouped, 400, 'lines')];
    if (notes > 0) body.push(`(${notes} notes left out)`);
    const facts: CompactFacts = { tool: 'mypy', exitCode, errors: counted ? Number(counted[1]) : 0, summary };
    if (counted) facts.files = Number(counted[2]);
    if (locations.length > 0) facts.locations = locations;
    return { text: body.join('\n'), facts };
  },
};

/** The directory every reported file is under, when there are several files and it is worth saying once. */
function commonDir(files: readonly string[]): string {
  if (files.length < 2) return '';
  let prefix = files[0] ?? '';
  for (const f of files) while (!f.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const dir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  return dir.length > 12 ? dir : '';
}

export const pyrightCompactor: Compactor = {
  id: 'pyright',
  family: 'build',
  matches: (cmd) => cmd.program === 'pyright' || cmd.program === 'basedpyright',
  compact(_cmd, output, exitCode): CompactBody | null {
    const lines = toolLines(output);
    const summaryLine = lines.find((l) => PYRIGHT_SUMMARY.test(l));
    const counts = summaryLine === undefined ? null : PYRIGHT_SUMMARY.exec(summaryLine);
    if (summaryLine === undefined || counts === null) return null;
    const files = [...new Set(lines.map((l) => PYRIGHT_ENTRY.exec(l)?.[1] ?? '').filter((f) => f !== ''))];
    const dir = commonDir(files);
    const body = [headerLine('pyright', summaryLine.trim(), exitCode), ...(dir ? [`files under ${dir}`] : [])];
    const locations: string[] = [];
    let file = '';
    let last = -1;
    for (const line of lines) {
      const m = PYRIGHT_ENTRY.exec(line);
      if (m) {
        if (m[1] !== file) body.push((file = m[1] ?? '').slice(dir.length));
        if (m[4] === 'error') locations.push(`${m[1]}:${m[2]}:${m[3]}`);
        body.push(clip(`  ${m[2]}:${m[3]} ${m[4]}: ${m[5]}`, 300));
        last = body.length - 1;
      } else if (last >= 0 && /^\s{4}\S/.test(line)) {
        // the rule name ends the entry's last continuation line: `... (reportReturnType)`
        const rule = /(\(report\w+\))$/.exec(line);
        if (rule) body[last] = `${body[last] ?? ''} ${rule[1]}`;
      } else last = -1;
    }
    const facts: CompactFacts = {
      tool: 'pyright',
      exitCode,
      errors: Number(counts[1]),
      warnings: Number(counts[2]),
      summary: summaryLine.trim(),
    };
    if (locations.length > 0) facts.locations = locations;
    return { text: capList(body, 400, 'lines').join('\n'), facts };
  },
};
