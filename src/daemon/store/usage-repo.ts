import type { Database, Statement } from 'better-sqlite3';
import type { RowCounter } from './counts-repo.js';
import { rowToRecord, UsageBatch, type Delta, type UsageRow, type UsageUpsertResult } from './usage-batch.js';

export type { UsageUpsertResult } from './usage-batch.js';
export { UsageBatch } from './usage-batch.js';
import { TURN_WINDOW_MS } from '../../core/learning/pattern-economics.js';
import { SYNTHETIC_MODEL } from '../../core/usage/pricing.js';
import type { UsageRecord } from '../../core/types.js';

type HourlyTuple = [
  number,
  string,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number | null,
  number | null,
];

export interface HourlyAggregate {
  hourMs: number;
  model: string;
  entries: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  costUsd: number;
  firstTsMs: number;
  lastTsMs: number;
  /** records that carried no time of their own (see UsageRecord.undated): counted, never a rate */
  undatedEntries: number;
  undatedTokens: number;
  undatedCostUsd: number;
  /** first and last time of the dated records (null: none) */
  datedFirstTsMs: number | null;
  datedLastTsMs: number | null;
}

export interface SessionAggregate {
  sessionId: string;
  model: string;
  project: string | null;
  entries: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  costUsd: number;
  lastTsMs: number;
}

const RECORD_COLUMNS = [
  'message_id',
  'request_id',
  'session_id',
  'agent_id',
  'project',
  'model',
  'ts',
  'ts_ms',
  'day',
  'input_tokens',
  'output_tokens',
  'cache_creation_tokens',
  'cache_5m_tokens',
  'cache_1h_tokens',
  'cache_read_tokens',
  'cost_usd',
  'priced',
  'is_sidechain',
  'speed',
  'inference_geo',
  'web_search_requests',
  'undated',
] as const;

/**
 * Usage records, one per API response (dedup key), keeping the largest value of each token field
 * across copies; hourly and per-session roll-ups are updated by delta in the same transaction.
 */
export class UsageRepo {
  private readonly getStmt: Statement<[string], UsageRow>;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly hourlyStmt: Statement;
  private readonly sessionStmt: Statement;
  private readonly hourlyRange: Statement<[number, number], HourlyTuple>;
  private readonly sessionsAll: Statement<[], Record<string, number | string | null>>;
  private readonly rowsRange: Statement<[number, number], UsageRow>;
  private readonly sessionRows: Statement<[string], UsageRow>;
  private readonly sessionModelStmt: Statement<[string], string>;
  private readonly latestModelStmt: Statement<[], string>;
  private readonly turnStmt: Statement<
    [string, number, number],
    { ts_ms: number; output_tokens: number; cost_usd: number; model: string; next_ms: number | null }
  >;

