/**
 * The wire contract between the daemon and every client (CLI, TUI, executors). Each method name
 * exists here once; both ends compile against these types.
 */
import type { CompactFamily } from '../core/compact/types.js';
import type { Efficiency } from '../core/context/efficiency.js';
import type { ContextProfile } from '../core/context/profile.js';
import type { Priority as DiscoveryPriority } from '../core/learning/discovery.js';
import type { PatternKind, PatternStatus, Basis, ToolTokenBasis, CwdPolicy } from '../core/types.js';
import type { ReplayFigures, ReplayGroup } from '../core/learning/savings-replay.js';
import type { SavingsPeriod, SavingsSummary } from '../core/learning/savings-summary.js';
import type { Budget, BudgetCheck, HistoryEstimate } from '../core/route/budgets.js';
import type { InputAnalysis } from '../core/route/input-analysis.js';
import type { PreflightResult as PreflightVerdict } from '../core/route/preflight.js';
import type { BlocksReport } from '../core/usage/blocks.js';
import type { Forecast, QuotaWindow } from '../core/usage/forecast.js';
import type { DailyReport, MonthlyReport, SessionReport } from '../core/usage/usage-report.js';

export const PROTOCOL_VERSION = 1;

export const METHODS = {
  daemonStatus: 'daemon/status',
  daemonShutdown: 'daemon/shutdown',
  eventsSubscribe: 'events/subscribe',
  eventsRecent: 'events/recent',
  patternsList: 'patterns/list',
  patternsGet: 'patterns/get',
  patternsApprove: 'patterns/approve',
  patternsReject: 'patterns/reject',
  patternsDeprecate: 'patterns/deprecate',
  patternsRollback: 'patterns/rollback',
  patternsUndo: 'patterns/undo',
  savingsSummary: 'savings/summary',
  savingsReplay: 'savings/replay',
  toolsRegister: 'tools/register',
  toolsList: 'tools/list',
  toolsEnable: 'tools/enable',
  toolsDisable: 'tools/disable',
  route: 'route',
  preflight: 'preflight',
  forecast: 'forecast',
  usageReport: 'usage/report',
  contextEfficiency: 'context/efficiency',
  contextProfile: 'context/profile',
  analyzeRun: 'analyze/run',
  ingestRun: 'ingest/run',
  statuslineUpdate: 'statusline/update',
  offloadStatus: 'offload/status',
  offloadSet: 'offload/set',
  quarantineList: 'quarantine/list',
} as const;

export const NOTIFICATIONS = {
  eventsChanged: 'events/changed',
} as const;

export type MethodName = (typeof METHODS)[keyof typeof METHODS];

// ---------- daemon ----------
export interface TableCounts {
  hookEvents: number;
  toolCalls: number;
  usageRecords: number;
  workflowRuns: number;
  patterns: number;
  quarantined: number;
}

export interface IngestStatus {
  watchedRoots: string[];
  trackedFiles: number;
  pendingFiles: number;
  /** Milliseconds between the oldest unprocessed change and now; 0 when caught up. */
  lagMs: number;
  lastIngestAt: string | null;
}

export interface StatusResult {
  running: true;
  pid: number;
  version: string;
  protocolVersion: number;
  instanceId: string;
  socket: string;
  stateDir: string;
  dbPath: string;
  startedAt: string;
  uptimeS: number;
  counts: TableCounts;
  unpricedModels: number;
  unpricedModelNames: string[];
  warnings: string[];
  ingest: IngestStatus;
  /** the offload kill switch: false while `outloop offload off` stops all offloading */
  offloadEnabled: boolean;
}

export interface ShutdownResult {
  ok: true;
}

// ---------- events ----------
export type DaemonEventKind =
  'hook_event' | 'tool_call' | 'usage' | 'workflow_run' | 'quarantine' | 'pattern' | 'review' | 'savings' | 'warning';

export interface DaemonEvent {
  seq: number;
  kind: DaemonEventKind;
  ts: string;
  /** One human line, e.g. "Bash pytest tests/ (exit 0)". */
  summary: string;
  sessionId?: string | null;
  patternId?: number | null;
}

export interface SubscribeParams {
  /** A cursor `c:<instance>:<seq>` from an earlier answer. */
  since?: string;
}

export interface SubscribeResult {
  cursor: string;
  isFreshInstance: boolean;
  /** On a fresh instance: the recent backlog; otherwise the events after `since`. */
  events: DaemonEvent[];
}

export interface EventsChanged {
  cursor: string;
  events: DaemonEvent[];
}

export interface RecentParams {
  limit?: number;
}

// ---------- patterns ----------
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

/** The context profile of the pattern with `signature`, built at `updatedAt`. */
export interface ContextProfileInfo extends ContextProfile {
  signature: string;
  updatedAt: string;
}

export interface PatternDetail extends PatternSummary {
  reviews: PatternReview[];
  tool: ToolInfo | null;
  contextProfile: ContextProfileInfo | null;
  confidenceBreakdown: Record<string, number>;
}

