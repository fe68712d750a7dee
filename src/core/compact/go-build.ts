/**
 * go build and go vet: every `file.go:line:col: message` with the `# package` it belongs to; nothing else
 * the tools print is needed.
 */
import { capList, clip, fileGroups, headerLine, splitLocation, subcommand, toolLines } from './toolchain-shared.js';
import { plural } from './lines.js';
import type { CompactBody, CompactFacts, Compactor } from './types.js';

const DIAGNOSTIC = /^(?:vet: )?(\S+\.go:\d+(?::\d+)?): /;
const PKG_HEADER = /^# \S+/;
const TOO_MANY = /^\S+\.go:\d+(?::\d+)?: too many errors$/;

export const goBuildCompactor: Compactor = {
  id: 'go-build',
  family: 'build',
  matches: (cmd) => cmd.program === 'go' && ['build', 'vet', 'install', 'run'].includes(subcommand(cmd)),
  compact(cmd, output, exitCode): CompactBody | null {
    const lines = toolLines(output).filter((l) => l.trim() !== '');
    const sub = `go ${subcommand(cmd)}`;
    const kept: string[] = [];
    const locations: string[] = [];
    const packages = new Set<string>();
    for (const line of lines) {
      const d = DIAGNOSTIC.exec(line);
      if (PKG_HEADER.test(line)) packages.add(line);
      if (!d && !PKG_HEADER.test(line)) continue;
      kept.push(clip(line, 300));
      if (d && !TOO_MANY.test(line)) locations.push(d[1] ?? '');
    }
    if (exitCode === 0 && lines.length === 0) {
      return { text: headerLine(sub, 'ok', exitCode), facts: { tool: 'go-build', exitCode, errors: 0 } };
    }
    // go run prints the program's own output too; only a failed build is read here
    if (locations.length === 0 || kept.length < lines.length / 2) return null;
    const what = `${plural(locations.length, 'problem')} in ${plural(Math.max(1, packages.size), 'package')}`;
    const facts: CompactFacts = { tool: 'go-build', exitCode, errors: locations.length, locations, summary: what };
    const grouped = fileGroups(kept.map((l) => splitLocation(l.replace(/^vet: /, '')) ?? { file: '', text: l }));
    return { text: [headerLine(sub, what, exitCode), ...capList(grouped, 400, 'lines')].join('\n'), facts };
  },
};
