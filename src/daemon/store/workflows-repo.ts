import type { Database, Statement } from 'better-sqlite3';
import type { WorkflowRun, WorkflowStatus } from '../../core/types.js';
import type { RowCounter } from './counts-repo.js';

export interface WorkflowRow {
  id: number;
  adw_id: string;
  issue_number: number | null;
  issue_class: string | null;
  workflow_type: string | null;
  phases: string;
  models: string;
  input_tokens: number;
  output_tokens: number;
  cache_creation_tokens: number;
  cache_read_tokens: number;
  total_tokens: number;
  cost_usd: number;
  cost_basis: string;
  duration_ms: number | null;
  status: WorkflowStatus;
  nl_input: string | null;
  word_count: number;
  signature: string | null;
  started_at: string | null;
  ended_at: string | null;
  ts_ms: number | null;
  state_dir: string;
}

export type { SimilarityCensus } from '../../core/route/budgets.js';
import type { SimilarityCensus } from '../../core/route/budgets.js';

export interface PastRunRow {
  workflowType: string | null;
  wordCount: number;
  totalTokens: number;
  costUsd: number;
  ts: string;
}

interface RunParams {
  issueNumber: number | null;
  issueClass: string | null;
  workflowType: string | null;
  phases: string;
  models: string;
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  total: number;
  costUsd: number;
  costBasis: string;
  durationMs: number | null;
  status: string;
  nlInput: string | null;
  wordCount: number;
  startedAt: string | null;
  endedAt: string | null;
  tsMs: number | null;
  stateDir: string;
}

function sameRun(r: WorkflowRow, p: RunParams): boolean {
  return (
    r.issue_number === p.issueNumber &&
    r.issue_class === p.issueClass &&
    r.workflow_type === p.workflowType &&
    r.phases === p.phases &&
    r.models === p.models &&
    r.input_tokens === p.input &&
    r.output_tokens === p.output &&
    r.cache_creation_tokens === p.cacheCreation &&
    r.cache_read_tokens === p.cacheRead &&
    r.total_tokens === p.total &&
    r.cost_usd === p.costUsd &&
    r.cost_basis === p.costBasis &&
    r.duration_ms === p.durationMs &&
    r.status === p.status &&
    r.nl_input === p.nlInput &&
    r.word_count === p.wordCount &&
    r.started_at === p.startedAt &&
    r.ended_at === p.endedAt &&
    r.ts_ms === p.tsMs &&
    r.state_dir === p.stateDir
  );
}

/** ADW workflow runs, one row per adw id, replaced whole as the run's files change. */
export class WorkflowsRepo {
  private readonly getStmt: Statement<[string], WorkflowRow>;
  private readonly upsertStmt: Statement;
  private readonly similarStmt: Statement<[string | null, number, number, number], PastRunRow>;
  private readonly similarAnyStmt: Statement<[number, number, number], PastRunRow>;
  private readonly censusStmt: Statement<[{ type: string | null; lo: number; hi: number }], SimilarityCensus>;
  private readonly setSignatureStmt: Statement<[string | null, string]>;

