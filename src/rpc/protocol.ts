/**
 * The wire contract between the daemon and every client (CLI, TUI, executors). Each method name
 * and each param exists here once, in RPC_METHODS; both ends compile against these types. The
 * result shapes are declared by area under wire/ and re-exported from here, so this file stays the
 * one import for the whole contract.
 */
import { CWD_POLICIES, PATTERN_STATUSES, type CwdPolicy } from '../core/types.js';
import {
  methodKey,
  returns,
  type MethodKey,
  type MethodSpec,
  type ParamsFrom,
  type ResultFrom,
} from './method-spec.js';
import type { AnalyzeResult } from './wire/analyze.js';
import type { ContextEfficiencyResult, ContextProfileInfo } from './wire/context.js';
import type { EventsChanged, ShutdownResult, StatusResult, SubscribeResult } from './wire/daemon.js';
import type { IngestCounts, QuarantineListResult, StatuslineResult } from './wire/ingest.js';
import type { OffloadSetResult, OffloadStatusResult } from './wire/offload.js';
import type { PatternDetail, PatternSummary, RollbackResult } from './wire/patterns.js';
import type { ForecastResult, PreflightResult, UsageReportByKind } from './wire/quota.js';
import type { SavingsReplayResult, SavingsSummary } from './wire/savings.js';
import type { RouteResult, ToolInfo } from './wire/tools-route.js';

export type * from './wire/analyze.js';
export type * from './wire/context.js';
export type * from './wire/daemon.js';
export type * from './wire/ingest.js';
export type * from './wire/offload.js';
export type * from './wire/patterns.js';
export type * from './wire/quota.js';
export type * from './wire/savings.js';
export type * from './wire/tools-route.js';

export const PROTOCOL_VERSION = 1;

export const NOTIFICATIONS = {
  eventsChanged: 'events/changed',
} as const;

// ---------- tools ----------
export { CWD_POLICIES };
export type { CwdPolicy };

// ---------- usage report ----------
export const REPORT_KINDS = ['daily', 'monthly', 'session', 'blocks'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export type UsageReportResult = UsageReportByKind[ReportKind];

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
