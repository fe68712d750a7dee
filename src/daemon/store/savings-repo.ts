import type { Database, Statement } from 'better-sqlite3';
import { roundUsd } from '../../core/learning/savings.js';
import type { SavingsPeriod, SavingsSummary } from '../../core/learning/savings-summary.js';

const DAY_MS = 86_400_000;
const TOP_PATTERNS = 10;

export interface NewSaving {
  patternId: number | null;
  toolId: number | null;
  toolCallId: number | null;
  /** `pattern_offload` for a routed tool run, `offload_run` for an `outloop run` */
  optimizationType: string;
  tokensWithLlm: number;
  tokensWithTool: number;
  /** `saving()` (core/learning/savings) of tokensWithLlm against tokensWithTool */
  tokensSaved: number;
  costSavedUsd: number;
  ts: string;
  /** identifies the saving at its source: a second row with the same key is not added */
  dedupKey?: string | null;
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `cost_savings_log`: one row per measured saving (a routed tool run instead of the LLM, or an
 * offloaded `outloop run` whose compact output the agent read instead of the raw one).
 * Days and months are UTC, like every other report of the daemon. Dollar sums are rounded with
 * roundUsd; a period's total is the sum of its rounded rows, so the rows add up to it.
 */
export class SavingsRepo {
  private readonly insertStmt: Statement;
  private readonly sinceStmt: Statement<[number], { usd: number; tokens: number }>;
  private readonly byTypeStmt: Statement<[], SavingsSummary['byType'][number]>;
  private readonly topStmt: Statement<[number], { id: number; signature: string; usd: number }>;
  private readonly dailyStmt: Statement<[number], { day: number; usd: number }>;
  private readonly periodStmt: Statement<[number, number], SavingsPeriod['byType'][number]>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO cost_savings_log (pattern_id, tool_id, tool_call_id, optimization_type, tokens_with_llm, tokens_with_tool,
         tokens_saved, cost_saved_usd, ts, ts_ms, dedup_key)
       VALUES (@patternId, @toolId, @toolCallId, @optimizationType, @tokensWithLlm, @tokensWithTool, @tokensSaved, @costSavedUsd, @ts, @tsMs, @dedupKey)
       ON CONFLICT (dedup_key) DO NOTHING`,
    );
    this.sinceStmt = db.prepare(
      'SELECT coalesce(sum(cost_saved_usd), 0) AS usd, coalesce(sum(tokens_saved), 0) AS tokens FROM cost_savings_log WHERE ts_ms >= ?',
    );
    this.byTypeStmt = db.prepare(
      `SELECT optimization_type AS type, sum(cost_saved_usd) AS usd, sum(tokens_saved) AS tokens,
         sum(tokens_with_llm) AS rawTokens, sum(tokens_with_tool) AS compactTokens FROM cost_savings_log
       GROUP BY optimization_type ORDER BY usd DESC, type`,
    );
    this.topStmt = db.prepare(
      `SELECT p.id AS id, p.signature AS signature, sum(s.cost_saved_usd) AS usd FROM cost_savings_log s
       JOIN operation_patterns p ON p.id = s.pattern_id GROUP BY p.id ORDER BY usd DESC, p.id LIMIT ?`,
    );
    this.periodStmt = db.prepare(
      `SELECT optimization_type AS type, sum(cost_saved_usd) AS usd, sum(tokens_saved) AS tokens, count(*) AS runs,
         sum(tokens_with_llm) AS rawTokens, sum(tokens_with_tool) AS compactTokens
       FROM cost_savings_log WHERE ts_ms >= ? AND ts_ms < ? GROUP BY optimization_type ORDER BY usd DESC, type`,
    );
    this.dailyStmt = db.prepare(
      `SELECT ts_ms / ${DAY_MS} AS day, sum(cost_saved_usd) AS usd FROM cost_savings_log WHERE ts_ms >= ? GROUP BY ts_ms / ${DAY_MS}`,
    );
  }

  /** Savings logged in [fromMs, toMs), by optimization type (largest first). */
  period(fromMs: number, toMs: number, since: string | null, until: string | null): SavingsPeriod {
    const byType = this.periodStmt.all(fromMs, toMs).map((r) => ({
      type: r.type,
      usd: roundUsd(r.usd),
      tokens: r.tokens,
      runs: r.runs,
      rawTokens: r.rawTokens,
      compactTokens: r.compactTokens,
    }));
    return {
      since,
      until,
      usd: roundUsd(byType.reduce((n, t) => n + t.usd, 0)),
      tokens: byType.reduce((n, t) => n + t.tokens, 0),
      runs: byType.reduce((n, t) => n + t.runs, 0),
      byType,
    };
  }

  /** Adds a saving; null when one with the same dedup key is already logged. */
  add(s: NewSaving): number | null {
    const tsMs = Date.parse(s.ts);
    const r = this.insertStmt.run({ ...s, dedupKey: s.dedupKey ?? null, tsMs: Number.isFinite(tsMs) ? tsMs : 0 });
    return r.changes > 0 ? Number(r.lastInsertRowid) : null;
  }

  /**
   * Today, this month and all time in USD; all-time tokens; all-time totals by optimization type;
   * the top patterns by all-time USD; and one point per UTC day for the last `days` days (today
   * included, zero-filled, oldest first).
   */
  summary(nowMs: number, days = 30): SavingsSummary {
    const todayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
    const d = new Date(nowMs);
    const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const today = this.sinceStmt.get(todayStart) ?? { usd: 0, tokens: 0 };
    const month = this.sinceStmt.get(monthStart) ?? { usd: 0, tokens: 0 };
    const all = this.sinceStmt.get(Number.MIN_SAFE_INTEGER) ?? { usd: 0, tokens: 0 };
    const n = Math.max(1, Math.floor(days));
    const firstDay = todayStart - (n - 1) * DAY_MS;
    const perDay = new Map<number, number>();
    for (const r of this.dailyStmt.all(firstDay)) perDay.set(Number(r.day), r.usd);
    const daily: SavingsSummary['daily'] = [];
    for (let i = 0; i < n; i++) {
      const ms = firstDay + i * DAY_MS;
      daily.push({ date: utcDay(ms), usd: roundUsd(perDay.get(ms / DAY_MS) ?? 0) });
    }
    return {
      todayUsd: roundUsd(today.usd),
      monthUsd: roundUsd(month.usd),
      allTimeUsd: roundUsd(all.usd),
      tokensSavedAllTime: all.tokens,
      byType: this.byTypeStmt.all().map((r) => ({ ...r, usd: roundUsd(r.usd) })),
      topPatterns: this.topStmt
        .all(TOP_PATTERNS)
        .map((r) => ({ id: r.id, signature: r.signature, usd: roundUsd(r.usd) })),
      daily,
    };
  }
}
