/**
 * pytest: the summary line's counts, then every failing or erroring test with its first `E` lines and the
 * file:line locations of its traceback (the test's own and where the error was raised).
 */
import { capList, clip, headerLine, secondsToMs, toolLines, unique } from './toolchain-shared.js';
import type { CompactBody, CompactFacts, Compactor } from './types.js';

const SUMMARY =
  /^=*\s*((?:\d+ (?:failed|passed|skipped|deselected|xfailed|xpassed|errors?|warnings?|rerun)(?:, )?)+|no tests ran)(?: in ([\d.]+)s)?(?: \([^)]*\))?\s*=*$/;
const COUNT = /(\d+) (failed|passed|skipped|deselected|xfailed|xpassed|errors?|warnings?|rerun)/g;
const SECTION = /^={3,} (.+?) ={3,}$/;
const TEST_HEADER = /^_{3,} (.+?) _{3,}$/;
const SHORT = /^(FAILED|ERROR) (\S+)(?: - (.*))?$/;
/** `-v` result lines, the only place names are printed under `--tb=no -rN` */
const VERBOSE = /^(\S+::\S+) (FAILED|ERROR)(?: +\[ *\d+%\])?$/;
const LOCATION = /^(\S+?\.py):(\d+):(?: (.*))?$/;
const E_LINE = /^E\s+(.*)$/;
const MAX_E_LINES = 2;
/** pytest's own hints inside an assertion diff, which say nothing about the failure */
const HINT = /^(?:Omitting \d+ identical items|Use -v+ to get|Full diff:|Differing items:|$)/;

interface Detail {
  title: string;
  eLines: string[];
  locations: string[];
  lineModeText?: string;
}

function libraryPath(path: string): boolean {
  return path.startsWith('<') || path.includes('site-packages') || /\/lib\/python[\d.]*\//.test(path);
}

/** `TestX.test_y` for `path::TestX::test_y`, the path for a bare module (collection errors). */
function nodeKey(nodeid: string): string {
  const i = nodeid.indexOf('::');
  return i === -1 ? nodeid : nodeid.slice(i + 2).replaceAll('::', '.');
}

function headerKey(title: string): string {
  return title.replace(/^ERROR (?:at (?:setup|teardown) of|collecting) /, '');
}

/** The failure and error sections: one Detail per `____ name ____` block, plus `--tb=line` lines. */
function readDetails(lines: readonly string[]): Detail[] {
  const details: Detail[] = [];
  let inReport = false;
  let current: Detail | null = null;
  for (const line of lines) {
    const section = SECTION.exec(line);
    if (section) {
      inReport = /^(FAILURES|ERRORS)$/.test(section[1] ?? '');
      current = null;
      continue;
    }
    if (!inReport) continue;
    const header = TEST_HEADER.exec(line);
    if (header) {
      current = { title: header[1] ?? '', eLines: [], locations: [] };
      details.push(current);
      continue;
    }
    const loc = LOCATION.exec(line);
    if (current === null) {
      if (loc) details.push({ title: '', eLines: [], locations: [], lineModeText: clip(line) });
      continue;
    }
    const e = E_LINE.exec(line);
    if (e && current.eLines.length < MAX_E_LINES && !HINT.test(e[1] ?? '')) current.eLines.push(clip(e[1] ?? ''));
    if (loc && !libraryPath(loc[1] ?? '')) current.locations.push(`${loc[1]}:${loc[2]}`);
  }
  return details;
}

/** The first and last locations of a traceback outside the Python library. */
function whereOf(d: Detail): string[] {
  const locs = unique(d.locations);
  return locs.length <= 2 ? locs : [locs[0] ?? '', locs[locs.length - 1] ?? ''];
}

/** `  at line 13, calc.py:9`: a location in the test's own file (`testFile`) is said by its line alone. */
function whereText(where: readonly string[], testFile: string): string {
  if (where.length === 0) return '';
  const own = `${testFile}:`;
  return `  at ${where.map((w) => (testFile !== '' && w.startsWith(own) ? `line ${w.slice(own.length)}` : w)).join(', ')}`;
}

function detailLines(d: Detail): string[] {
  if (d.lineModeText !== undefined) return [`  ${d.lineModeText}`];
  return d.eLines.map((l) => `  ${l}`);
}