  constructor(
    db: Database,
    private readonly counts: RowCounter,
  ) {
    this.getStmt = db.prepare('SELECT * FROM usage_records WHERE dedup_key = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO usage_records (dedup_key, source_path, ${RECORD_COLUMNS.join(', ')}) VALUES (?, ?, ${RECORD_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.updateStmt = db.prepare(
      `UPDATE usage_records SET ${RECORD_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE dedup_key = ?`,
    );
    this.hourlyStmt = db.prepare(
      `INSERT INTO usage_hourly (hour_ms, model, entries, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, first_ts_ms, last_ts_ms,
         undated_entries, undated_tokens, undated_cost_usd, dated_first_ts_ms, dated_last_ts_ms)
       VALUES (@hourMs, @model, @entries, @input, @output, @cacheCreation, @cacheRead, @cost, @first, @last,
         @undatedEntries, @undatedTokens, @undatedCost, @datedFirst, @datedLast)
       ON CONFLICT (hour_ms, model) DO UPDATE SET entries = entries + excluded.entries, input_tokens = input_tokens + excluded.input_tokens,
         output_tokens = output_tokens + excluded.output_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
         cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cost_usd = cost_usd + excluded.cost_usd,
         first_ts_ms = min(first_ts_ms, excluded.first_ts_ms), last_ts_ms = max(last_ts_ms, excluded.last_ts_ms),
         undated_entries = undated_entries + excluded.undated_entries, undated_tokens = undated_tokens + excluded.undated_tokens,
         undated_cost_usd = undated_cost_usd + excluded.undated_cost_usd,
         dated_first_ts_ms = coalesce(min(dated_first_ts_ms, excluded.dated_first_ts_ms), dated_first_ts_ms, excluded.dated_first_ts_ms),
         dated_last_ts_ms = coalesce(max(dated_last_ts_ms, excluded.dated_last_ts_ms), dated_last_ts_ms, excluded.dated_last_ts_ms)`,
    );
    this.sessionStmt = db.prepare(
      `INSERT INTO usage_sessions (session_id, model, project, entries, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, last_ts_ms)
       VALUES (@sessionId, @model, @project, @entries, @input, @output, @cacheCreation, @cacheRead, @cost, @last)
       ON CONFLICT (session_id, model) DO UPDATE SET entries = entries + excluded.entries, input_tokens = input_tokens + excluded.input_tokens,
         output_tokens = output_tokens + excluded.output_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
         cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cost_usd = cost_usd + excluded.cost_usd,
         project = coalesce(project, excluded.project), last_ts_ms = max(last_ts_ms, excluded.last_ts_ms)`,
    );
    // raw rows: a year of hours for several models is tens of thousands of rows, read on every report
    this.hourlyRange = db
      .prepare(
        `SELECT hour_ms, model, entries, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd,
           first_ts_ms, last_ts_ms, undated_entries, undated_tokens, undated_cost_usd, dated_first_ts_ms, dated_last_ts_ms
         FROM usage_hourly WHERE hour_ms >= ? AND hour_ms < ? ORDER BY hour_ms`,
      )
      .raw() as Statement<[number, number], HourlyTuple>;
    this.sessionsAll = db.prepare('SELECT * FROM usage_sessions');
    this.rowsRange = db.prepare('SELECT * FROM usage_records WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms');
    this.sessionRows = db.prepare('SELECT * FROM usage_records WHERE session_id = ? ORDER BY ts_ms');
    this.sessionModelStmt = db
      .prepare(
        `SELECT model FROM usage_sessions WHERE session_id = ? AND model <> '${SYNTHETIC_MODEL}' ORDER BY last_ts_ms DESC LIMIT 1`,
      )
      .pluck() as Statement<[string], string>;
    this.latestModelStmt = db
      .prepare(
        `SELECT model FROM usage_hourly WHERE model <> '${SYNTHETIC_MODEL}' ORDER BY hour_ms DESC, last_ts_ms DESC LIMIT 1`,
      )
      .pluck() as Statement<[], string>;
    this.turnStmt = db.prepare(
      `SELECT u.ts_ms, u.output_tokens, u.cost_usd, u.model,
         (SELECT n.ts_ms FROM usage_records n WHERE n.session_id = u.session_id AND n.ts_ms > u.ts_ms ORDER BY n.ts_ms LIMIT 1) AS next_ms
       FROM usage_records u
       WHERE u.session_id = ? AND u.ts_ms <= ? AND u.ts_ms >= ? ORDER BY u.ts_ms DESC LIMIT 1`,
    );
  }

  /** Merges one copy now (a batch of one). */
  upsert(rec: UsageRecord, sourcePath: string, priced: boolean): UsageUpsertResult {
    const b = this.batch();
    b.add(rec, sourcePath, priced);
    return b.flush()[0] ?? { created: false, changed: false, record: rec };
  }

  /** Copies merged in memory and written at `flush`; each record it creates is counted in `counter`. */
  batch(counter: RowCounter = this.counts): UsageBatch {
    return new UsageBatch({
      row: (dedupKey) => this.row(dedupKey),
      writeRow: (next, sourcePath, priced, tsMs, insert) => {
        this.writeRow(next, sourcePath, priced, tsMs, insert);
        if (insert) counter.add('usageRecords', 1);
      },
      addHourly: (d) => this.addHourly(d),
      addSession: (d) => this.addSession(d),
    });
  }

  /** @internal for UsageBatch */
  row(dedupKey: string): UsageRow | null {
    return this.getStmt.get(dedupKey) ?? null;
  }

  /** One record, inserted or updated (through `batch`, which counts what it inserts). */
  private writeRow(next: UsageRecord, sourcePath: string, priced: boolean, tsMs: number, insert: boolean): void {
    // positional, in RECORD_COLUMNS order
    const values = [
      next.messageId,
      next.requestId,
      next.sessionId,
      next.agentId,
      next.project,
      next.model,
      next.ts,
      tsMs,
      new Date(tsMs).toISOString().slice(0, 10),
      next.inputTokens,
      next.outputTokens,
      next.cacheCreationTokens,
      next.cacheCreation5mTokens,
      next.cacheCreation1hTokens,
      next.cacheReadTokens,
      next.costUsd,
      priced ? 1 : 0,
      next.isSidechain ? 1 : 0,
      next.speed,
      next.inferenceGeo ?? null,
      next.webSearchRequests ?? 0,
      next.undated === true ? 1 : 0,
    ];
    if (insert) this.insertStmt.run(next.dedupKey, sourcePath, ...values);
    else this.updateStmt.run(...values, next.dedupKey);
  }

