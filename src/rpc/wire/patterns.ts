/** Wire types of the learned patterns: the list row, the detail view with its reviews, and rollback. */
import type { CompactFamily } from '../../core/compact/types.js';
import type { PatternKind, PatternStatus, Basis, ToolTokenBasis } from '../../core/types.js';
import type { ContextProfileInfo } from './context.js';
import type { ToolInfo } from './tools-route.js';

export interface PatternSummary {
  id: number;
  signature: string;
  kind: PatternKind;
  status: PatternStatus;
  occurrences: number;
  occurrences30d: number;
  uses: number;
  /** runs that went through its tool or its offload instead of the LLM (measured tool tokens) */
  routedRuns: number;
  confidence: number;
  avgTokensWithLlm: number;
  avgTokensWithTool: number;
  tokenBasis: Basis;
  toolTokenBasis: ToolTokenBasis;
  avgCostWithLlmUsd: number;
  avgCostWithToolUsd: number;
  monthlySavingsUsd: number;
  model: string | null;
  firstSeen: string;
  lastSeen: string;
  examples: string[];
  toolName: string | null;
  issueUrl: string | null;
  /** true while the pattern is offloaded (its flag is on and it is approved, implemented or active) */
  offload: boolean;
  /** the compactor family it is (or would be) offloaded as; null when it cannot be offloaded */
  offloadFamily: CompactFamily | null;
}

export interface PatternReview {
  id: number;
  action: string;
  from: PatternStatus | null;
  to: PatternStatus;
  actor: string;
  note: string | null;
  ts: string;
}

export interface PatternDetail extends PatternSummary {
  reviews: PatternReview[];
  tool: ToolInfo | null;
  contextProfile: ContextProfileInfo | null;
  confidenceBreakdown: Record<string, number>;
}

export interface RollbackResult {
  deprecated: number[];
}
