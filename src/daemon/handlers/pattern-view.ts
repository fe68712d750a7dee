import { confidenceBreakdown } from '../../core/learning/confidence.js';
import type { PatternReview, PatternSummary } from '../../rpc/protocol.js';
import { familyOfRow, isOffloaded } from '../offload/pattern-offload.js';
import { economicsOfRow } from '../store/pattern-economics.js';
import { statsOf, type PatternRow, type ReviewRow, type Window30 } from '../store/patterns-repo.js';
import type { SignatureReplay } from '../store/replay-repo.js';
import { MS_PER_DAY } from '../../core/time.js';

export const WINDOW_MS = 30 * MS_PER_DAY;

/**
 * A stored pattern as the wire shows it: averages, basis and 30-day savings derived at read time.
 * `replay` is the replay cache's figures for the pattern's signature (ReplayRepo.bySignature): the
 * cache holds one pure replay per recorded output, so those figures are a function of the stored
 * outputs (whatever order they were ingested or replayed in) and grow with each replay run.
 */
export function toSummary(
  row: PatternRow,
  window: Window30 | undefined,
  toolName: string | null,
  replay?: SignatureReplay,
): PatternSummary {
  const w = window ?? { occurrences30d: 0, uses30d: 0 };
  const econ = economicsOfRow(row, w, replay);
  return {
    id: row.id,
    signature: row.signature,
    kind: row.kind,
    status: row.status,
    occurrences: row.occurrences,
    occurrences30d: w.occurrences30d,
    uses: row.uses,
    routedRuns: row.routed_runs,
    confidence: row.confidence,
    ...econ,
    model: row.model,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    examples: JSON.parse(row.examples) as string[],
    toolName,
    issueUrl: row.issue_url,
    offload: isOffloaded(row),
    offloadFamily: familyOfRow(row),
  };
}

export function toReview(r: ReviewRow): PatternReview {
  return {
    id: r.id,
    action: r.action,
    from: r.from_status,
    to: r.to_status,
    actor: r.actor,
    note: r.note,
    ts: r.created_at,
  };
}

export function breakdownOf(row: PatternRow): Record<string, number> {
  const b = confidenceBreakdown(statsOf(row));
  return {
    frequency: b.frequency,
    consistency: b.consistency,
    success: b.success,
    total: b.total,
    ...(b.cv === null ? {} : { cv: Math.round(b.cv * 1000) / 1000 }),
    ...(b.successRate === null ? {} : { successRate: Math.round(b.successRate * 1000) / 1000 }),
  };
}
