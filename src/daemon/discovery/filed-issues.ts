import { getErrorMessage } from '../../core/errors.js';
import type { DiscoveryRepo } from '../store/discovery-repo.js';
import { GhError, ISSUE_URL } from './gh-cli.js';
import type { GhSession } from './gh-session.js';
import { markImplemented, type MoveContext } from './pattern-moves.js';

const VIEW_CONCURRENCY = 4;

export interface FiledIssuesContext extends MoveContext {
  queries: DiscoveryRepo;
  /** the daemon is shutting down: no more issues are looked at */
  closed(): boolean;
}

/**
 * Patterns whose filed issue was closed with label `implemented` move to implemented. Issues are
 * viewed a few at a time; a gh timeout or a missing gh stops the check (the rest would fail the same
 * way). Resolves with the ids moved, in order.
 */
export async function checkFiledIssues(
  x: FiledIssuesContext,
  session: GhSession,
  warnings: string[],
): Promise<number[]> {
  const filed = x.queries.withFiledIssue().filter((r) => r.issue_url !== null && ISSUE_URL.test(r.issue_url));
  if (filed.length === 0) return [];
  const gh = await session.get();
  if (!gh) {
    warnings.push(`filed issues not checked: ${session.status.error ?? 'gh unavailable'}`);
    return [];
  }
  const done: number[] = [];
  let stop: string | null = null;
  const queue = [...filed];
  const worker = async (): Promise<void> => {
    for (let r = queue.shift(); r && stop === null && !x.closed(); r = queue.shift()) {
      const url = r.issue_url ?? '';
      try {
        const issue = await gh.viewIssue(url);
        if (issue.state !== 'CLOSED' || !issue.labels.some((l) => l.toLowerCase() === 'implemented')) continue;
        if (markImplemented(x, r.id, url)) done.push(r.id);
      } catch (e) {
        if (e instanceof GhError && (e.kind === 'timeout' || e.kind === 'missing')) stop = getErrorMessage(e);
        else warnings.push(getErrorMessage(e));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(VIEW_CONCURRENCY, filed.length) }, worker));
  if (stop !== null) {
    warnings.push(`checking filed issues stopped: ${stop}`);
    session.status.error ??= stop;
  }
  return done.sort((a, b) => a - b);
}
