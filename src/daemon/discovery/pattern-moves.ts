/**
 * The lifecycle moves a discovery run makes, each an audited review by actor `outloop`: promoting a
 * detected candidate, and moving a pattern whose filed issue was closed as implemented.
 */
import { implementationEffort, priorityOf } from '../../core/learning/discovery.js';
import { getErrorMessage } from '../../core/errors.js';
import { usd } from '../../core/learning/suggestion.js';
import type { AnalyzeCandidate, PatternSummary } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { review } from '../handlers/reviews.js';

export const ACTOR = 'outloop';
const CHECKABLE = new Set(['detected', 'candidate', 'approved']);

/** What the moves read and write. */
export interface MoveContext {
  store: Store;
  hub: Hub;
  logger: Logger;
}

/** Promotes a detected candidate (audited); the result row starts as "not filed yet". */
export function promoteCandidate(x: MoveContext, p: PatternSummary): AnalyzeCandidate {
  let status = p.status;
  let promoted = false;
  // the same priority renderSuggestion gives (the text itself is rendered only when filed)
  const priority = priorityOf(p.monthlySavingsUsd, p.confidence, implementationEffort(p.signature).costUsd);
  if (p.status === 'detected') {
    const note = `analyze: ${p.occurrences} sessions, confidence ${p.confidence}, ${usd(p.monthlySavingsUsd)}/month, priority ${priority}`;
    try {
      status = review(x.store, x.hub, p.id, 'promote', ACTOR, note).status;
      promoted = true;
    } catch (e) {
      // a person reviewed it meanwhile: their decision stands
      status = x.store.patterns.get(p.id)?.status ?? status;
      x.logger.debug(`discovery: not promoting ${p.signature}: ${getErrorMessage(e)}`);
    }
  }
  return {
    id: p.id,
    signature: p.signature,
    status,
    promoted,
    priority,
    monthlySavingsUsd: p.monthlySavingsUsd,
    confidence: p.confidence,
    occurrences: p.occurrences,
    occurrences30d: p.occurrences30d,
    filed: 'already',
    location: p.issueUrl,
    error: null,
  };
}

/**
 * A pattern whose issue was closed as implemented: approved first when it is not yet (the lifecycle
 * only implements an approved pattern), then implemented. False when its status does not allow it.
 */
export function markImplemented(x: MoveContext, id: number, url: string): boolean {
  const note = `issue ${url} closed with label implemented`;
  try {
    const row = x.store.patterns.get(id);
    if (!row || !CHECKABLE.has(row.status)) return false;
    if (row.status !== 'approved') review(x.store, x.hub, id, 'approve', ACTOR, note);
    review(x.store, x.hub, id, 'implement', ACTOR, note);
    return true;
  } catch (e) {
    x.logger.warn(`discovery: cannot mark pattern ${id} implemented: ${getErrorMessage(e)}`);
    return false;
  }
}
