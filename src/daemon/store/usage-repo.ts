import type { Database, Statement } from 'better-sqlite3';
import { mergeUsage } from '../../core/transcript.js';
import type { UsageRecord } from '../../core/types.js';

interface UsageRow {
  id: number;
  dedup_key: string;
  message_id: string | null;
  request_id: string | null;
  session_id: string | null;
  agent_id: string | null;
  project: string | null;
  model: string;
  ts: string;
  ts_ms: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_tokens: number;
  cache_5m_tokens: number;
  cache_1h_tokens: number;
  cache_read_tokens: number;
  cost_usd: number;
  priced: number;
  is_sidechain: number;
  speed: string | null;
  inference_geo: string | null;
  web_search_requests: number;
}

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

const HOUR = 3_600_000;

function rowToRecord(r: UsageRow): UsageRecord {
  return {
    dedupKey: r.dedup_key,
    messageId: r.message_id,
    requestId: r.request_id,
    sessionId: r.session_id,
    agentId: r.agent_id,
    project: r.project,
    model: r.model,
    ts: r.ts,
    isSidechain: r.is_sidechain === 1,
    speed: r.speed,
    inferenceGeo: r.inference_geo,
    webSearchRequests: r.web_search_requests,
    costUsd: r.cost_usd,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cacheCreationTokens: r.cache_creation_tokens,
    cacheCreation5mTokens: r.cache_5m_tokens,
    cacheCreation1hTokens: r.cache_1h_tokens,
    cacheReadTokens: r.cache_read_tokens,
  };
}

