import type { Database, Statement } from 'better-sqlite3';
import type { QuotaSignal } from '../../core/types.js';

interface Row {
  source: string;
  session_id: string | null;
  ts: string;
  five_hour_pct: number | null;
  five_hour_resets_at: string | null;
  seven_day_pct: number | null;
  seven_day_resets_at: string | null;
  session_cost_usd: number | null;
}

/** Official quota readings (status line rate_limits, stream rate-limit events). */
export class QuotaRepo {
  private readonly insertStmt: Statement;
  private readonly latestStmt: Statement<[], Row>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO quota_signals (dedup_key, source, session_id, ts, ts_ms, five_hour_pct, five_hour_resets_at,
         seven_day_pct, seven_day_resets_at, session_cost_usd, raw)
       VALUES (@dedupKey, @source, @sessionId, @ts, @tsMs, @fiveHourPct, @fiveHourResetsAt, @sevenDayPct, @sevenDayResetsAt, @sessionCostUsd, @raw)`,
    );
    this.latestStmt = db.prepare(
      'SELECT * FROM quota_signals WHERE five_hour_pct IS NOT NULL OR seven_day_pct IS NOT NULL ORDER BY ts_ms DESC, id DESC LIMIT 1',
    );
  }

  add(s: QuotaSignal, dedupKey: string, raw: string | null): boolean {
    const tsMs = Date.parse(s.ts);
    return (
      this.insertStmt.run({
        dedupKey,
        source: s.source,
        sessionId: s.sessionId,
        ts: s.ts,
        tsMs: Number.isFinite(tsMs) ? tsMs : 0,
        fiveHourPct: s.fiveHourPct,
        fiveHourResetsAt: s.fiveHourResetsAt,
        sevenDayPct: s.sevenDayPct,
        sevenDayResetsAt: s.sevenDayResetsAt,
        sessionCostUsd: s.sessionCostUsd,
        raw: raw === null ? null : raw.slice(0, 8192),
      }).changes > 0
    );
  }

  latest(): QuotaSignal | null {
    const r = this.latestStmt.get();
    if (!r) return null;
    return {
      ts: r.ts,
      sessionId: r.session_id,
      fiveHourPct: r.five_hour_pct,
      fiveHourResetsAt: r.five_hour_resets_at,
      sevenDayPct: r.seven_day_pct,
      sevenDayResetsAt: r.seven_day_resets_at,
      sessionCostUsd: r.session_cost_usd,
      source: r.source as QuotaSignal['source'],
    };
  }
}