export type PatternSortKey = 'savings' | 'confidence' | 'occurrences' | 'lastSeen' | 'signature';

export interface PatternsListParams {
  status?: PatternStatus;
  text?: string;
  sort?: PatternSortKey;
  limit?: number;
  offset?: number;
}

export interface PatternsGetParams {
  id: number;
}

export interface PatternActionParams {
  id: number;
  note?: string;
  actor?: string;
}

export interface RollbackParams {
  note?: string;
  actor?: string;
}

export interface RollbackResult {
  deprecated: number[];
}

// ---------- savings ----------
export interface SavingsParams {
  days?: number;
  /** a period of UTC days, both included (YYYY-MM-DD or YYYYMMDD): adds `period` to the summary */
  since?: string;
  until?: string;
}

/** `savings/summary`: the shapes are owned by core/learning/savings-summary.ts. */
export type { SavingsPeriod, SavingsSummary };

/** `savings/replay`: a period of UTC days, both included (YYYY-MM-DD or YYYYMMDD); none: all history. */
export interface SavingsReplayParams {
  since?: string;
  until?: string;
}

/** The compactors replayed over every recorded Bash output of the period. Every figure is `measured (replay)`. */
export interface SavingsReplayResult {
  basis: 'measured (replay)';
  /** the period as asked (normalized to YYYY-MM-DD), null when open */
  since: string | null;
  until: string | null;
  totals: ReplayFigures;
  /** per compactor family, largest saving first */
  byFamily: ReplayGroup[];
  /** per operation signature (`key`), largest saving first */
  byPattern: ReplayGroup[];
  /** outputs kept cut to their head and tail (their raw tokens are the whole size) */
  truncatedOutputs: number;
  /** every token of the usage records in the period (input, output, cache writes and reads) */
  periodTokens: number;
  /** totals.savedTokens as a share of periodTokens, percent; null without usage records */
  savedShareOfPeriodPct: number | null;
  /** what the carry-over figures count */
  carryOverLabel: string;
}

// ---------- tools ----------
export type { CwdPolicy };

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

export interface ToolRegisterParams {
  name: string;
  signature: string;
  triggers?: string[];
  argv: string[];
  timeoutMs?: number;
  outputCapBytes?: number;
  cwdPolicy?: CwdPolicy;
  cwd?: string;
}

export interface ToolNameParams {
  name: string;
}

// ---------- route ----------
export interface RouteParams {
  input: string;
  cwd?: string;
  workflowType?: string;
  dryRun?: boolean;
  threshold?: number;
}

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

// ---------- preflight / forecast ----------
export interface PreflightParams {
  input: string;
  workflowType?: string;
  priority?: 'low' | 'normal' | 'high';
}

/** The estimate from similar past runs, with the workflow type it was asked for (null: any). */
export interface PreflightEstimate extends HistoryEstimate {
  workflowType: string | null;
  /** true when no similar run was found and the stated default was used */
  defaultUsed: boolean;
}

/** The budget check with the budget it was made against. */
export type PreflightBudget = BudgetCheck & Budget;

/** What a pre-flight answer shows of a quota window. */
export type QuotaWindowSummary = Pick<QuotaWindow, 'pct' | 'tokens' | 'costUsd' | 'resetsAt' | 'provenance'>;

/** What a pre-flight answer shows of the quota forecast. */
export interface PreflightQuota extends Pick<
  Forecast,
  | 'provenance'
  | 'risk'
  | 'trend'
  | 'monthToDateTokens'
  | 'todayTokens'
  | 'dailyAverageTokens'
  | 'projectedTokens'
  | 'limitTokens'
  | 'limitSource'
  | 'usagePct'
  | 'projectedPct'
  | 'throttle'
> {
  fiveHour: QuotaWindowSummary;
  sevenDay: QuotaWindowSummary;
}

/** The forecast failed: why (nothing is throttled then). */
export interface QuotaUnavailable {
  error: string;
}

/** The decision and its reasons (core/route/preflight.ts), with what it was made from. */
export interface PreflightResult extends PreflightVerdict {
  analysis: InputAnalysis;
  estimate: PreflightEstimate;
  quota: PreflightQuota | QuotaUnavailable;
  budget: PreflightBudget;
}

/** The forecast shape is owned by core/usage/forecast.ts; every field is plain JSON. */
export type ForecastResult = Forecast;

// ---------- usage report ----------
export type ReportKind = 'daily' | 'monthly' | 'session' | 'blocks';

export interface UsageReportParams {
  kind: ReportKind;
  since?: string;
  until?: string;
}

/** The answer per report kind: ccusage's daily, monthly and session JSON, and its 5-hour blocks. */
export interface UsageReportByKind {
  daily: DailyReport;
  monthly: MonthlyReport;
  session: SessionReport;
  blocks: BlocksReport;
}

export type UsageReportResult = UsageReportByKind[ReportKind];

