/** Wire types of the context answers: how much of the loaded context was used, and a pattern's profile. */
import type { Efficiency } from '../../core/context/efficiency.js';
import type { ContextProfile } from '../../core/context/profile.js';

/**
 * Files loaded (Read/Grep/Glob responses) vs files used (edited, or named by a later call) in one
 * session or workflow; tokens are measured: ceil(response bytes / 4). Paths are relative to the
 * session's cwd when under it. `calls`: the stored tool calls read.
 */
export interface ContextEfficiencyResult extends Efficiency {
  sessionId?: string;
  workflowId?: string;
  calls: number;
}

/** The context profile of the pattern with `signature`, built at `updatedAt`. */
export interface ContextProfileInfo extends ContextProfile {
  signature: string;
  updatedAt: string;
}
