import { getErrorMessage } from '../../core/errors.js';
import type { Suggestion } from '../../core/learning/suggestion.js';
import type { AnalyzeCandidate } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Store } from '../store/store.js';
import { GhError, type Gh } from './gh-cli.js';
import type { GhSession } from './gh-session.js';

const LABEL_STYLE: Record<string, { color: string; description: string }> = {
  'automation-candidate': {
    color: '1d76db',
    description: 'outloop: an operation agents repeat that a script could do',
  },
  'cost-optimization': { color: '0e8a16', description: 'outloop: saves LLM tokens and cost' },
  'priority-high': { color: 'b60205', description: 'outloop: pays back within 3 months' },
  'priority-medium': { color: 'fbca04', description: 'outloop: pays back within 6 months' },
  'priority-low': { color: 'c5def5', description: 'outloop: low return for now' },
};

/** Labels the issues will need (missing ones created), then the issues already filed, by title. */
async function prepareRepo(
  gh: Gh,
  toFile: (Suggestion | undefined)[],
  repo: string | null,
  warnings: string[],
): Promise<Map<string, string>> {
  const labels = new Set<string>();
  for (const s of toFile) for (const l of s?.labels ?? []) labels.add(l);
  for (const name of labels) {
    const style = LABEL_STYLE[name] ?? { color: 'ededed', description: 'outloop' };
    try {
      await gh.ensureLabel(name, style.color, style.description, repo);
    } catch (e) {
      if (e instanceof GhError && (e.kind === 'timeout' || e.kind === 'missing')) throw e;
      // one warning is enough: the other labels would fail the same way (no permission, no repository)
      warnings.push(
        `cannot create label ${name} (filing goes ahead; gh reports a missing label): ${getErrorMessage(e)}`,
      );
      break;
    }
  }
  const titles = new Map<string, string>();
  try {
    for (const i of await gh.listIssues('automation-candidate', repo))
      if (!titles.has(i.title)) titles.set(i.title, i.url);
  } catch (e) {
    if (e instanceof GhError && (e.kind === 'timeout' || e.kind === 'missing')) throw e;
    warnings.push(`cannot list existing issues (duplicates are still prevented by the store): ${getErrorMessage(e)}`);
  }
  return titles;
}

/**
 * Files a run's suggestions as GitHub issues. The repository is prepared once, on the first issue
 * (labels, and the issues already there: one with the same title is linked, not filed again).
 */
export class IssueFiler {
  private existing: Map<string, string> | null = null;

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly session: GhSession,
    private readonly repo: string | null,
    /** every suggestion the run files (their labels are created up front) */
    private readonly all: (Suggestion | undefined)[],
    private readonly warnings: string[],
  ) {}

  /** Files or links the candidate's issue; false when gh is unavailable or failed (the session is then broken). */
  async file(c: AnalyzeCandidate, s: Suggestion): Promise<boolean> {
    const gh = await this.session.get();
    if (!gh) return false;
    try {
      this.existing ??= await prepareRepo(gh, this.all, this.repo, this.warnings);
      const found = this.existing.get(s.title);
      const url = found ?? (await gh.createIssue({ title: s.title, body: s.body, labels: s.labels, repo: this.repo }));
      this.store.patterns.setIssue(c.id, url);
      Object.assign(c, { filed: found ? 'linked' : 'issue', location: url, error: null });
      this.hub.publish('pattern', `${found ? 'linked' : 'filed'} issue for ${c.signature}: ${url}`, {
        patternId: c.id,
      });
      return true;
    } catch (e) {
      this.session.broken = getErrorMessage(e);
      this.session.status.error ??= this.session.broken;
      return false;
    }
  }
}
