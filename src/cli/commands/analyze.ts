import { fileURLToPath } from 'node:url';
import { METHODS, type AnalyzeCandidate, type AnalyzeResult } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError } from '../shared.js';
import { renderTable, usd } from '../table.js';

const spec = {
  name: 'analyze',
  usage: 'outloop analyze [--create-issues] [--repo OWNER/NAME] [--json]',
  summary:
    'Discovery: patterns at >= 5 sessions, >= 70 confidence and >= $0.50/month become candidates; each gets its suggestion once, ' +
    'as Markdown under <state dir>/suggestions/, or with --create-issues as a GitHub issue through gh (Markdown when gh is ' +
    'missing or fails). Filed issues closed with label `implemented` move their pattern to implemented. Exit 1 when a suggestion could not be written.',
  options: { ...DAEMON_CLIENT_OPTIONS, 'create-issues': { type: 'boolean', default: false }, repo: { type: 'string' } },
  positionals: { max: 0 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const { json, repo } = parsed.values;
  const createIssues = parsed.values['create-issues'];
  if (repo !== undefined && repo.trim() === '')
    return reportError('analyze', new Error('--repo must be OWNER/NAME'), json, EXIT.usage);
  try {
    const result = await withDaemon(!parsed.values['no-autostart'], (c) =>
      c.request(METHODS.analyzeRun, { createIssues, cwd: process.cwd(), ...(repo ? { repo } : {}) }),
    );
    if (json) printJson(result);
    else process.stdout.write(render(result, createIssues));
    return result.candidates.some((c) => c.filed === 'failed') ? EXIT.failure : EXIT.ok;
  } catch (e) {
    return reportError('analyze', e, json);
  }
}

function where(c: AnalyzeCandidate): string {
  if (c.location === null) return '';
  return c.location.startsWith('file:') ? fileURLToPath(c.location) : c.location;
}

const FILED_TEXT: Record<AnalyzeCandidate['filed'], string> = {
  issue: 'issue filed',
  linked: 'issue found',
  markdown: 'markdown written',
  already: 'already filed',
  failed: 'FAILED',
};

function render(r: AnalyzeResult, createIssues: boolean): string {
  const out: string[] = [];
  if (r.candidates.length === 0) {
    out.push(
      `no candidates among ${r.patternsScanned} pattern(s) (thresholds: >= 5 sessions, >= 70 confidence, >= $0.50/month)`,
    );
  } else {
    out.push(`${r.candidates.length} candidate(s) among ${r.patternsScanned} pattern(s):`, '');
    out.push(
      renderTable(
        ['id', 'signature', 'status', 'priority', 'sessions', 'conf', 'savings/mo', 'suggestion', 'where'],
        r.candidates.map((c) => [
          c.id,
          c.signature.length > 40 ? `${c.signature.slice(0, 39)}…` : c.signature,
          c.promoted ? `${c.status} (new)` : c.status,
          c.priority,
          c.occurrences,
          c.confidence,
          usd(c.monthlySavingsUsd),
          FILED_TEXT[c.filed],
          where(c),
        ]),
      ).trimEnd(),
    );
  }
  if (r.implemented.length > 0)
    out.push('', `implemented (issue closed with label implemented): pattern(s) ${r.implemented.join(', ')}`);
  if (createIssues && r.gh.error)
    out.push('', `gh not used: ${r.gh.error}; suggestions were written as Markdown in ${r.suggestionsDir}`);
  else if (r.gh.error) out.push('', `gh: ${r.gh.error}`);
  for (const c of r.candidates) if (c.filed === 'failed') out.push(`pattern ${c.id}: ${c.error ?? 'not filed'}`);
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}
