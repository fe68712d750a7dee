import { notFound } from '../../core/errors.js';
import { REPLAY_KEY } from '../../core/learning/savings-replay.js';
import { closedSequences } from '../../core/learning/sequences.js';
import {
  METHODS,
  type PatternsListParams,
  type PatternSummary,
  type ToolInfo,
  type ContextProfileInfo,
} from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import { breakdownOf, toReview, toSummary, WINDOW_MS } from './pattern-view.js';
import { review, rollbackAll, undoReview } from './reviews.js';
import type { HandlerMap } from '../server.js';

/** What a pattern view shows of other aggregates; the tool is the one with the pattern's signature. */
export interface PatternLinks {
  toolNameOf(signature: string): string | null;
  toolInfoOf(signature: string): ToolInfo | null;
  profileOf(signature: string): ContextProfileInfo | null;
}

const SORTS: Record<NonNullable<PatternsListParams['sort']>, (a: PatternSummary, b: PatternSummary) => number> = {
  savings: (a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || b.confidence - a.confidence || a.id - b.id,
  confidence: (a, b) => b.confidence - a.confidence || b.monthlySavingsUsd - a.monthlySavingsUsd || a.id - b.id,
  occurrences: (a, b) => b.occurrences - a.occurrences || a.id - b.id,
  lastSeen: (a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : a.id - b.id),
  signature: (a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0),
};

export function listPatterns(
  deps: DaemonDeps,
  links: PatternLinks,
  params: PatternsListParams,
  now = Date.now(),
): PatternSummary[] {
  // closed sequences only, looked up over every pattern so a status filter does not change the answer
  const all = deps.store.patterns.all();
  const rows = closedSequences(params.status ? all.filter((r) => r.status === params.status) : all, all);
  const text = params.text?.toLowerCase();
  const windows = deps.store.patterns.windowCounts(now - WINDOW_MS);
  const replays = deps.store.replay.bySignature(REPLAY_KEY);
  const out: PatternSummary[] = [];
  for (const r of rows) {
    if (text && !r.signature.toLowerCase().includes(text) && !r.examples.toLowerCase().includes(text)) continue;
    out.push(toSummary(r, windows.get(r.id), links.toolNameOf(r.signature), replays.get(r.signature)));
  }
  out.sort(SORTS[params.sort ?? 'savings']);
  const offset = params.offset ?? 0;
  return out.slice(offset, params.limit === undefined ? undefined : offset + params.limit);
}

export function patternHandlers(deps: DaemonDeps, links: PatternLinks): HandlerMap {
  const actorOf = (a: string | undefined): string => a?.trim() || 'user';
  const summary = (id: number): PatternSummary => {
    const row = deps.store.patterns.get(id);
    if (!row) throw notFound(`no pattern with id ${id}`, { id });
    return toSummary(
      row,
      deps.store.patterns.windowFor(id, Date.now() - WINDOW_MS),
      links.toolNameOf(row.signature),
      deps.store.replay.forSignature(REPLAY_KEY, row.signature),
    );
  };
  return {
    [METHODS.patternsList]: (params) => listPatterns(deps, links, params),
    [METHODS.patternsGet]: (params) => {
      const s = summary(params.id);
      const row = deps.store.patterns.get(params.id);
      return {
        ...s,
        reviews: deps.store.patterns.reviews(params.id).map(toReview),
        tool: links.toolInfoOf(s.signature),
        contextProfile: links.profileOf(s.signature),
        confidenceBreakdown: row ? breakdownOf(row) : {},
      };
    },
    // a person's approval: a compactable pattern is offloaded at once
    [METHODS.patternsApprove]: (p) =>
      summary(review(deps.store, deps.hub, p.id, 'approve', actorOf(p.actor), p.note ?? null, { offload: true }).id),
    [METHODS.patternsReject]: (p) =>
      summary(review(deps.store, deps.hub, p.id, 'reject', actorOf(p.actor), p.note ?? null).id),
    [METHODS.patternsDeprecate]: (p) =>
      summary(review(deps.store, deps.hub, p.id, 'deprecate', actorOf(p.actor), p.note ?? null).id),
    [METHODS.patternsUndo]: (p) => summary(undoReview(deps.store, deps.hub, p.id, actorOf(p.actor)).id),
    [METHODS.patternsRollback]: (p) => ({
      deprecated: rollbackAll(deps.store, deps.hub, actorOf(p.actor), p.note ?? null),
    }),
  };
}
