import type { Database, Statement } from 'better-sqlite3';
import type { PatternStatus } from '../../core/types.js';
import type { PatternRow, ReviewRow, Sighting, Window30 } from './pattern-row.js';

/**
 * The read side of patterns: lookups, lists, 30-day windows, reviews, sightings and the sessions a
 * pattern occurred in. PatternsRepo adds the writes on top.
 */
export class PatternQueries {
  protected readonly bySig: Statement<[string], PatternRow>;
  private readonly byId: Statement<[number], PatternRow>;
  private readonly allStmt: Statement<[], PatternRow>;
  private readonly byStatusStmt: Statement<[string], PatternRow>;
  private readonly windowStmt: Statement<[number], { pattern_id: number; occ: number; uses: number }>;
  private readonly windowOne: Statement<[number, number], { occ: number; uses: number }>;
  private readonly reviewsStmt: Statement<[number], ReviewRow>;
  private readonly lastReviewStmt: Statement<[number], ReviewRow>;
  private readonly sightingsOf: Statement<[string], Sighting>;
  private readonly sessionKeysStmt: Statement<[number], string>;
  private readonly countStmt: Statement<[], number>;

  constructor(db: Database) {
    this.bySig = db.prepare('SELECT * FROM operation_patterns WHERE signature = ?');
    this.byId = db.prepare('SELECT * FROM operation_patterns WHERE id = ?');
    this.allStmt = db.prepare('SELECT * FROM operation_patterns');
    this.byStatusStmt = db.prepare('SELECT * FROM operation_patterns WHERE status = ?');
    this.windowStmt = db.prepare(
      'SELECT pattern_id, count(DISTINCT session_key) AS occ, count(*) AS uses FROM pattern_occurrences WHERE ts_ms >= ? GROUP BY pattern_id',
    );
    this.windowOne = db.prepare(
      'SELECT count(DISTINCT session_key) AS occ, count(*) AS uses FROM pattern_occurrences WHERE pattern_id = ? AND ts_ms >= ?',
    );
    this.reviewsStmt = db.prepare('SELECT * FROM pattern_reviews WHERE pattern_id = ? ORDER BY id');
    // the last status change: offload switches (`offload_on` / `offload_off`) are reviews too, but leave the status
    this.lastReviewStmt = db.prepare(
      "SELECT * FROM pattern_reviews WHERE pattern_id = ? AND action NOT IN ('offload_on', 'offload_off') ORDER BY id DESC LIMIT 1",
    );
    this.sightingsOf = db.prepare(
      'SELECT session_key, ts_ms, llm_tokens, llm_cost FROM sequence_sightings WHERE signature = ?',
    );
    this.sessionKeysStmt = db
      .prepare(
        'SELECT session_key FROM pattern_occurrences WHERE pattern_id = ? GROUP BY session_key ORDER BY min(ts_ms)',
      )
      .pluck() as Statement<[number], string>;
    this.countStmt = db.prepare('SELECT count(*) FROM operation_patterns').pluck() as Statement<[], number>;
  }

  count(): number {
    return this.countStmt.get() ?? 0;
  }

  bySignature(signature: string): PatternRow | null {
    return this.bySig.get(signature) ?? null;
  }

  get(id: number): PatternRow | null {
    return this.byId.get(id) ?? null;
  }

  all(): PatternRow[] {
    return this.allStmt.all();
  }

  withStatus(status: PatternStatus): PatternRow[] {
    return this.byStatusStmt.all(status);
  }

  /** Distinct sessions and uses per pattern since `sinceMs` (the 30-day window), in one query. */
  windowCounts(sinceMs: number): Map<number, Window30> {
    const m = new Map<number, Window30>();
    for (const r of this.windowStmt.all(sinceMs)) m.set(r.pattern_id, { occurrences30d: r.occ, uses30d: r.uses });
    return m;
  }

  windowFor(id: number, sinceMs: number): Window30 {
    const r = this.windowOne.get(id, sinceMs);
    return { occurrences30d: r?.occ ?? 0, uses30d: r?.uses ?? 0 };
  }

  reviews(id: number): ReviewRow[] {
    return this.reviewsStmt.all(id);
  }

  /** The last review that changed the status (offload switches skipped). */
  lastReview(id: number): ReviewRow | null {
    return this.lastReviewStmt.get(id) ?? null;
  }

  sightings(signature: string): Sighting[] {
    return this.sightingsOf.all(signature);
  }

  /** The sessions (or `wf:` workflows) a pattern occurred in, oldest first. */
  sessionKeys(id: number): string[] {
    return this.sessionKeysStmt.all(id);
  }
}
