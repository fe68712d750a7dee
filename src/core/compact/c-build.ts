/**
 * make, cmake --build, ninja and gcc/clang: every `file:line:col: error: …` and warning (with its `[-Wflag]`)
 * under its file, without the source excerpts and carets, and make's `*** [...] Error N` lines.
 */
import { capList, clip, headerLine, subcommand, toolLines } from './toolchain-shared.js';
import { plural } from './lines.js';
import type { CompactBody, CompactFacts, Compactor } from './types.js';

const DIAGNOSTIC = /^(\S(?:.*?\S)?):(\d+)(?::(\d+))?: (fatal error|error|warning): (.*)$/;
const MAKE_ERROR = /^(?:g?make|ninja)(?:\[\d+\])?: \*\*\* |^ninja: build stopped|^make: Target .* not remade/;
const LINKER = /^(?:\/\S*\/)?(?:ld|collect2)(?:\.\w+)?: (?:error: )?.*|undefined reference to /;
const COMPILERS = ['gcc', 'g++', 'cc', 'c++', 'clang', 'clang++'];
/**
 * What a build prints besides diagnostics: compiler and archiver command lines, source excerpts and carets,
 * `In function` context, notes, make's directory lines, cmake and ninja progress.
 */
const BUILD_LINE = new RegExp(
  [
    String.raw`^\s*(?:\S*/)?(?:[\w.+-]*-)?(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|ar|ranlib|ld|as)(?:-[\d.]+)?\s`,
    String.raw`^\s*\d*\s*\|`,
    String.raw`^\S.*: (?:In (?:function|member function|constructor|instantiation)|At (?:top|global) level)`,
    String.raw`^(?:In file included from|\s+from) `,
    String.raw`^\S.*?:\d+(?::\d+)?: note: `,
    String.raw`^g?make(?:\[\d+\])?: (?:Entering|Leaving) directory|^g?make(?:\[\d+\])?: (?:Nothing to be done|'.*' is up to date)`,
    String.raw`^\[\s*\d+%\] |^\[\d+/\d+\] |^(?:Scanning dependencies|Consolidate compiler generated dependencies)`,
    String.raw`^ninja: (?:Entering directory|no work to do)|^-- `,
  ].join('|'),
);

/** make targets that usually run another tool (a test runner, a linter): their output is that tool's */
const DELEGATING_TARGETS = new Set(['test', 'tests', 'check', 'lint', 'fmt', 'format', 'coverage', 'install']);

function known(line: string): boolean {
  return DIAGNOSTIC.test(line) || MAKE_ERROR.test(line) || BUILD_LINE.test(line);
}

function matchesBuild(program: string, sub: string, words: readonly string[]): boolean {
  if (program === 'make' || program === 'gmake') return !words.slice(1).some((w) => DELEGATING_TARGETS.has(w));
  if (['ninja', ...COMPILERS].includes(program)) return true;
  return program === 'cmake' && (sub === '--build' || words.includes('--build'));
}

/** A warning's message cut to its start, its `[-Wflag]` kept: warnings are counted and named, errors kept whole. */
function shortWarning(message: string): string {
  const flag = /\s(\[-W[\w=+-]+\])$/.exec(message);
  const text = flag ? message.slice(0, flag.index) : message;
  return `${clip(text, 60)}${flag ? ` ${flag[1]}` : ''}`;
}

export const cBuildCompactor: Compactor = {
  id: 'c-build',
  family: 'build',
  matches: (cmd) => matchesBuild(cmd.program, subcommand(cmd), cmd.words),
  compact(cmd, output, exitCode): CompactBody | null {
    const lines = toolLines(output);
    const errors: string[] = [];
    const warnings: string[] = [];
    const byFile = new Map<string, string[]>();
    const makeLines: string[] = [];
    const locations: string[] = [];
    for (const line of lines) {
      const d = DIAGNOSTIC.exec(line);
      if (d) {
        const where = `${d[1]}:${d[2]}${d[3] ? `:${d[3]}` : ''}`;
        const text = `  ${d[2]}${d[3] ? `:${d[3]}` : ''}: ${d[4]}: ${d[4] === 'warning' ? shortWarning(d[5] ?? '') : clip(d[5] ?? '', 300)}`;
        const list = byFile.get(d[1] ?? '');
        if (list) list.push(text);
        else byFile.set(d[1] ?? '', [text]);
        if (d[4] === 'warning') warnings.push(text);
        else {
          errors.push(text);
          locations.push(where);
        }
      } else if (MAKE_ERROR.test(line)) makeLines.push(line);
      else if (LINKER.test(line)) {
        errors.push(line);
        byFile.set(line, []);
      }
    }
    const failed = exitCode !== null && exitCode !== 0;
    // a failure with nothing recognisable (a recipe's own tool failed) is left to the generic compactor
    if (failed && errors.length === 0) return null;
    // a clean run is said in one line only when every line was the build's own; a recipe's output is kept
    if (!failed && errors.length === 0 && lines.some((l) => l.trim() !== '' && !known(l))) return null;
    const tool = cmd.program === 'cmake' ? 'cmake --build' : cmd.program;
    const what = `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}`;
    const body = [
      headerLine(tool, what, exitCode),
      ...capList(
        [...byFile].flatMap(([file, diags]) => [clip(file, 300), ...diags]),
        400,
        'lines',
      ),
      ...makeLines,
    ];
    const facts: CompactFacts = {
      tool: 'c-build',
      exitCode,
      errors: errors.length,
      warnings: warnings.length,
      summary: makeLines[0] ?? what,
    };
    if (locations.length > 0) facts.locations = locations;
    return { text: body.join('\n'), facts };
  },
};
