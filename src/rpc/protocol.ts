/**
 * The wire contract between the daemon and every client (CLI, TUI, executors). Each method name
 * and each param exists here once, in RPC_METHODS; both ends compile against these types.
 */
import type { CompactFamily } from '../core/compact/types.js';
import type { Efficiency } from '../core/context/efficiency.js';
import type { ContextProfile } from '../core/context/profile.js';
import type { Priority as DiscoveryPriority } from '../core/learning/discovery.js';
import {
  CWD_POLICIES,
  PATTERN_STATUSES,
  type PatternKind,
  type PatternStatus,
  type Basis,
  type ToolTokenBasis,
  type CwdPolicy,
} from '../core/types.js';
import type { ReplayFigures, ReplayGroup } from '../core/learning/savings-replay.js';
import type { SavingsPeriod, SavingsSummary } from '../core/learning/savings-summary.js';
import type { Budget, BudgetCheck, HistoryEstimate } from '../core/route/budgets.js';
import type { InputAnalysis } from '../core/route/input-analysis.js';
import type { PreflightResult as PreflightVerdict } from '../core/route/preflight.js';
import type { BlocksReport } from '../core/usage/blocks.js';
import type { Forecast, QuotaWindow } from '../core/usage/forecast.js';
import type { DailyReport, MonthlyReport, SessionReport } from '../core/usage/usage-report.js';
import {
  methodKey,
  returns,
  type MethodKey,
  type MethodSpec,
  type ParamsFrom,
  type ResultFrom,
} from './method-spec.js';

export const PROTOCOL_VERSION = 1;

export const NOTIFICATIONS = {
  eventsChanged: 'events/changed',
} as const;

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

export interface RollbackResult {
  deprecated: number[];
}

// ---------- savings ----------
/** `savings/summary`: the shapes are owned by core/learning/savings-summary.ts. */
export type { SavingsPeriod, SavingsSummary };

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
export { CWD_POLICIES };
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

