/**
 * An in-memory daemon for TUI tests and the TUI bench: `FakeDaemon` holds the state (patterns with
 * the real lifecycle rules, reviews, events, cursors) and hands out `FakeDaemonClient`s that record
 * every call. `restart()` drops all clients (a new instance); `down` makes `connect` fail.
 */
import { AppError } from '../../src/core/errors.js';
import type { PatternStatus } from '../../src/core/types.js';
import type { DailyReport, DailyRow } from '../../src/core/usage/usage-report.js';
import type { DaemonClient, NotificationHandler } from '../../src/rpc/client.js';
import {
  METHODS,
  NOTIFICATIONS,
  type DaemonEvent,
  type DaemonMethods,
  type EventsChanged,
  type ForecastResult,
  type OffloadSetParams,
  type OffloadSetResult,
  type ParamsOf,
  type PatternDetail,
  type PatternReview,
  type PatternSummary,
  type ResultOf,
  type SavingsReplayResult,
  type SavingsSummary,
  type StatusResult,
} from '../../src/rpc/protocol.js';

export type MethodName = keyof DaemonMethods;
export type Handler<M extends MethodName> = (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
export type Handlers = { [M in MethodName]?: Handler<M> };

export interface Call {
  method: MethodName;
  params: unknown;
}

export class FakeDaemonClient implements DaemonClient {
  readonly calls: Call[] = [];
  closed = false;
  private readonly notificationHandlers = new Set<NotificationHandler>();
  private readonly closeHandlers = new Set<(reason: string) => void>();
  private readonly pending = new Set<(e: Error) => void>();

  constructor(private readonly handlers: () => Handlers) {}

  request<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    this.calls.push({ method, params });
    if (this.closed) return Promise.reject(new AppError('unavailable', 'connection to the daemon is closed'));
    const h = this.handlers()[method] as Handler<M> | undefined;
    if (h === undefined) return Promise.reject(new AppError('not_found', `fake daemon: no handler for ${method}`));
    // Like the socket client: a request still waiting when the connection drops is rejected.
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const fail = (e: Error): void => reject(e);
      this.pending.add(fail);
      void Promise.resolve()
        .then(() => h(params))
        .then(resolve, reject)
        .finally(() => this.pending.delete(fail));
    });
  }

  onNotification(handler: NotificationHandler): () => void {
    this.notificationHandlers.add(handler);
    return () => this.notificationHandlers.delete(handler);
  }

  onClose(handler: (reason: string) => void): () => void {
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  close(): void {
    this.kill('closed by client');
  }

  kill(reason = 'connection closed'): void {
    if (this.closed) return;
    this.closed = true;
    for (const fail of [...this.pending]) fail(new AppError('unavailable', `connection to the daemon lost: ${reason}`));
    this.pending.clear();
    for (const h of [...this.closeHandlers]) h(reason);
  }

  notify(params: EventsChanged): void {
    if (this.closed) return;
    for (const h of [...this.notificationHandlers]) h(NOTIFICATIONS.eventsChanged, params);
  }

  get listeners(): number {
    return this.notificationHandlers.size;
  }

  callsOf<M extends MethodName>(method: M): ParamsOf<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params as ParamsOf<M>);
  }
}

export function makePattern(id: number, over: Partial<PatternSummary> = {}): PatternSummary {
  return {
    id,
    signature: `test:pytest:p${String(id).padStart(5, '0')}`,
    kind: 'command',
    status: 'candidate',
    occurrences: 10 + (id % 7),
    occurrences30d: 5 + (id % 5),
    uses: 0,
    routedRuns: 0,
    confidence: 70 + (id % 30),
    avgTokensWithLlm: 12_000,
    avgTokensWithTool: 400,
    tokenBasis: id % 2 === 0 ? 'measured' : 'estimated',
    toolTokenBasis: 'estimated',
    avgCostWithLlmUsd: 0.12,
    avgCostWithToolUsd: 0,
    monthlySavingsUsd: id,
    model: 'claude-sonnet-4-5',
    firstSeen: '2025-01-01T00:00:00.000Z',
    lastSeen: `2025-01-${String(1 + (id % 28)).padStart(2, '0')}T00:00:00.000Z`,
    examples: [`uv run pytest tests/test_${id}.py -q`],
    toolName: null,
    issueUrl: null,
    offload: false,
    offloadFamily: 'test',
    ...over,
  };
}

