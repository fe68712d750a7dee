import type { Database, Statement } from 'better-sqlite3';
import { TURN_WINDOW_MS } from '../../core/learning/pattern-economics.js';
import { SYNTHETIC_MODEL } from '../../core/usage/pricing.js';
import type { UsageRecord } from '../../core/types.js';
import { rowToRecord, type UsageRow } from './usage-batch.js';

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

/**
 * The read side of usage: hourly and per-session roll-ups, records by time or session, the turn
 * that issued a tool call and the model that read a session's results. UsageRepo adds the writes on top.
 */
export class UsageQueries {
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

  constructor(db: Database) {
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
