import type { RowCounter } from './counts-repo.js';
import type { Database, Statement } from 'better-sqlite3';
import type { PatternStats } from '../../core/learning/confidence.js';
import type { PatternKind, PatternStatus } from '../../core/types.js';

export interface PatternRow {
  id: number;
  signature: string;
  kind: PatternKind;
  status: PatternStatus;
  occurrences: number;
  uses: number;
  dur_n: number;
  dur_mean: number;
  dur_m2: number;
  successes: number;
  failures: number;
  sum_llm_tokens: number;
  sum_llm_cost: number;
  measured_uses: number;
  sum_tool_tokens_est: number;
  routed_runs: number;
  sum_tool_tokens_measured: number;
  confidence: number;
  model: string | null;
  examples: string;
  first_seen: string;
  last_seen: string;
  tool_id: number | null;
  issue_url: string | null;
  issue_filed_at: string | null;
  created_at: string;
  updated_at: string;
  /** 1 while the pattern is offloaded (see offload-repo.ts) */
  offload: number;
  offload_changed_at: string | null;
  offload_changed_by: string | null;
}

export interface ReviewRow {
  id: number;
  pattern_id: number;
  action: string;
  from_status: PatternStatus | null;
  to_status: PatternStatus;
  actor: string;
  note: string | null;
  created_at: string;
}

export interface Occurrence {
  patternId: number;
  occurrenceKey: string;
  sessionKey: string;
  toolCallId: number | null;
  ts: string;
  /** `ts` in ms, when the caller has it (spares parsing `ts`) */
  tsMs?: number;
  llmTokens: number;
  llmCost: number;
  basis: 'measured' | 'estimated';
  durationMs: number | null;
  ok: boolean | null;
}

/** A sequence seen in a session, with its estimated cost there (the sum of its operations'). */
export interface SequenceSeen {
  signature: string;
  tokens: number;
  cost: number;
}

/** A session a sequence was seen in; the cost is NULL for sightings stored before migration 8. */
export interface Sighting {
  session_key: string;
  ts_ms: number;
  llm_tokens: number | null;
  llm_cost: number | null;
}

export interface Window30 {
  occurrences30d: number;
  uses30d: number;
}

/** Uses folded into one pattern since its row was read: written back in one UPDATE. */
export interface UseAggregate {
  stats: PatternStats;
  llmTokens: number;
  llmCost: number;
  measuredUses: number;
  toolTokensEst: number;
  /** newest first */
  examples: string[];
  firstTs: string;
  lastTs: string;
  model: string | null;
  confidence: number;
}

const MAX_EXAMPLES = 5;
/** sightings per insert statement (5 values each, well under SQLite's limit on parameters) */
const SIGHTING_ROWS = 100;

export const statsOf = (r: PatternRow): PatternStats => ({
  occurrences: r.occurrences,
  uses: r.uses,
  durN: r.dur_n,
  durMean: r.dur_mean,
  durM2: r.dur_m2,
  successes: r.successes,
  failures: r.failures,
});

/** Patterns, their occurrences (UNIQUE keys: re-ingestion never double counts) and reviews. */
export class PatternsRepo {
  private readonly bySig: Statement<[string], PatternRow>;
  private readonly byId: Statement<[number], PatternRow>;
  private readonly insertStmt: Statement;
  private readonly occInsert: Statement<
    [number, string, string, number | null, number, number, number, string, number | null, number | null]
  >;
  private readonly sessionSeen: Statement<[number, string], number>;
  private readonly statsStmt: Statement<[Record<string, unknown>]>;
  private readonly allStmt: Statement<[], PatternRow>;
  private readonly byStatusStmt: Statement<[string], PatternRow>;
  private readonly windowStmt: Statement<[number], { pattern_id: number; occ: number; uses: number }>;
  private readonly windowOne: Statement<[number, number], { occ: number; uses: number }>;
  private readonly setStatusStmt: Statement;
  private readonly reviewInsert: Statement;
  private readonly reviewsStmt: Statement<[number], ReviewRow>;
  private readonly lastReviewStmt: Statement<[number], ReviewRow>;
  private readonly setIssueStmt: Statement;
  private readonly routedStmt: Statement;
  /** multi-row inserts of sightings by their number of rows (1..SIGHTING_ROWS) */
  private readonly sightingInserts = new Map<number, Statement<(string | number)[], [string, number]>>();
  private readonly sightingsOf: Statement<[string], Sighting>;
  private readonly sessionKeysStmt: Statement<[number], string>;
  private readonly countStmt: Statement<[], number>;
  private readonly signaturesStmt: Statement<[string], string>;