// ---------- context ----------
export interface ContextEfficiencyParams {
  sessionId?: string;
  workflowId?: string;
}

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

export interface ContextProfileParams {
  signature: string;
}

// ---------- analyze ----------
export interface AnalyzeParams {
  /** file GitHub issues with `gh` (else, and when gh is missing or fails, Markdown under the state dir) */
  createIssues?: boolean;
  /** `OWNER/NAME` (or `HOST/OWNER/NAME`) for gh; default: the repository of `cwd` */
  repo?: string;
  /** the caller's working directory (absolute), where gh finds the repository when `repo` is absent */
  cwd?: string;
}

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

// ---------- offload ----------
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

/** One pattern (by signature or id) on or off; neither: the kill switch. */
export interface OffloadSetParams {
  signature?: string;
  patternId?: number;
  on: boolean;
  actor?: string;
  note?: string;
}

export interface OffloadSetResult {
  /** false when it already was so */
  changed: boolean;
  /** the kill switch after the call */
  enabled: boolean;
  /** the pattern acted on, as patterns/list shows it (null for the kill switch) */
  pattern: PatternSummary | null;
}

// ---------- ingest ----------
export interface IngestParams {
  paths: string[];
}

export interface IngestCounts {
  files: number;
  bytes: number;
  hookEvents: number;
  toolCalls: number;
  usageRecords: number;
  workflowRuns: number;
  quarantined: number;
}

// ---------- quarantine ----------
export interface QuarantineListParams {
  /** only files whose path contains this text */
  path?: string;
}

/** Lines of one file rejected for one reason: `kept` are stored rows, `total` includes those only counted. */
export interface QuarantineReasonGroup {
  reason: string;
  kept: number;
  total: number;
  /** byte offset of the sample line */
  sampleOffset: number;
  /** the first bytes of one rejected line (at most 120 characters, control characters as spaces) */
  sample: string;
}

export interface QuarantineFileGroup {
  path: string;
  kept: number;
  total: number;
  reasons: QuarantineReasonGroup[];
}

export interface QuarantineListResult {
  /** rows kept per file before lines are only counted */
  keepPerFile: number;
  kept: number;
  total: number;
  files: QuarantineFileGroup[];
}

// ---------- statusline ----------
export interface StatuslineParams {
  payload: unknown;
}

export interface StatuslineResult {
  line: string;
}

/** Every request method with its params and result: both ends type against this map. */
export interface DaemonMethods {
  'daemon/status': (params?: Record<string, never>) => StatusResult;
  'daemon/shutdown': (params?: Record<string, never>) => ShutdownResult;
  'events/subscribe': (params: SubscribeParams) => SubscribeResult;
  'events/recent': (params: RecentParams) => SubscribeResult;
  'patterns/list': (params: PatternsListParams) => PatternSummary[];
  'patterns/get': (params: PatternsGetParams) => PatternDetail;
  'patterns/approve': (params: PatternActionParams) => PatternSummary;
  'patterns/reject': (params: PatternActionParams) => PatternSummary;
  'patterns/deprecate': (params: PatternActionParams) => PatternSummary;
  'patterns/rollback': (params: RollbackParams) => RollbackResult;
  'patterns/undo': (params: PatternActionParams) => PatternSummary;
  'savings/summary': (params: SavingsParams) => SavingsSummary;
  'savings/replay': (params: SavingsReplayParams) => SavingsReplayResult;
  'tools/register': (params: ToolRegisterParams) => ToolInfo;
  'tools/list': (params?: Record<string, never>) => ToolInfo[];
  'tools/enable': (params: ToolNameParams) => ToolInfo;
  'tools/disable': (params: ToolNameParams) => ToolInfo;
  route: (params: RouteParams) => RouteResult;
  preflight: (params: PreflightParams) => PreflightResult;
  forecast: (params?: Record<string, never>) => ForecastResult;
  'usage/report': (params: UsageReportParams) => UsageReportResult;
  'context/efficiency': (params: ContextEfficiencyParams) => ContextEfficiencyResult;
  'context/profile': (params: ContextProfileParams) => ContextProfileInfo;
  'analyze/run': (params: AnalyzeParams) => AnalyzeResult;
  'ingest/run': (params: IngestParams) => IngestCounts;
  'statusline/update': (params: StatuslineParams) => StatuslineResult;
  'offload/status': (params?: Record<string, never>) => OffloadStatusResult;
  'offload/set': (params: OffloadSetParams) => OffloadSetResult;
  'quarantine/list': (params: QuarantineListParams) => QuarantineListResult;
}

/** Notifications the daemon sends to clients. */
export interface ClientMethods {
  'events/changed': (params: EventsChanged) => void;
}

export type ParamsOf<M extends keyof DaemonMethods> = Parameters<DaemonMethods[M]>[0];
export type ResultOf<M extends keyof DaemonMethods> = ReturnType<DaemonMethods[M]>;
