/**
 * The rows of `operation_patterns`, `pattern_reviews` and `sequence_sightings` as read, what a use
 * of a pattern records, and the mapping of a row to its running statistics. Shared by the pattern
 * queries, the pattern repository and the handlers that present patterns.
 */
import type { PatternStats } from '../../core/learning/confidence.js';
import type { PatternKind, PatternStatus } from '../../core/types.js';

/** Examples a pattern keeps (its newest distinct commands). */
export const MAX_EXAMPLES = 5;

export interface PatternRow {
  id: number;
  signature: string;
  kind: PatternKind;
  status: PatternStatus;
  occurrences: number;
  uses: number;
  dur_n: number;
  dur_mean: number;
  dur_m2: number;
  successes: number;
  failures: number;
  sum_llm_tokens: number;
  sum_llm_cost: number;
  measured_uses: number;
  sum_tool_tokens_est: number;
  routed_runs: number;
  sum_tool_tokens_measured: number;
  confidence: number;
  model: string | null;
  examples: string;
  first_seen: string;
  last_seen: string;
  tool_id: number | null;
  issue_url: string | null;
  issue_filed_at: string | null;
  created_at: string;
  updated_at: string;
  /** 1 while the pattern is offloaded (see offload-repo.ts) */
  offload: number;
  offload_changed_at: string | null;
  offload_changed_by: string | null;
}

export interface ReviewRow {
  id: number;
  pattern_id: number;
  action: string;
  from_status: PatternStatus | null;
  to_status: PatternStatus;
  actor: string;
  note: string | null;
  created_at: string;
}

export interface Occurrence {
  patternId: number;
  occurrenceKey: string;
  sessionKey: string;
  toolCallId: number | null;
  ts: string;
  /** `ts` in ms, when the caller has it (spares parsing `ts`) */
  tsMs?: number;
  llmTokens: number;
  llmCost: number;
  basis: 'measured' | 'estimated';
  durationMs: number | null;
  ok: boolean | null;
}

/** A sequence seen in a session, with its estimated cost there (the sum of its operations'). */
export interface SequenceSeen {
  signature: string;
  tokens: number;
  cost: number;
}

/** A session a sequence was seen in; the cost is NULL for sightings stored before migration 8. */
export interface Sighting {
  session_key: string;
  ts_ms: number;
  llm_tokens: number | null;
  llm_cost: number | null;
}

export interface Window30 {
  occurrences30d: number;
  uses30d: number;
}

/** Uses folded into one pattern since its row was read: written back in one UPDATE. */
export interface UseAggregate {
  stats: PatternStats;
  llmTokens: number;
  llmCost: number;
  measuredUses: number;
  toolTokensEst: number;
  /** newest first */
  examples: string[];
  firstTs: string;
  lastTs: string;
  model: string | null;
  confidence: number;
}

export const statsOf = (r: PatternRow): PatternStats => ({
  occurrences: r.occurrences,
  uses: r.uses,
  durN: r.dur_n,
  durMean: r.dur_mean,
  durM2: r.dur_m2,
  successes: r.successes,
  failures: r.failures,
});

/** A pattern row as `ensure` inserts it: the given fields, the rest at the table's defaults. */
export function freshPatternRow(
  id: number,
  signature: string,
  kind: PatternKind,
  ts: string,
  model: string | null,
  now: string,
): PatternRow {
  return {
    id,
    signature,
    kind,
    status: 'detected',
    occurrences: 0,
    uses: 0,
    dur_n: 0,
    dur_mean: 0,
    dur_m2: 0,
    successes: 0,
    failures: 0,
    sum_llm_tokens: 0,
    sum_llm_cost: 0,
    measured_uses: 0,
    sum_tool_tokens_est: 0,
    routed_runs: 0,
    sum_tool_tokens_measured: 0,
    confidence: 0,
    model,
    examples: '[]',
    first_seen: ts,
    last_seen: ts,
    tool_id: null,
    issue_url: null,
    issue_filed_at: null,
    created_at: now,
    updated_at: now,
    offload: 0,
    offload_changed_at: null,
    offload_changed_by: null,
  };
}
