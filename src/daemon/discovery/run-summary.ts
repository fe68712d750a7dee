import type { AnalyzeCandidate, AnalyzeResult } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';

/** One log line per discovery run (and its warnings); the line goes to the live feed when the run did something. */
export function logRunSummary(logger: Logger, hub: Hub, r: AnalyzeResult, ms: number): void {
  const count = (f: AnalyzeCandidate['filed']): number => r.candidates.filter((c) => c.filed === f).length;
  const line =
    `analyze (${r.trigger}): ${r.candidates.length} candidate(s) of ${r.patternsScanned} pattern(s); ` +
    `${count('issue')} issue(s) filed, ${count('linked')} linked, ${count('markdown')} Markdown, ${count('failed')} failed; ` +
    `${r.implemented.length} implemented; ${ms} ms`;
  logger.info(r.gh.error ? `${line} (gh: ${r.gh.error})` : line);
  for (const w of r.warnings) logger.warn(`analyze: ${w}`);
  if (r.candidates.length > 0 || r.implemented.length > 0) hub.publish('pattern', line.replace(/; \d+ ms$/, ''));
}
