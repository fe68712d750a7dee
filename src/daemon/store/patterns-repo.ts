import type { Database, Statement } from 'better-sqlite3';
import type { PatternKind, PatternStatus } from '../../core/types.js';
import type { RowCounter } from './counts-repo.js';
import { PatternQueries } from './pattern-queries.js';
import {
  freshPatternRow,
  MAX_EXAMPLES,
  type Occurrence,
  type PatternRow,
  type SequenceSeen,
  type UseAggregate,
} from './pattern-row.js';

export {
  statsOf,
  type Occurrence,
  type PatternRow,
  type ReviewRow,
  type SequenceSeen,
  type Sighting,
  type UseAggregate,
  type Window30,
} from './pattern-row.js';

/** sightings per insert statement (5 values each, well under SQLite's limit on parameters) */
const SIGHTING_ROWS = 100;

/**
 * Patterns, their occurrences (UNIQUE keys: re-ingestion never double counts), reviews and sequence
 * sightings: the writes, on top of the reads of PatternQueries.
 */
export class PatternsRepo extends PatternQueries {
  private readonly insertStmt: Statement;
  private readonly occInsert: Statement<
    [number, string, string, number | null, number, number, number, string, number | null, number | null]
  >;
  private readonly sessionSeen: Statement<[number, string], number>;
  private readonly statsStmt: Statement<[Record<string, unknown>]>;
  private readonly setStatusStmt: Statement;
  private readonly reviewInsert: Statement;
  private readonly setIssueStmt: Statement;
  private readonly routedStmt: Statement;
  /** multi-row inserts of sightings by their number of rows (1..SIGHTING_ROWS) */
  private readonly sightingInserts = new Map<number, Statement<(string | number)[], [string, number]>>();

