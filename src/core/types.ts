/**
 * Domain types shared by every layer. Plain data only: parsers in core produce these,
 * the daemon stores them, the RPC layer and the TUI read them.
 */

/** Where a fact came from: measured from real records, or estimated (bytes/4 and the like). */
export type Basis = 'measured' | 'estimated';
/** A pattern's tool-side tokens: measured by routed runs, measured by replaying recorded outputs, or estimated. */
export type ToolTokenBasis = Basis | 'measured (replay)';
/** Whether a quota figure comes from an official reading or our own estimate. */
export type Provenance = 'official' | 'estimated';

/** A hook payload, normalized from snake_case or camelCase producers. */
export interface HookEvent {
  sessionId: string | null;
  event: string;
  toolName: string | null;
  toolUseId: string | null;
  agentId: string | null;
  agentType: string | null;
  cwd: string | null;
  transcriptPath: string | null;
  /** ISO-8601 UTC, or null when the source carries no time (array logs). */
  ts: string | null;
  toolInput: unknown;
  toolResponse: unknown;
  durationMs: number | null;
  /** PostToolUseFailure */
  error: string | null;
  isInterrupt: boolean;
  /** The raw payload exactly as received. */
  raw: string;
}

/** One side of a tool call as observed by some source; merged into a ToolCall on toolUseId. */
export type ToolCallSource = 'hook' | 'transcript' | 'stream' | 'route';

export interface ToolCall {
  /** Identity: tool_use_id when known, else a synthesized key stable across re-reads. */
  callKey: string;
  toolUseId: string | null;
  sessionId: string | null;
  agentId: string | null;
  model: string | null;
  toolName: string;
  /** Bash command (or the most descriptive input string for other tools). */
  command: string | null;
  cwd: string | null;
  /** Compact JSON of the tool input (capped). */
  inputJson: string | null;
  inputBytes: number;
  responseBytes: number;
  exitCode: number | null;
  isError: boolean | null;
  interrupted: boolean;
  durationMs: number | null;
  startedAt: string | null;
  endedAt: string | null;
  source: ToolCallSource;
  /** Files this call touched (paths as written), for context efficiency. */
  filePaths?: readonly string[];
  /** Files whose content entered the context through the response (Grep/Glob result names). */
  loadedPaths?: readonly string[];
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  /** part of cacheCreationTokens written with the 5-minute TTL */
  cacheCreation5mTokens: number;
  /** part of cacheCreationTokens written with the 1-hour TTL */
  cacheCreation1hTokens: number;
  cacheReadTokens: number;
}

export interface UsageRecord extends TokenCounts {
  /** message.id, else requestId, else uuid. */
  dedupKey: string;
  messageId: string | null;
  requestId: string | null;
  sessionId: string | null;
  agentId: string | null;
  project: string | null;
  model: string;
  ts: string;
  isSidechain: boolean;
  speed: string | null;
  costUsd: number;
  /** usage.inference_geo ("us" costs 1.1x on 4.6+ models); kept so merges can re-price. */
  inferenceGeo?: string | null;
  /** usage.server_tool_use.web_search_requests ($0.01 each); kept so merges can re-price. */
  webSearchRequests?: number;
  /**
   * The record carried no time of its own (stream-json lines of an ADW raw_output): `ts` is its file's
   * time. It counts toward totals at that time but never feeds a rate.
   */
  undated?: boolean;
}

export type WorkflowStatus = 'success' | 'error' | 'incomplete';

export interface WorkflowRun {
  adwId: string;
  issueNumber: number | null;
  issueClass: string | null;
  workflowType: string | null;
  phases: string[];
  models: string[];
  tokens: TokenCounts;
  costUsd: number;
  costBasis: 'reported' | 'priced';
  durationMs: number | null;
  status: WorkflowStatus;
  nlInput: string | null;
  wordCount: number;
  startedAt: string | null;
  endedAt: string | null;
  stateDir: string;
}

export type PatternStatus =
  'detected' | 'candidate' | 'approved' | 'implemented' | 'active' | 'rejected' | 'deprecated';

export const PATTERN_STATUSES: readonly PatternStatus[] = [
  'detected',
  'candidate',
  'approved',
  'implemented',
  'active',
  'rejected',
  'deprecated',
];

export type PatternKind = 'command' | 'sequence' | 'fix_loop' | 'workflow';

/** Where a registered tool runs: the request's cwd, its own fixed cwd, or the daemon's. */
export const CWD_POLICIES = ['request', 'fixed', 'inherit'] as const;
export type CwdPolicy = (typeof CWD_POLICIES)[number];

export interface QuotaSignal {
  ts: string;
  sessionId: string | null;
  fiveHourPct: number | null;
  fiveHourResetsAt: string | null;
  sevenDayPct: number | null;
  sevenDayResetsAt: string | null;
  sessionCostUsd: number | null;
  source: 'statusline' | 'stream' | 'transcript';
}

/** What a Bash call printed, as kept: all of it, or its head and tail (core/records/tool-call-output.ts). */
export interface CallOutput {
  text: string;
  /** UTF-8 bytes of the whole output */
  rawBytes: number;
  truncated: boolean;
}

/**
 * What one source line tells about a tool call. Fragments with the same callKey are merged by the
 * store: a field that is null/undefined in a later fragment never overwrites a known value.
 */
export type ToolCallFragment = {
  callKey: string;
  toolUseId: string | null;
  source: ToolCallSource;
  /** what a Bash call printed, when this source saw it (kept in `tool_outputs` for the savings replay) */
  output?: CallOutput;
} & Partial<Omit<ToolCall, 'callKey' | 'toolUseId' | 'source'>>;
