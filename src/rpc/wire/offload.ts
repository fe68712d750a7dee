/** Wire types of offloading: the kill switch, the offloaded patterns, and turning either on or off. */
import type { CompactFamily } from '../../core/compact/types.js';
import type { PatternStatus } from '../../core/types.js';
import type { PatternSummary } from './patterns.js';

export interface OffloadPatternInfo {
  id: number;
  signature: string;
  family: CompactFamily;
  status: PatternStatus;
  /** when offload was last turned on for it */
  since: string | null;
}

export interface OffloadStatusResult {
  /** the kill switch: false means nothing is rewritten or run, whatever the patterns say */
  enabled: boolean;
  /** when and by whom the kill switch was last flipped (null: never) */
  switchChangedAt: string | null;
  switchChangedBy: string | null;
  /** the offloaded patterns, exactly those listed in the file */
  patterns: OffloadPatternInfo[];
  /** `<state dir>/offload.json` */
  file: string;
}

export interface OffloadSetResult {
  /** false when it already was so */
  changed: boolean;
  /** the kill switch after the call */
  enabled: boolean;
  /** the pattern acted on, as patterns/list shows it (null for the kill switch) */
  pattern: PatternSummary | null;
}