const APPROVABLE: readonly PatternStatus[] = ['detected', 'candidate'];
const OFFLOADABLE: readonly PatternStatus[] = ['approved', 'implemented', 'active'];
const DEPRECATABLE: readonly PatternStatus[] = ['approved', 'implemented', 'active'];

export interface FakeDaemonOptions {
  patterns?: PatternSummary[];
  forecast?: ForecastResult;
  savings?: SavingsSummary;
  replay?: SavingsReplayResult;
  backlog?: DaemonEvent[];
}

export class FakeDaemon {
  readonly patterns = new Map<number, PatternSummary>();
  readonly reviews = new Map<number, PatternReview[]>();
  readonly clients: FakeDaemonClient[] = [];
  /** Per-method overrides (e.g. a gated approve); take precedence over the built-ins. */
  overrides: Handlers = {};
  /** When true, `connect` rejects as an unreachable daemon would. */
  down = false;
  connectAttempts = 0;
  instance = 1;
  seq = 0;
  backlog: DaemonEvent[];
  /** the offload kill switch */
  offloadEnabled = true;
  forecast: ForecastResult;
  savings: SavingsSummary;
  replay: SavingsReplayResult;
  private reviewSeq = 0;

  constructor(opts: FakeDaemonOptions = {}) {
    for (const p of opts.patterns ?? [makePattern(1), makePattern(2), makePattern(3)]) this.patterns.set(p.id, p);
    this.backlog = opts.backlog ?? [];
    this.forecast = opts.forecast ?? defaultForecast();
    this.savings = opts.savings ?? defaultSavings();
    this.replay = opts.replay ?? defaultReplay();
  }

  readonly connect = (): Promise<FakeDaemonClient> => {
    this.connectAttempts += 1;
    if (this.down)
      return Promise.reject(new AppError('unavailable', 'the outloop daemon is not reachable at /tmp/fake.sock'));
    const c = new FakeDaemonClient(() => ({ ...this.builtins(), ...this.overrides }));
    this.clients.push(c);
    return Promise.resolve(c);
  };

  get current(): FakeDaemonClient {
    const live = this.clients.filter((c) => !c.closed);
    const c = live[live.length - 1];
    if (c === undefined) throw new Error('no live fake client');
    return c;
  }

  /** All calls over every connection, in order per connection. */
  get calls(): Call[] {
    return this.clients.flatMap((c) => c.calls);
  }

  callsOf<M extends MethodName>(method: M): ParamsOf<M>[] {
    return this.clients.flatMap((c) => c.callsOf(method));
  }

  cursor(): string {
    return `c:${this.instance}:${this.seq}`;
  }

  /** Pushes events to every live subscriber as one `events/changed`. */
  emit(events: Omit<DaemonEvent, 'seq' | 'ts'>[]): void {
    const full = events.map((e) => ({ ts: '2025-01-15T12:00:00.000Z', ...e, seq: ++this.seq }));
    for (const c of this.clients) c.notify({ cursor: this.cursor(), events: full });
  }

  /** The daemon dies: every connection closes; a later connect reaches a new instance. */
  restart(): void {
    for (const c of this.clients) c.kill('connection closed');
    this.instance += 1;
    this.seq = 0;
  }

  /** Applies a review as the daemon would (also used to simulate reviews from another client). */
  review(
    id: number,
    action: 'approve' | 'reject' | 'deprecate' | 'undo',
    actor = 'cli',
    note?: string,
  ): PatternSummary {
    const p = this.patterns.get(id);
    if (p === undefined) throw new AppError('not_found', `pattern ${id} not found`);
    const history = this.reviews.get(id) ?? [];
    let to: PatternStatus;
    if (action === 'undo') {
      const last = history[history.length - 1];
      if (last === undefined || last.from === null) throw new AppError('conflict', `nothing to undo for pattern ${id}`);
      to = last.from;
    } else if (action === 'deprecate') {
      if (!DEPRECATABLE.includes(p.status))
        throw new AppError('illegal_transition', `cannot deprecate a ${p.status} pattern`);
      to = 'deprecated';
    } else {
      if (!APPROVABLE.includes(p.status))
        throw new AppError('illegal_transition', `cannot ${action} a ${p.status} pattern`);
      to = action === 'approve' ? 'approved' : 'rejected';
    }
    history.push({
      id: ++this.reviewSeq,
      action,
      from: p.status,
      to,
      actor,
      note: note ?? null,
      ts: '2025-01-15T12:00:00.000Z',
    });
    this.reviews.set(id, history);
    // as the daemon: approval of a compactable pattern offloads it, leaving the approved statuses ends it
    const offload = OFFLOADABLE.includes(to) ? p.offload || (action === 'approve' && p.offloadFamily !== null) : false;
    const next = { ...p, status: to, offload };
    this.patterns.set(id, next);
    return next;
  }

