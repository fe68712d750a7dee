/** Wire types of the registered tools and of routing an input to a tool or to the LLM. */
import type { CwdPolicy, PatternStatus } from '../../core/types.js';

// ---------- tools ----------
export interface ToolInfo {
  id: number;
  name: string;
  signature: string;
  patternId: number | null;
  patternStatus: PatternStatus | null;
  argv: string[];
  resolvedPath: string;
  triggers: string[];
  timeoutMs: number;
  outputCapBytes: number;
  cwdPolicy: CwdPolicy;
  cwd: string | null;
  enabled: boolean;
  disabledReason: string | null;
  runs: number;
  successes: number;
  successRate: number | null;
  routable: boolean;
}

// ---------- route ----------
export interface RouteToolResult {
  exitCode: number | null;
  summary: string;
  output: string;
  truncated: boolean;
  durationMs: number;
}

export interface RouteResult {
  decision: 'tool' | 'llm';
  pattern: { id: number; signature: string; status: PatternStatus } | null;
  confidence: number;
  similarity: number;
  score: number;
  threshold: number;
  tool: { name: string; argv: string[] } | null;
  result: RouteToolResult | null;
  tokensSaved: number;
  costSavedUsd: number;
  dryRun: boolean;
  reason: string;
}
