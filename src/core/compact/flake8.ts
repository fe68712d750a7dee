/**
 * flake8 (and pycodestyle/pyflakes, which print the same `file:line:col: CODE message`): every finding kept
 * as a location under its file and code, each code's message once, and `--count`/`--statistics` read.
 */
import { capList, clip, fileGroups, headerLine, toolLines } from './toolchain-shared.js';
import { plural } from './lines.js';
import type { CompactBody, CompactFacts, Compactor } from './types.js';

const FINDING = /^(\S(?:.*?\S)?):(\d+):(\d+): ([A-Z]+\d+) (.*)$/;
const STATISTIC = /^\d+\s+[A-Z]+\d+ /;
const COUNT = /^\d+$/;

interface Finding {
  file: string;
  where: string;
  code: string;
  message: string;
}

/** Codes whose findings all carry the same message: that message is said once, under `codes:`. */
function sharedMessages(findings: readonly Finding[]): Map<string, string> {
  const messages = new Map<string, string | null>();
  for (const f of findings) {
    const seen = messages.get(f.code);
    if (seen === undefined) messages.set(f.code, f.message);
    else if (seen !== f.message) messages.set(f.code, null);
  }
  const shared = new Map<string, string>();
  for (const [code, message] of messages) if (message !== null) shared.set(code, message);
  return shared;
}

/**
 * `  E231 3:14 10:20` under the file's name: one line per file and code, in the order first seen; a code
 * whose findings carry different messages (`F401 'os' imported but unused`) gets one line per message.
 */
function groupLines(findings: readonly Finding[], shared: ReadonlyMap<string, string>): string[] {
  const groups = new Map<string, { file: string; code: string; wheres: string[]; message: string }>();
  for (const f of findings) {
    const own = shared.has(f.code) ? '' : f.message;
    const key = `${f.file}\u0000${f.code}\u0000${own}`;
    const group = groups.get(key) ?? { file: f.file, code: f.code, wheres: [], message: own };
    group.wheres.push(f.where);
    groups.set(key, group);
  }
  const items = [...groups.values()].map((g) => ({
    file: g.file,
    text: `${g.code} ${g.wheres.join(' ')}${g.message === '' ? '' : ` (${clip(g.message, 120)})`}`,
  }));
  return fileGroups(items);
}

export const flake8Compactor: Compactor = {
  id: 'flake8',
  family: 'lint',
  matches: (cmd) => ['flake8', 'pycodestyle', 'pyflakes', 'pflake8'].includes(cmd.program),
  compact(_cmd, output, exitCode): CompactBody | null {
    const lines = toolLines(output).filter((l) => l !== '');
    const findings: Finding[] = [];
    for (const line of lines) {
      const m = FINDING.exec(line);
      if (m) findings.push({ file: m[1] ?? '', where: `${m[2]}:${m[3]}`, code: m[4] ?? '', message: m[5] ?? '' });
      else if (!STATISTIC.test(line) && !COUNT.test(line)) return null;
    }
    if (findings.length === 0 && exitCode !== 0) return null;
    const files = new Set(findings.map((f) => f.file)).size;
    const what =
      findings.length === 0 ? 'no findings' : `${plural(findings.length, 'finding')} in ${plural(files, 'file')}`;
    const shared = sharedMessages(findings);
    const body = [headerLine('flake8', what, exitCode), ...capList(groupLines(findings, shared), 300, 'groups')];
    if (shared.size > 0) body.push('codes:', ...[...shared].map(([code, m]) => clip(`  ${code} ${m}`, 120)));
    const facts: CompactFacts = { tool: 'flake8', exitCode, errors: findings.length, files, summary: what };
    if (findings.length > 0) facts.locations = findings.map((f) => `${f.file}:${f.where}`);
    return { text: body.join('\n'), facts };
  },
};