  /** `offload/set` for one pattern, with the daemon's refusals. */
  setOffload(params: OffloadSetParams): OffloadSetResult {
    const p = params.patternId === undefined ? undefined : this.patterns.get(params.patternId);
    if (p === undefined) throw new AppError('not_found', `no pattern with id ${params.patternId ?? '?'}`);
    if (params.on && !OFFLOADABLE.includes(p.status))
      throw new AppError(
        'illegal_transition',
        `pattern ${p.id} is ${p.status}: only an approved pattern can be offloaded`,
      );
    if (params.on && p.offloadFamily === null) throw new AppError('conflict', `pattern ${p.id} has no compactor`);
    const next = { ...p, offload: params.on };
    this.patterns.set(p.id, next);
    return { changed: p.offload !== params.on, enabled: this.offloadEnabled, pattern: next };
  }

  detail(id: number): PatternDetail {
    const p = this.patterns.get(id);
    if (p === undefined) throw new AppError('not_found', `pattern ${id} not found`);
    return {
      ...p,
      reviews: this.reviews.get(id) ?? [],
      tool: null,
      contextProfile: null,
      confidenceBreakdown: { frequency: 30, consistency: 25, success: 20 },
    };
  }

  status(): StatusResult {
    return {
      running: true,
      pid: 4242,
      version: '0.1.0',
      protocolVersion: 1,
      instanceId: String(this.instance),
      socket: '/tmp/fake.sock',
      stateDir: '/tmp/fake',
      dbPath: '/tmp/fake/outloop.db',
      startedAt: '2025-01-15T00:00:00.000Z',
      uptimeS: 60,
      counts: {
        hookEvents: 100,
        toolCalls: 250,
        usageRecords: 30,
        workflowRuns: 2,
        patterns: this.patterns.size,
        quarantined: 1,
      },
      unpricedModels: 0,
      unpricedModelNames: [],
      warnings: [],
      ingest: { watchedRoots: [], trackedFiles: 3, pendingFiles: 0, lagMs: 1500, lastIngestAt: null },
      offloadEnabled: this.offloadEnabled,
    };
  }

  private builtins(): Handlers {
    return {
      [METHODS.daemonStatus]: () => this.status(),
      [METHODS.eventsSubscribe]: (p) => {
        const fresh = p.since === undefined || !p.since.startsWith(`c:${this.instance}:`);
        return { cursor: this.cursor(), isFreshInstance: fresh, events: fresh ? this.backlog : [] };
      },
      [METHODS.patternsList]: () => [...this.patterns.values()],
      [METHODS.patternsGet]: (p) => this.detail(p.id),
      [METHODS.patternsApprove]: (p) => this.review(p.id, 'approve', p.actor, p.note),
      [METHODS.patternsReject]: (p) => this.review(p.id, 'reject', p.actor, p.note),
      [METHODS.patternsDeprecate]: (p) => this.review(p.id, 'deprecate', p.actor, p.note),
      [METHODS.patternsUndo]: (p) => this.review(p.id, 'undo', p.actor, p.note),
      [METHODS.offloadSet]: (p) => this.setOffload(p),
      [METHODS.savingsSummary]: () => this.savings,
      [METHODS.savingsReplay]: () => this.replay,
      [METHODS.forecast]: () => this.forecast,
      [METHODS.usageReport]: () =>
        dailyReportOf([
          dailyRow('2025-01-13', 1_000_000, 3),
          dailyRow('2025-01-14', 4_000_000, 9),
          dailyRow('2025-01-15', 2_000_000, 5),
        ]),
    };
  }
}

/** One day of ccusage's daily report: all its tokens are input tokens of one model. */
export function dailyRow(date: string, tokens: number, cost: number): DailyRow {
  const model = 'claude-sonnet-4-5';
  return {
    date,
    inputTokens: tokens,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    totalTokens: tokens,
    totalCost: cost,
    modelsUsed: [model],
    modelBreakdowns: [
      { modelName: model, inputTokens: tokens, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, cost },
    ],
  };
}