export interface UsageUpsertResult {
  created: boolean;
  changed: boolean;
}

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
  private readonly hourlyRange: Statement<[number, number], Record<string, number | string>>;
  private readonly sessionsAll: Statement<[], Record<string, number | string | null>>;
  private readonly rowsRange: Statement<[number, number], UsageRow>;
  private readonly sessionRows: Statement<[string], UsageRow>;
  private readonly turnBeforeStmt: Statement<[string, number, number], { ts_ms: number; output_tokens: number; cost_usd: number; model: string }>;
  private readonly turnAfterStmt: Statement<[string, number], number>;

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT * FROM usage_records WHERE dedup_key = ?');
    const cols =
      'message_id, request_id, session_id, agent_id, project, model, ts, ts_ms, day, input_tokens, output_tokens, cache_creation_tokens, cache_5m_tokens, cache_1h_tokens, cache_read_tokens, cost_usd, priced, is_sidechain, speed, inference_geo, web_search_requests';
    this.insertStmt = db.prepare(
      `INSERT INTO usage_records (dedup_key, source_path, ${cols}) VALUES (@dedupKey, @sourcePath, ${cols
        .split(', ')
        .map((c) => `@${c}`)
        .join(', ')})`,
    );
    this.updateStmt = db.prepare(
      `UPDATE usage_records SET ${cols
        .split(', ')
        .map((c) => `${c} = @${c}`)
        .join(', ')} WHERE dedup_key = @dedupKey`,
    );
    this.hourlyStmt = db.prepare(
      `INSERT INTO usage_hourly (hour_ms, model, entries, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, first_ts_ms, last_ts_ms)
       VALUES (@hourMs, @model, @entries, @input, @output, @cacheCreation, @cacheRead, @cost, @tsMs, @tsMs)
       ON CONFLICT (hour_ms, model) DO UPDATE SET entries = entries + excluded.entries, input_tokens = input_tokens + excluded.input_tokens,
         output_tokens = output_tokens + excluded.output_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
         cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cost_usd = cost_usd + excluded.cost_usd,
         first_ts_ms = min(first_ts_ms, excluded.first_ts_ms), last_ts_ms = max(last_ts_ms, excluded.last_ts_ms)`,
    );
    this.sessionStmt = db.prepare(
      `INSERT INTO usage_sessions (session_id, model, project, entries, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, last_ts_ms)
       VALUES (@sessionId, @model, @project, @entries, @input, @output, @cacheCreation, @cacheRead, @cost, @tsMs)
       ON CONFLICT (session_id, model) DO UPDATE SET entries = entries + excluded.entries, input_tokens = input_tokens + excluded.input_tokens,
         output_tokens = output_tokens + excluded.output_tokens, cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
         cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cost_usd = cost_usd + excluded.cost_usd,
         project = coalesce(project, excluded.project), last_ts_ms = max(last_ts_ms, excluded.last_ts_ms)`,
    );
    this.hourlyRange = db.prepare('SELECT * FROM usage_hourly WHERE hour_ms >= ? AND hour_ms < ? ORDER BY hour_ms');
    this.sessionsAll = db.prepare('SELECT * FROM usage_sessions');
    this.rowsRange = db.prepare('SELECT * FROM usage_records WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms');
    this.sessionRows = db.prepare('SELECT * FROM usage_records WHERE session_id = ? ORDER BY ts_ms');
    this.turnBeforeStmt = db.prepare(
      `SELECT ts_ms, output_tokens, cost_usd, model FROM usage_records
       WHERE session_id = ? AND ts_ms <= ? AND ts_ms >= ? ORDER BY ts_ms DESC LIMIT 1`,
    );
    this.turnAfterStmt = db
      .prepare('SELECT ts_ms FROM usage_records WHERE session_id = ? AND ts_ms > ? ORDER BY ts_ms LIMIT 1')
      .pluck() as Statement<[string, number], number>;
  }

  upsert(rec: UsageRecord, sourcePath: string, priced: boolean): UsageUpsertResult {
    const prevRow = this.getStmt.get(rec.dedupKey);
    const prev = prevRow ? rowToRecord(prevRow) : null;
    const next = prev ? mergeUsage(prev, rec) : rec;
    const tsMs = Date.parse(next.ts);
    const safeTs = Number.isFinite(tsMs) ? tsMs : 0;
    const params = {
      dedupKey: next.dedupKey,
      sourcePath,
      message_id: next.messageId,
      request_id: next.requestId,
      session_id: next.sessionId,
      agent_id: next.agentId,
      project: next.project,
      model: next.model,
      ts: next.ts,
      ts_ms: safeTs,
      day: new Date(safeTs).toISOString().slice(0, 10),
      input_tokens: next.inputTokens,
      output_tokens: next.outputTokens,
      cache_creation_tokens: next.cacheCreationTokens,
      cache_5m_tokens: next.cacheCreation5mTokens,
      cache_1h_tokens: next.cacheCreation1hTokens,
      cache_read_tokens: next.cacheReadTokens,
      cost_usd: next.costUsd,
      priced: priced || (prevRow?.priced ?? 0) === 1 ? 1 : 0,
      is_sidechain: next.isSidechain ? 1 : 0,
      speed: next.speed,
      inference_geo: next.inferenceGeo ?? null,
      web_search_requests: next.webSearchRequests ?? 0,
    };
    if (!prev || !prevRow) {
      this.insertStmt.run(params);
      this.rollup(next, null, safeTs, safeTs);
      return { created: true, changed: true };
    }
    const same =
      prev.inputTokens === next.inputTokens &&
      prev.outputTokens === next.outputTokens &&
      prev.cacheCreationTokens === next.cacheCreationTokens &&
      prev.cacheReadTokens === next.cacheReadTokens &&
      prev.costUsd === next.costUsd &&
      prev.model === next.model &&
      prevRow.ts_ms === safeTs &&
      prev.sessionId === next.sessionId;
    if (same) return { created: false, changed: false };
    this.updateStmt.run(params);
    this.rollup(next, prev, safeTs, prevRow.ts_ms);
    return { created: false, changed: true };
  }

  /** Applies the difference between the new and the old copy to the roll-ups. */
  private rollup(next: UsageRecord, prev: UsageRecord | null, tsMs: number, prevTsMs: number): void {
    if (prev) this.applyRollup(prev, prevTsMs, -1);
    this.applyRollup(next, tsMs, 1);
  }

  private applyRollup(r: UsageRecord, tsMs: number, sign: 1 | -1): void {
    const v = {
      model: r.model,
      entries: sign,
      input: sign * r.inputTokens,
      output: sign * r.outputTokens,
      cacheCreation: sign * r.cacheCreationTokens,
      cacheRead: sign * r.cacheReadTokens,
      cost: sign * r.costUsd,
      tsMs,
    };
    this.hourlyStmt.run({ ...v, hourMs: Math.floor(tsMs / HOUR) * HOUR });
    if (r.sessionId) this.sessionStmt.run({ ...v, sessionId: r.sessionId, project: r.project });
  }

  hourly(fromMs: number, toMs: number): HourlyAggregate[] {
    return this.hourlyRange.all(fromMs, toMs).map((r) => ({
      hourMs: Number(r['hour_ms']),
      model: String(r['model']),
      entries: Number(r['entries']),
      inputTokens: Number(r['input_tokens']),
      outputTokens: Number(r['output_tokens']),
      cacheCreationTokens: Number(r['cache_creation_tokens']),
      cacheReadTokens: Number(r['cache_read_tokens']),
      costUsd: Number(r['cost_usd']),
      firstTsMs: Number(r['first_ts_ms']),
      lastTsMs: Number(r['last_ts_ms']),
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

  /** The assistant response that issued a tool call at `tsMs` (the latest one at or before it, within 10 min). */
  turnBefore(sessionId: string, tsMs: number): { tsMs: number; outputTokens: number; costUsd: number; model: string } | null {
    const r = this.turnBeforeStmt.get(sessionId, tsMs, tsMs - 600_000);
    return r ? { tsMs: r.ts_ms, outputTokens: r.output_tokens, costUsd: r.cost_usd, model: r.model } : null;
  }

  /** When the next response of the session started (the end of a turn). */
  turnAfter(sessionId: string, tsMs: number): number | null {
    return this.turnAfterStmt.get(sessionId, tsMs) ?? null;
  }

  recordsBetween(fromMs: number, toMs: number): UsageRecord[] {
    return this.rowsRange.all(fromMs, toMs).map(rowToRecord);
  }

  recordsForSession(sessionId: string): UsageRecord[] {
    return this.sessionRows.all(sessionId).map(rowToRecord);
  }
}