  constructor(
    private readonly db: Database,
    private readonly counts: RowCounter,
  ) {
    super(db);
    this.insertStmt = db.prepare(
      `INSERT INTO operation_patterns (signature, kind, status, first_seen, last_seen, model, created_at, updated_at)
       VALUES (@signature, @kind, 'detected', @ts, @ts, @model, @now, @now)`,
    );
    // positional parameters: one use is one insert, the learner's most frequent statement
    this.occInsert = db.prepare(
      `INSERT OR IGNORE INTO pattern_occurrences (pattern_id, occurrence_key, session_key, tool_call_id, ts_ms, llm_tokens, llm_cost, token_basis, duration_ms, ok)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.sessionSeen = db
      .prepare('SELECT EXISTS (SELECT 1 FROM pattern_occurrences WHERE pattern_id = ? AND session_key = ?)')
      .pluck() as Statement<[number, string], number>;
    this.statsStmt = db.prepare(
      `UPDATE operation_patterns SET occurrences = @occurrences, uses = @uses, dur_n = @durN, dur_mean = @durMean, dur_m2 = @durM2,
         successes = @successes, failures = @failures, sum_llm_tokens = sum_llm_tokens + @llmTokens, sum_llm_cost = sum_llm_cost + @llmCost,
         measured_uses = measured_uses + @measuredUses, sum_tool_tokens_est = sum_tool_tokens_est + @toolTokensEst, confidence = @confidence,
         examples = @examples, first_seen = min(first_seen, @firstTs), last_seen = max(last_seen, @lastTs), model = coalesce(@model, model),
         updated_at = @now
       WHERE id = @id`,
    );
    this.setStatusStmt = db.prepare(
      'UPDATE operation_patterns SET status = @to, updated_at = @now WHERE id = @id AND status = @from',
    );
    this.reviewInsert = db.prepare(
      `INSERT INTO pattern_reviews (pattern_id, action, from_status, to_status, actor, note, created_at)
       VALUES (@patternId, @action, @from, @to, @actor, @note, @now)`,
    );
    this.setIssueStmt = db.prepare(
      'UPDATE operation_patterns SET issue_url = @url, issue_filed_at = @now, updated_at = @now WHERE id = @id',
    );
    this.routedStmt = db.prepare(
      `UPDATE operation_patterns SET routed_runs = routed_runs + 1, sum_tool_tokens_measured = sum_tool_tokens_measured + @tokens, updated_at = @now
       WHERE id = @id`,
    );
  }

  /** The pattern for a signature, created as `detected` when new. */
  ensure(
    signature: string,
    kind: PatternKind,
    ts: string,
    model: string | null,
  ): { row: PatternRow; created: boolean } {
    const found = this.bySig.get(signature);
    if (found) return { row: found, created: false };
    const now = new Date().toISOString();
    const id = Number(this.insertStmt.run({ signature, kind, ts, model, now }).lastInsertRowid);
    this.counts.add('patterns', 1);
    // the row as inserted, the rest at the table's defaults (a test holds this to the stored row)
    return { row: freshPatternRow(id, signature, kind, ts, model, now), created: true };
  }

  /**
   * Records one use. Returns null when this occurrence key was already counted. `sessionSeen`:
   * whether the pattern already has an occurrence in this session, when the caller knows (null: look).
   */
  addOccurrence(o: Occurrence, sessionSeen: boolean | null = null): { newSession: boolean } | null {
    const seen = sessionSeen ?? (this.sessionSeen.get(o.patternId, o.sessionKey) ?? 0) > 0;
    const tsMs = o.tsMs ?? Date.parse(o.ts);
    const r = this.occInsert.run(
      o.patternId,
      o.occurrenceKey,
      o.sessionKey,
      o.toolCallId,
      Number.isFinite(tsMs) ? tsMs : 0,
      o.llmTokens,
      o.llmCost,
      o.basis,
      o.durationMs,
      o.ok === null ? null : o.ok ? 1 : 0,
    );
    if (r.changes === 0) return null;
    return { newSession: !seen };
  }

  /** Folds uses into the pattern's running aggregates. */
  applyUses(row: PatternRow, u: UseAggregate): void {
    const examples = JSON.parse(row.examples) as string[];
    for (const ex of [...u.examples].reverse()) {
      if (examples.includes(ex)) continue;
      examples.unshift(ex);
    }
    examples.length = Math.min(examples.length, MAX_EXAMPLES);
    this.statsStmt.run({
      id: row.id,
      ...u.stats,
      llmTokens: u.llmTokens,
      llmCost: u.llmCost,
      measuredUses: u.measuredUses,
      toolTokensEst: u.toolTokensEst,
      confidence: u.confidence,
      examples: JSON.stringify(examples),
      firstTs: u.firstTs,
      lastTs: u.lastTs,
      model: u.model,
      now: new Date().toISOString(),
    });
  }

  /** Changes status only if it is still `from`; writes the review row. Returns false on a lost race. */
  transition(
    id: number,
    from: PatternStatus,
    to: PatternStatus,
    review: { action: string; actor: string; note: string | null },
  ): boolean {
    const now = new Date().toISOString();
    if (this.setStatusStmt.run({ id, from, to, now }).changes === 0) return false;
    this.reviewInsert.run({
      patternId: id,
      action: review.action,
      from,
      to,
      actor: review.actor,
      note: review.note,
      now,
    });
    return true;
  }

  setIssue(id: number, url: string): void {
    this.setIssueStmt.run({ id, url, now: new Date().toISOString() });
  }

  addRoutedRun(id: number, toolTokens: number): void {
    this.routedStmt.run({ id, tokens: toolTokens, now: new Date().toISOString() });
  }

  /**
   * Records that sequences appeared in a session, each with its estimated cost there. Returns those
   * the session is new for, in order, each with the number of sessions it has now been seen in.
   */
  sightAll<T extends SequenceSeen>(
    seen: readonly T[],
    sessionKey: string,
    tsMs: number,
  ): { seen: T; sessions: number }[] {
    if (seen.length === 0) return [];
    const fresh = new Map<string, number>();
    for (let i = 0; i < seen.length; i += SIGHTING_ROWS) {
      const chunk = seen.slice(i, i + SIGHTING_ROWS);
      const params: (string | number)[] = [];
      for (const s of chunk) params.push(s.signature, sessionKey, tsMs, s.tokens, s.cost);
      for (const [sig, n] of this.sightingInsertOf(chunk.length).all(...params)) fresh.set(sig, n);
    }
    const out: { seen: T; sessions: number }[] = [];
    for (const s of seen) {
      const sessions = fresh.get(s.signature);
      if (sessions !== undefined) out.push({ seen: s, sessions });
    }
    return out;
  }

  /**
   * The insert of `rows` sightings, bound as plain values (no JSON to take apart per row); each new
   * one comes back with its count of sessions, itself included.
   */
  private sightingInsertOf(rows: number): Statement<(string | number)[], [string, number]> {
    let st = this.sightingInserts.get(rows);
    if (!st) {
      st = this.db
        .prepare<(string | number)[], [string, number]>(
          `INSERT OR IGNORE INTO sequence_sightings (signature, session_key, ts_ms, llm_tokens, llm_cost)
           VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ')}
           RETURNING signature, (SELECT count(*) FROM sequence_sightings AS t WHERE t.signature = sequence_sightings.signature)`,
        )
        .raw();
      this.sightingInserts.set(rows, st);
    }
    return st;
  }
}