  constructor(
    db: Database,
    private readonly counts: RowCounter,
  ) {
    this.getStmt = db.prepare('SELECT * FROM workflow_runs WHERE adw_id = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO workflow_runs (adw_id, issue_number, issue_class, workflow_type, phases, models, input_tokens, output_tokens,
         cache_creation_tokens, cache_read_tokens, total_tokens, cost_usd, cost_basis, duration_ms, status, nl_input, word_count,
         started_at, ended_at, ts_ms, state_dir, updated_at)
       VALUES (@adwId, @issueNumber, @issueClass, @workflowType, @phases, @models, @input, @output, @cacheCreation, @cacheRead, @total,
         @costUsd, @costBasis, @durationMs, @status, @nlInput, @wordCount, @startedAt, @endedAt, @tsMs, @stateDir, @now)
       ON CONFLICT (adw_id) DO UPDATE SET issue_number = excluded.issue_number, issue_class = excluded.issue_class,
         workflow_type = excluded.workflow_type, phases = excluded.phases, models = excluded.models, input_tokens = excluded.input_tokens,
         output_tokens = excluded.output_tokens, cache_creation_tokens = excluded.cache_creation_tokens,
         cache_read_tokens = excluded.cache_read_tokens, total_tokens = excluded.total_tokens, cost_usd = excluded.cost_usd,
         cost_basis = excluded.cost_basis, duration_ms = excluded.duration_ms, status = excluded.status, nl_input = excluded.nl_input,
         word_count = excluded.word_count, started_at = excluded.started_at, ended_at = excluded.ended_at, ts_ms = excluded.ts_ms,
         state_dir = excluded.state_dir, updated_at = excluded.updated_at`,
    );
    const pastCols =
      'workflow_type AS workflowType, word_count AS wordCount, total_tokens AS totalTokens, cost_usd AS costUsd, coalesce(started_at, updated_at) AS ts';
    this.similarStmt = db.prepare(
      `SELECT ${pastCols} FROM workflow_runs WHERE workflow_type IS ? AND word_count BETWEEN ? AND ? AND status != 'incomplete'
       ORDER BY ts_ms DESC LIMIT ?`,
    );
    this.similarAnyStmt = db.prepare(
      `SELECT ${pastCols} FROM workflow_runs WHERE word_count BETWEEN ? AND ? AND status != 'incomplete'
       ORDER BY ts_ms DESC LIMIT ?`,
    );
    this.setSignatureStmt = db.prepare('UPDATE workflow_runs SET signature = ? WHERE adw_id = ?');
    this.censusStmt = db.prepare(
      `SELECT count(*) AS stored,
         coalesce(sum(status = 'incomplete'), 0) AS incomplete,
         coalesce(sum(status != 'incomplete' AND @type IS NOT NULL AND workflow_type IS NOT @type), 0) AS otherType,
         coalesce(sum(status != 'incomplete' AND (@type IS NULL OR workflow_type IS @type) AND word_count NOT BETWEEN @lo AND @hi), 0) AS otherSize,
         coalesce(sum(status != 'incomplete' AND (@type IS NULL OR workflow_type IS @type) AND word_count BETWEEN @lo AND @hi
           AND total_tokens <= 0), 0) AS noTokens
       FROM workflow_runs`,
    );
  }

  /** Why stored runs were not similar: how many fell to each rule of `similar` (the first rule each failed). */
  similarityCensus(workflowType: string | null, minWords: number, maxWords: number): SimilarityCensus {
    return (
      this.censusStmt.get({ type: workflowType, lo: minWords, hi: maxWords }) ?? {
        stored: 0,
        incomplete: 0,
        otherType: 0,
        otherSize: 0,
        noTokens: 0,
      }
    );
  }

  get(adwId: string): WorkflowRow | null {
    return this.getStmt.get(adwId) ?? null;
  }

  /**
   * Writes the run; says whether it is new (counted in `counter`), changed, or the same as stored (then
   * nothing is written).
   */
  upsert(run: WorkflowRun, counter: RowCounter = this.counts): 'created' | 'changed' | 'same' {
    const prev = this.getStmt.get(run.adwId);
    const t = run.tokens;
    const tsMs = run.startedAt ? Date.parse(run.startedAt) : NaN;
    const params = {
      adwId: run.adwId,
      issueNumber: run.issueNumber,
      issueClass: run.issueClass,
      workflowType: run.workflowType,
      phases: JSON.stringify(run.phases),
      models: JSON.stringify(run.models),
      input: t.inputTokens,
      output: t.outputTokens,
      cacheCreation: t.cacheCreationTokens,
      cacheRead: t.cacheReadTokens,
      total: t.inputTokens + t.outputTokens + t.cacheCreationTokens + t.cacheReadTokens,
      costUsd: run.costUsd,
      costBasis: run.costBasis,
      durationMs: run.durationMs,
      status: run.status,
      nlInput: run.nlInput,
      wordCount: run.wordCount,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      tsMs: Number.isFinite(tsMs) ? tsMs : null,
      stateDir: run.stateDir,
      now: new Date().toISOString(),
    };
    if (prev && sameRun(prev, params)) return 'same';
    this.upsertStmt.run(params);
    if (prev) return 'changed';
    counter.add('workflowRuns', 1);
    return 'created';
  }

  setSignature(adwId: string, signature: string | null): void {
    this.setSignatureStmt.run(signature, adwId);
  }

  /** Finished runs of the same type with a word count in [minWords, maxWords], newest first. */
  similar(workflowType: string | null, minWords: number, maxWords: number, limit: number): PastRunRow[] {
    return workflowType === null
      ? this.similarAnyStmt.all(minWords, maxWords, limit)
      : this.similarStmt.all(workflowType, minWords, maxWords, limit);
  }
}
