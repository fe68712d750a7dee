import type { Database, Statement } from 'better-sqlite3';
import type { UsageRecord } from '../../core/types.js';
import type { RowCounter } from './counts-repo.js';
import { UsageBatch, type Delta, type UsageRow, type UsageUpsertResult } from './usage-batch.js';
import { UsageQueries } from './usage-queries.js';

export type { UsageUpsertResult } from './usage-batch.js';
export { UsageBatch } from './usage-batch.js';
export type { HourlyAggregate, SessionAggregate } from './usage-queries.js';

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
 * across copies; hourly and per-session roll-ups are updated by delta in the same transaction. The
 * writes, on top of the reads of UsageQueries.
 */
export class UsageRepo extends UsageQueries {
  private readonly getStmt: Statement<[string], UsageRow>;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly hourlyStmt: Statement;
  private readonly sessionStmt: Statement;

  constructor(
    db: Database,
    private readonly counts: RowCounter,
  ) {
    super(db);
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

  private row(dedupKey: string): UsageRow | null {
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

  /** Adds a delta to an hour bucket. */
  private addHourly(d: Delta): void {
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

  /** Adds a delta to a session bucket. */
  private addSession(d: Delta): void {
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
}