  constructor(
    private readonly db: Database,
    private readonly counts: RowCounter,
  ) {
    this.bySig = db.prepare('SELECT * FROM operation_patterns WHERE signature = ?');
    this.byId = db.prepare('SELECT * FROM operation_patterns WHERE id = ?');
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
    this.allStmt = db.prepare('SELECT * FROM operation_patterns');
    this.byStatusStmt = db.prepare('SELECT * FROM operation_patterns WHERE status = ?');
    this.windowStmt = db.prepare(
      'SELECT pattern_id, count(DISTINCT session_key) AS occ, count(*) AS uses FROM pattern_occurrences WHERE ts_ms >= ? GROUP BY pattern_id',
    );
    this.windowOne = db.prepare(
      'SELECT count(DISTINCT session_key) AS occ, count(*) AS uses FROM pattern_occurrences WHERE pattern_id = ? AND ts_ms >= ?',
    );
    this.setStatusStmt = db.prepare(
      'UPDATE operation_patterns SET status = @to, updated_at = @now WHERE id = @id AND status = @from',
    );
    this.reviewInsert = db.prepare(
      `INSERT INTO pattern_reviews (pattern_id, action, from_status, to_status, actor, note, created_at)
       VALUES (@patternId, @action, @from, @to, @actor, @note, @now)`,
    );
    this.reviewsStmt = db.prepare('SELECT * FROM pattern_reviews WHERE pattern_id = ? ORDER BY id');
    // the last status change: offload switches (`offload_on` / `offload_off`) are reviews too, but leave the status
    this.lastReviewStmt = db.prepare(
      "SELECT * FROM pattern_reviews WHERE pattern_id = ? AND action NOT IN ('offload_on', 'offload_off') ORDER BY id DESC LIMIT 1",
    );
    this.setIssueStmt = db.prepare(
      'UPDATE operation_patterns SET issue_url = @url, issue_filed_at = @now, updated_at = @now WHERE id = @id',
    );
    this.routedStmt = db.prepare(
      `UPDATE operation_patterns SET routed_runs = routed_runs + 1, sum_tool_tokens_measured = sum_tool_tokens_measured + @tokens, updated_at = @now
       WHERE id = @id`,
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
    this.signaturesStmt = db.prepare('SELECT signature FROM operation_patterns WHERE kind = ?').pluck() as Statement<
      [string],
      string
    >;
  }

  count(): number {
    return this.countStmt.get() ?? 0;
  }

  /** The signatures of every pattern of a kind. */
  signaturesOf(kind: PatternKind): string[] {
    return this.signaturesStmt.all(kind);
  }

  bySignature(signature: string): PatternRow | null {
    return this.bySig.get(signature) ?? null;
  }

  get(id: number): PatternRow | null {
    return this.byId.get(id) ?? null;
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
    const row: PatternRow = {
      id,
      signature,
      kind,
      status: 'detected',
      occurrences: 0,
      uses: 0,
      dur_n: 0,
      dur_mean: 0,
      dur_m2: 0,
      successes: 0,
      failures: 0,
      sum_llm_tokens: 0,
      sum_llm_cost: 0,
      measured_uses: 0,
      sum_tool_tokens_est: 0,
      routed_runs: 0,
      sum_tool_tokens_measured: 0,
      confidence: 0,
      model,
      examples: '[]',
      first_seen: ts,
      last_seen: ts,
      tool_id: null,
      issue_url: null,
      issue_filed_at: null,
      created_at: now,
      updated_at: now,
      offload: 0,
      offload_changed_at: null,
      offload_changed_by: null,
    };
    return { row, created: true };
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

  reviews(id: number): ReviewRow[] {
    return this.reviewsStmt.all(id);
  }

  /** The last review that changed the status (offload switches skipped). */
  lastReview(id: number): ReviewRow | null {
    return this.lastReviewStmt.get(id) ?? null;
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

  sightings(signature: string): Sighting[] {
    return this.sightingsOf.all(signature);
  }

  /** The sessions (or `wf:` workflows) a pattern occurred in, oldest first. */
  sessionKeys(id: number): string[] {
    return this.sessionKeysStmt.all(id);
  }
}