/** The daily report of `rows`, with their totals. */
export function dailyReportOf(rows: DailyRow[]): DailyReport {
  const sum = (f: (r: DailyRow) => number): number => rows.reduce((a, r) => a + f(r), 0);
  return {
    daily: rows,
    totals: {
      inputTokens: sum((r) => r.inputTokens),
      outputTokens: sum((r) => r.outputTokens),
      cacheCreationTokens: sum((r) => r.cacheCreationTokens),
      cacheReadTokens: sum((r) => r.cacheReadTokens),
      totalTokens: sum((r) => r.totalTokens),
      totalCost: sum((r) => r.totalCost),
    },
  };
}

export function defaultForecast(): ForecastResult {
  const window = (pct: number | null, provenance: 'official' | 'estimated') => ({
    start: '2025-01-15T10:00:00.000Z',
    end: '2025-01-15T15:00:00.000Z',
    tokens: 1_200_000,
    costUsd: 3.2,
    burnTokensPerMin: 25_000,
    burnUsdPerHour: 3.2,
    projectedTokens: 2_000_000,
    projectedCostUsd: 6,
    pct,
    resetsAt: '2025-01-15T15:00:00.000Z',
    provenance,
    undatedRecords: 0,
  });
  return {
    generatedAt: '2025-01-15T12:00:00.000Z',
    provenance: 'estimated',
    month: '2025-01',
    daysInMonth: 31,
    dayOfMonth: 15,
    remainingDays: 16,
    monthToDateTokens: 156_000_000,
    todayTokens: 2_000_000,
    dailyAverageTokens: 6_470_588,
    dailyAverageCostUsd: 15.5,
    restOfTodayTokens: 4_470_588,
    limitTokens: 300_000_000,
    limitSource: 'default',
    usagePct: 52,
    projectedTokens: 264_000_000,
    projectedPct: 88,
    willExceedBy: 0,
    risk: 'high',
    trend: 'rising',
    throttle: { recommended: true, reasons: ['risk high: projected 88% of the monthly limit'] },
    fiveHour: window(40, 'official'),
    sevenDay: window(null, 'estimated'),
  };
}

export function defaultSavings(): SavingsSummary {
  return {
    todayUsd: 1.25,
    monthUsd: 45.5,
    allTimeUsd: 123.75,
    tokensSavedAllTime: 12_300_000,
    byType: [
      { type: 'routed_tool', usd: 40, tokens: 10_000_000, rawTokens: 10_400_000, compactTokens: 400_000 },
      { type: 'context_profile', usd: 5.5, tokens: 2_300_000, rawTokens: 2_500_000, compactTokens: 200_000 },
    ],
    topPatterns: [{ id: 3, signature: 'test:pytest:backend', usd: 20 }],
    daily: [
      { date: '2025-01-13', usd: 1 },
      { date: '2025-01-14', usd: 4 },
      { date: '2025-01-15', usd: 2 },
    ],
  };
}

/** A replay of two patterns' recorded outputs (figures consistent: saved = raw − compact, totals = sums). */
export function defaultReplay(): SavingsReplayResult {
  const group = (key: string, calls: number, raw: number, compact: number, usd: number) => ({
    key,
    family: 'generic' as const,
    calls,
    rawTokens: raw,
    compactTokens: compact,
    savedTokens: raw - compact,
    reductionPct: Math.round(((raw - compact) / raw) * 1000) / 10,
    savedUsd: usd,
    unpricedCalls: 0,
    carryOverTokens: (raw - compact) * 3,
    carryOverUsd: usd * 0.3,
    carryOverCalls: calls,
  });
  const vitest = group('test:vitest:all', 12, 240_000, 12_000, 0.684);
  const build = group('build:tsc:all', 4, 40_000, 8_000, 0.096);
  const { key: _k, family: _f, ...totals } = group('all', 16, 280_000, 20_000, 0.78);
  return {
    basis: 'measured (replay)',
    since: '2025-01-01',
    until: null,
    totals,
    byFamily: [group('generic', 16, 280_000, 20_000, 0.78)],
    byPattern: [vitest, build],
    truncatedOutputs: 0,
    periodTokens: 9_000_000,
    savedShareOfPeriodPct: 2.9,
    carryOverLabel: 'carry-over (cache reads)',
  };
}

/** A promise with its resolve/reject exposed, to hold an RPC answer back. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