function counts(summary: string): Partial<CompactFacts> {
  const facts: Partial<CompactFacts> = {};
  for (const m of summary.matchAll(COUNT)) {
    const n = Number(m[1]);
    const word = m[2] ?? '';
    if (word === 'passed') facts.passed = n;
    else if (word === 'failed') facts.failed = n;
    else if (word === 'skipped') facts.skipped = n;
    else if (word.startsWith('error')) facts.errors = n;
    else if (word.startsWith('warning')) facts.warnings = n;
  }
  return facts;
}

function findSummary(lines: readonly string[]): RegExpExecArray | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = SUMMARY.exec(lines[i] ?? '');
    if (m) return m;
  }
  return null;
}

/** Each short-summary entry with its detail block; blocks without an entry (no `-r` summary) keep their titles. */
function failureBlocks(
  lines: readonly string[],
  details: Detail[],
): { names: string[]; text: string[]; locations: string[] } {
  // detail blocks per key, last first, so that taking the next one in output order is a pop()
  const byKey = new Map<string, Detail[]>();
  for (let i = details.length - 1; i >= 0; i--) {
    const d = details[i] as Detail;
    const key = headerKey(d.title);
    const list = byKey.get(key);
    if (list) list.push(d);
    else byKey.set(key, [d]);
  }
  const names: string[] = [];
  const text: string[] = [];
  const locations: string[] = [];
  const shorts = lines.map((l) => SHORT.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  // `--tb=line` prints one `file:line: message` per failure, in the order of the FAILED entries
  const lineMode = details.filter((d) => d.lineModeText !== undefined).reverse();
  for (const m of shorts) {
    const name = m[2] ?? '';
    names.push(name);
    const d = byKey.get(nodeKey(name))?.pop() ?? (m[1] === 'FAILED' ? lineMode.pop() : undefined);
    const fallback = m[3] ? [`  ${m[3]}`] : [];
    const where = d ? whereOf(d) : [];
    locations.push(...where);
    text.push(`${m[1]} ${name}${whereText(where, name.split('::')[0] ?? '')}`, ...(d ? detailLines(d) : fallback));
  }
  if (shorts.length > 0) return { names, text: [...text, ...lineMode.reverse().flatMap(detailLines)], locations };
  if (details.length === 0) {
    for (const m of lines.map((l) => VERBOSE.exec(l)).filter((v): v is RegExpExecArray => v !== null)) {
      names.push(m[1] ?? '');
      text.push(`${m[2]} ${m[1]}`);
    }
  }
  for (const d of details) {
    if (d.title !== '') names.push(d.title);
    const where = whereOf(d);
    locations.push(...where);
    text.push(...(d.title !== '' ? [`FAILED ${d.title}${whereText(where, '')}`] : []), ...detailLines(d));
  }
  return { names, text, locations };
}

export const pytestCompactor: Compactor = {
  id: 'pytest',
  family: 'test',
  matches: (cmd) => cmd.program === 'pytest' || cmd.program === 'py.test',
  sniff: (output) => /={5,} (?:test session starts|short test summary info) ={5,}/.test(output),
  compact(_cmd, output, exitCode): CompactBody | null {
    const lines = toolLines(output);
    const summaryMatch = findSummary(lines);
    if (summaryMatch === null) return null;
    const summary = `${summaryMatch[1] ?? ''}${summaryMatch[2] ? ` in ${summaryMatch[2]}s` : ''}`;
    const interrupted = lines.find((l) => /^!+ .*Interrupted: .* !+$/.test(l));
    const { names, text, locations } = failureBlocks(lines, readDetails(lines));
    const head = headerLine('pytest', summary, exitCode);
    const body = [
      head,
      ...(interrupted ? [interrupted.replace(/^!+ | !+$/g, '')] : []),
      ...capList(text, 400, 'lines'),
    ];
    const facts: CompactFacts = {
      tool: 'pytest',
      exitCode,
      ...counts(summary),
      summary: summaryMatch[0].replace(/^=+ | =+$/g, ''),
    };
    if (summaryMatch[2]) facts.durationMs = secondsToMs(summaryMatch[2]);
    if (names.length > 0) facts.failures = names;
    if (locations.length > 0) facts.locations = locations;
    return { text: body.join('\n'), facts };
  },
};