  /** @internal for UsageBatch: adds a delta to an hour bucket */
  addHourly(d: Delta): void {
    if (
      d.entries === 0 &&
      d.input === 0 &&
      d.output === 0 &&
      d.cacheCreation === 0 &&
      d.cacheRead === 0 &&
      d.cost === 0 &&
      d.undatedEntries === 0 &&
      d.undatedTokens === 0 &&
      d.datedFirstTsMs === null
    )
      return;
    this.hourlyStmt.run({
      hourMs: d.hourMs ?? 0,
      model: d.model,
      entries: d.entries,
      input: d.input,
      output: d.output,
      cacheCreation: d.cacheCreation,
      cacheRead: d.cacheRead,
      cost: d.cost,
      first: d.firstTsMs,
      last: d.lastTsMs,
      undatedEntries: d.undatedEntries,
      undatedTokens: d.undatedTokens,
      undatedCost: d.undatedCost,
      datedFirst: d.datedFirstTsMs,
      datedLast: d.datedLastTsMs,
    });
  }

  /** @internal for UsageBatch: adds a delta to a session bucket */
  addSession(d: Delta): void {
    if (
      d.entries === 0 &&
      d.input === 0 &&
      d.output === 0 &&
      d.cacheCreation === 0 &&
      d.cacheRead === 0 &&
      d.cost === 0
    )
      return;
    this.sessionStmt.run({
      sessionId: d.sessionId ?? '',
      project: d.project ?? null,
      model: d.model,
      entries: d.entries,
      input: d.input,
      output: d.output,
      cacheCreation: d.cacheCreation,
      cacheRead: d.cacheRead,
      cost: d.cost,
      last: d.lastTsMs,
    });
  }

  hourly(fromMs: number, toMs: number): HourlyAggregate[] {
    return this.hourlyRange.all(fromMs, toMs).map((r) => ({
      hourMs: r[0],
      model: r[1],
      entries: r[2],
      inputTokens: r[3],
      outputTokens: r[4],
      cacheCreationTokens: r[5],
      cacheReadTokens: r[6],
      costUsd: r[7],
      firstTsMs: r[8],
      lastTsMs: r[9],
      undatedEntries: r[10],
      undatedTokens: r[11],
      undatedCostUsd: r[12],
      datedFirstTsMs: r[13],
      datedLastTsMs: r[14],
    }));
  }

  sessions(): SessionAggregate[] {
    return this.sessionsAll
      .all()
      .filter((r) => Number(r['entries']) > 0)
      .map((r) => ({
        sessionId: String(r['session_id']),
        model: String(r['model']),
        project: r['project'] === null ? null : String(r['project']),
        entries: Number(r['entries']),
        inputTokens: Number(r['input_tokens']),
        outputTokens: Number(r['output_tokens']),
        cacheCreationTokens: Number(r['cache_creation_tokens']),
        cacheReadTokens: Number(r['cache_read_tokens']),
        costUsd: Number(r['cost_usd']),
        lastTsMs: Number(r['last_ts_ms']),
      }));
  }

  /**
   * The assistant response that issued a tool call at `tsMs` (the latest one at or before it, within
   * 10 min), and when the session's next response started (`nextMs`: the end of that turn), if any.
   */
  turnAt(
    sessionId: string,
    tsMs: number,
  ): { tsMs: number; outputTokens: number; costUsd: number; model: string; nextMs: number | null } | null {
    const r = this.turnStmt.get(sessionId, tsMs, tsMs - TURN_WINDOW_MS);
    return r
      ? { tsMs: r.ts_ms, outputTokens: r.output_tokens, costUsd: r.cost_usd, model: r.model, nextMs: r.next_ms }
      : null;
  }

  /**
   * The model that read a session's tool results: the one it used last, else the most recently used
   * model in the store; null when no usage is stored at all.
   */
  readingModel(sessionId: string | null): string | null {
    return (sessionId ? this.sessionModelStmt.get(sessionId) : undefined) ?? this.latestModelStmt.get() ?? null;
  }

  recordsBetween(fromMs: number, toMs: number): UsageRecord[] {
    return this.rowsRange.all(fromMs, toMs).map(rowToRecord);
  }

  recordsForSession(sessionId: string): UsageRecord[] {
    return this.sessionRows.all(sessionId).map(rowToRecord);
  }
}
