/** Wire types of an analysis run: the candidates it found and where each one's suggestion went. */
import type { Priority as DiscoveryPriority } from '../../core/learning/discovery.js';
import type { PatternStatus } from '../../core/types.js';

/**
 * What happened to one candidate's suggestion in this run: `issue` filed now, `linked` an existing issue
 * with the same title was found and stored, `markdown` written now, `already` filed or written by an
 * earlier run (never twice), `failed` neither worked (see error).
 */
export type AnalyzeFiled = 'issue' | 'linked' | 'markdown' | 'already' | 'failed';

export interface AnalyzeCandidate {
  id: number;
  signature: string;
  status: PatternStatus;
  /** moved detected → candidate by this run */
  promoted: boolean;
  priority: DiscoveryPriority;
  monthlySavingsUsd: number;
  confidence: number;
  occurrences: number;
  occurrences30d: number;
  filed: AnalyzeFiled;
  /** the issue URL, or the `file://` URL of the Markdown suggestion */
  location: string | null;
  /** why gh was not used or failed for this candidate */
  error: string | null;
}

export interface AnalyzeGhStatus {
  /** false when this run needed no gh (no --create-issues and no filed issue to check) */
  consulted: boolean;
  available: boolean;
  authenticated: boolean;
  error: string | null;
}

export interface AnalyzeResult {
  analyzedAt: string;
  trigger: 'manual' | 'schedule';
  patternsScanned: number;
  candidates: AnalyzeCandidate[];
  /** patterns moved to implemented because their issue was closed with label `implemented` */
  implemented: number[];
  /** where Markdown suggestions go */
  suggestionsDir: string;
  gh: AnalyzeGhStatus;
  /** non-fatal problems (a label that could not be created, an issue that could not be read) */
  warnings: string[];
}