// ---------- preflight / forecast ----------
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
export const REPORT_KINDS = ['daily', 'monthly', 'session', 'blocks'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The answer per report kind: ccusage's daily, monthly and session JSON, and its 5-hour blocks. */
export interface UsageReportByKind {
  daily: DailyReport;
  monthly: MonthlyReport;
  session: SessionReport;
  blocks: BlocksReport;
}

export type UsageReportResult = UsageReportByKind[ReportKind];

// ---------- context ----------
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

// ---------- analyze ----------
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

export interface OffloadSetResult {
  /** false when it already was so */
  changed: boolean;
  /** the kill switch after the call */
  enabled: boolean;
  /** the pattern acted on, as patterns/list shows it (null for the kill switch) */
  pattern: PatternSummary | null;
}

// ---------- ingest ----------
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
export interface StatuslineResult {
  line: string;
}

/** Largest natural-language input `route` and `preflight` take, in characters. */
const MAX_INPUT_CHARS = 2 * 1024 * 1024;

const PATTERN_ACTION = {
  id: { type: 'integer', required: true, min: 1 },
  note: { type: 'string', maxLength: 10_000 },
  actor: { type: 'string', maxLength: 200 },
} as const;

/**
 * Every request method: its name (the key), its params and its result. The params are field specs
 * the daemon checks before any handler runs (unknown fields are ignored; a declared one that is
 * present must have its type, null included: no param is nullable); their TypeScript types are
 * read off the specs (method-spec.ts). Both ends type against this table.
 */
export const RPC_METHODS = {
  'daemon/status': { params: {}, result: returns<StatusResult>() },
  'daemon/shutdown': { params: {}, result: returns<ShutdownResult>() },
  'events/subscribe': {
    params: {
      // a cursor `c:<instance>:<seq>` from an earlier answer
      since: { type: 'string', maxLength: 200 },
    },
    result: returns<SubscribeResult>(),
  },
  'events/recent': { params: { limit: { type: 'integer', min: 1, max: 10_000 } }, result: returns<SubscribeResult>() },
  'patterns/list': {
    params: {
      status: { type: 'string', oneOf: PATTERN_STATUSES },
      text: { type: 'string', maxLength: 1000 },
      sort: { type: 'string', oneOf: ['savings', 'confidence', 'occurrences', 'lastSeen', 'signature'] },
      limit: { type: 'integer', min: 1, max: 100_000 },
      offset: { type: 'integer', min: 0 },
    },
    result: returns<PatternSummary[]>(),
  },
  'patterns/get': { params: { id: { type: 'integer', required: true, min: 1 } }, result: returns<PatternDetail>() },
  'patterns/approve': { params: PATTERN_ACTION, result: returns<PatternSummary>() },
  'patterns/reject': { params: PATTERN_ACTION, result: returns<PatternSummary>() },
  'patterns/deprecate': { params: PATTERN_ACTION, result: returns<PatternSummary>() },
  'patterns/rollback': {
    params: { note: { type: 'string', maxLength: 10_000 }, actor: { type: 'string', maxLength: 200 } },
    result: returns<RollbackResult>(),
  },
  'patterns/undo': { params: PATTERN_ACTION, result: returns<PatternSummary>() },
  'savings/summary': {
    params: {
      days: { type: 'integer', min: 1, max: 3650 },
      // a period of UTC days, both included (YYYY-MM-DD or YYYYMMDD): adds `period` to the summary
      since: { type: 'string', maxLength: 10 },
      until: { type: 'string', maxLength: 10 },
    },
    result: returns<SavingsSummary>(),
  },
  'savings/replay': {
    params: {
      // a period of UTC days, both included (YYYY-MM-DD or YYYYMMDD); none: all history
      since: { type: 'string', maxLength: 10 },
      until: { type: 'string', maxLength: 10 },
    },
    result: returns<SavingsReplayResult>(),
  },
  'tools/register': {
    params: {
      name: { type: 'string', required: true, minLength: 1, maxLength: 200 },
      signature: { type: 'string', required: true, minLength: 1, maxLength: 500 },
      triggers: { type: 'string[]', maxLength: 100 },
      argv: { type: 'string[]', required: true, minLength: 1, maxLength: 1000 },
      timeoutMs: { type: 'integer', min: 1, max: 24 * 3600 * 1000 },
      // the runner holds up to this much of a tool's output in memory
      outputCapBytes: { type: 'integer', min: 1, max: 64 * 1024 * 1024 },
      cwdPolicy: { type: 'string', oneOf: CWD_POLICIES },
      cwd: { type: 'string', maxLength: 4096 },
    },
    result: returns<ToolInfo>(),
  },
  'tools/list': { params: {}, result: returns<ToolInfo[]>() },
  'tools/enable': {
    params: { name: { type: 'string', required: true, minLength: 1, maxLength: 200 } },
    result: returns<ToolInfo>(),
  },
  'tools/disable': {
    params: { name: { type: 'string', required: true, minLength: 1, maxLength: 200 } },
    result: returns<ToolInfo>(),
  },
  route: {
    params: {
      input: { type: 'string', required: true, maxLength: MAX_INPUT_CHARS },
      cwd: { type: 'string', maxLength: 4096 },
      workflowType: { type: 'string', maxLength: 200 },
      dryRun: { type: 'boolean' },
      threshold: { type: 'number', min: 0, max: 100 },
    },
    result: returns<RouteResult>(),
  },
  preflight: {
    params: {
      input: { type: 'string', required: true, maxLength: MAX_INPUT_CHARS },
      workflowType: { type: 'string', maxLength: 200 },
      priority: { type: 'string', oneOf: ['low', 'normal', 'high'] },
    },
    result: returns<PreflightResult>(),
  },
  forecast: { params: {}, result: returns<ForecastResult>() },
  'usage/report': {
    params: {
      kind: { type: 'string', required: true, oneOf: REPORT_KINDS },
      since: { type: 'string', maxLength: 10 },
      until: { type: 'string', maxLength: 10 },
    },
    result: returns<UsageReportResult>(),
  },
  'context/efficiency': {
    params: { sessionId: { type: 'string', maxLength: 500 }, workflowId: { type: 'string', maxLength: 500 } },
    result: returns<ContextEfficiencyResult>(),
  },
  'context/profile': {
    params: { signature: { type: 'string', required: true, minLength: 1, maxLength: 500 } },
    result: returns<ContextProfileInfo>(),
  },
  'analyze/run': {
    params: {
      // file GitHub issues with `gh` (else, and when gh is missing or fails, Markdown under the state dir)
      createIssues: { type: 'boolean' },
      // `OWNER/NAME` (or `HOST/OWNER/NAME`) for gh; default: the repository of `cwd`
      repo: { type: 'string', maxLength: 200 },
      // the caller's working directory (absolute), where gh finds the repository when `repo` is absent
      cwd: { type: 'string', maxLength: 4096 },
    },
    result: returns<AnalyzeResult>(),
  },
  'ingest/run': {
    params: { paths: { type: 'string[]', required: true, minLength: 1, maxLength: 10_000 } },
    result: returns<IngestCounts>(),
  },
  'statusline/update': {
    params: { payload: { type: 'unknown', required: true } },
    result: returns<StatuslineResult>(),
  },
  'offload/status': { params: {}, result: returns<OffloadStatusResult>() },
  'offload/set': {
    params: {
      // one pattern (by signature or id) on or off; neither: the kill switch
      signature: { type: 'string', minLength: 1, maxLength: 500 },
      patternId: { type: 'integer', min: 1 },
      on: { type: 'boolean', required: true },
      actor: { type: 'string', maxLength: 200 },
      note: { type: 'string', maxLength: 10_000 },
    },
    result: returns<OffloadSetResult>(),
  },
  'quarantine/list': {
    params: {
      // only files whose path contains this text
      path: { type: 'string', maxLength: 4096 },
    },
    result: returns<QuarantineListResult>(),
  },
} as const satisfies Record<string, MethodSpec>;

type Methods = typeof RPC_METHODS;

export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = ParamsFrom<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = ResultFrom<Methods[M]>;

/** Every request method as a function from its params to its result. */
export type DaemonMethods = { [M in MethodName]: (params: ParamsOf<M>) => ResultOf<M> };

/** Each method name by its camel-case key: `METHODS.patternsList` is `'patterns/list'`. */
export const METHODS = Object.fromEntries(Object.keys(RPC_METHODS).map((name) => [methodKey(name), name])) as {
  readonly [M in MethodName as MethodKey<M>]: M;
};

/** Notifications the daemon sends to clients. */
export interface ClientMethods {
  'events/changed': (params: EventsChanged) => void;
}

// ---------- params by name, for the code that handles or builds them ----------
export type PatternsListParams = ParamsOf<'patterns/list'>;
export type PatternSortKey = NonNullable<PatternsListParams['sort']>;
export type SavingsReplayParams = ParamsOf<'savings/replay'>;
export type ToolRegisterParams = ParamsOf<'tools/register'>;
export type RouteParams = ParamsOf<'route'>;
export type PreflightParams = ParamsOf<'preflight'>;
export type UsageReportParams = ParamsOf<'usage/report'>;
export type ContextEfficiencyParams = ParamsOf<'context/efficiency'>;
export type OffloadSetParams = ParamsOf<'offload/set'>;
