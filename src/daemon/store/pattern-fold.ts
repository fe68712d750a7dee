import type { RowCounter } from './counts-repo.js';
import type { Database, Statement } from 'better-sqlite3';
import { confidence, emptyStats, foldUseInto } from '../../core/learning/confidence.js';
import { MAX_EXAMPLES } from './pattern-row.js';

/** What one stored occurrence contributes to its pattern. */
export interface OccurrenceUse {
  occurrenceKey: string;
  sessionKey: string;
  toolCallId: number | null;
  ts: string;
  tsMs: number;
  llmTokens: number;
  llmCost: number;
  basis: 'measured' | 'estimated';
  durationMs: number | null;
  ok: boolean | null;
  toolTokensEst: number;
  example: string | null;
  model: string | null;
}

type FoldRow = [
  string,
  string,
  number,
  number,
  number,
  string,
  number | null,
  number | null,
  number,
  string | null,
  string | null,
];

/** Whether occurrence row a is newer than b: by time, then key (a total order). */
const newer = (a: FoldRow, b: FoldRow): boolean => a[2] > b[2] || (a[2] === b[2] && a[0] > b[0]);

/** The distinct examples of the newest uses (newest first) and the model of the newest use naming one. */
function newestExamples(rows: readonly FoldRow[]): { examples: string[]; model: string | null } {
  const best = new Map<string, FoldRow>();
  let modelRow: FoldRow | null = null;
  for (const r of rows) {
    const ex = r[9];
    if (ex !== null) {
      const b = best.get(ex);
      if (!b || newer(r, b)) best.set(ex, r);
    }
    if (r[10] !== null && (modelRow === null || newer(r, modelRow))) modelRow = r;
  }
  const examples = [...best.entries()]
    .sort(([, a], [, b]) => (newer(a, b) ? -1 : newer(b, a) ? 1 : 0))
    .slice(0, MAX_EXAMPLES)
    .map(([ex]) => ex);
  return { examples, model: modelRow?.[10] ?? null };
}

/**
 * A pattern's figures as a function of its occurrences alone: they are folded in the order of
 * their keys (sums and the running variance come out the same whatever order the uses were learned
 * in); examples are those of the newest uses; the model is that of the newest use that names one.
 */
export class PatternFold {
  private readonly upsertStmt: Statement;
  private readonly rowsStmt: Statement<[number], FoldRow>;
  private readonly writeStmt: Statement;
  private readonly dropStmt: Statement<[number]>;
  private readonly clearStmt: Statement<[number]>;
  private readonly queueStmt: Statement<[number]>;
  private readonly moveStmt: Statement<[string, number], { pattern_id: number }>;
  private readonly countStmt: Statement<[number], number>;
  private readonly queuedStmt: Statement<[number], number>;
  private readonly foldedStmt: Statement<[number]>;
  private readonly figuresStmt: Statement<[number], Record<string, unknown>>;

  constructor(
    db: Database,
    private readonly counts: RowCounter,
  ) {
    this.clearStmt = db.prepare('DELETE FROM pattern_occurrences WHERE pattern_id = ?');
    this.moveStmt = db.prepare(
      'DELETE FROM pattern_occurrences WHERE occurrence_key = ? AND pattern_id != ? RETURNING pattern_id',
    );
    this.countStmt = db.prepare('SELECT count(*) FROM pattern_occurrences WHERE pattern_id = ?').pluck() as Statement<
      [number],
      number
    >;
    this.queueStmt = db.prepare('INSERT OR IGNORE INTO learn_patterns (pattern_id) VALUES (?)');
    this.queuedStmt = db
      .prepare('SELECT pattern_id FROM learn_patterns ORDER BY pattern_id LIMIT ?')
      .pluck() as Statement<[number], number>;
    this.foldedStmt = db.prepare('DELETE FROM learn_patterns WHERE pattern_id = ?');
    this.figuresStmt = db.prepare(
      `SELECT occurrences, uses, dur_n AS durN, dur_mean AS durMean, dur_m2 AS durM2, successes, failures, sum_llm_tokens AS llmTokens,
         sum_llm_cost AS llmCost, measured_uses AS measuredUses, sum_tool_tokens_est AS toolTokensEst, confidence, examples,
         first_seen AS firstSeen, last_seen AS lastSeen, model
       FROM operation_patterns WHERE id = ?`,
    );
    this.upsertStmt = db.prepare(
      `INSERT INTO pattern_occurrences (pattern_id, occurrence_key, session_key, tool_call_id, ts_ms, llm_tokens, llm_cost, token_basis,
         duration_ms, ok, tool_tokens_est, example, model)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (pattern_id, occurrence_key) DO UPDATE SET session_key = excluded.session_key, tool_call_id = excluded.tool_call_id,
         ts_ms = excluded.ts_ms, llm_tokens = excluded.llm_tokens, llm_cost = excluded.llm_cost, token_basis = excluded.token_basis,
         duration_ms = excluded.duration_ms, ok = excluded.ok, tool_tokens_est = excluded.tool_tokens_est, example = excluded.example,
         model = excluded.model`,
    );
    this.rowsStmt = db
      .prepare<[number], FoldRow>(
        `SELECT occurrence_key, session_key, ts_ms, llm_tokens, llm_cost, token_basis, duration_ms, ok, tool_tokens_est, example, model
         FROM pattern_occurrences WHERE pattern_id = ? ORDER BY occurrence_key`,
      )
      .raw();
    this.writeStmt = db.prepare(
      `UPDATE operation_patterns SET occurrences = @occurrences, uses = @uses, dur_n = @durN, dur_mean = @durMean, dur_m2 = @durM2,
         successes = @successes, failures = @failures, sum_llm_tokens = @llmTokens, sum_llm_cost = @llmCost, measured_uses = @measuredUses,
         sum_tool_tokens_est = @toolTokensEst, confidence = @confidence, examples = coalesce(@examples, examples),
         first_seen = coalesce(@firstSeen, first_seen), last_seen = coalesce(@lastSeen, last_seen), model = coalesce(@model, model), updated_at = @now
       WHERE id = @id`,
    );
    // a pattern no occurrence supports any more, that nobody reviewed or gave a tool: as if never seen
    this.dropStmt = db.prepare(
      `DELETE FROM operation_patterns WHERE id = ? AND occurrences = 0 AND status = 'detected' AND tool_id IS NULL
         AND routed_runs = 0 AND NOT EXISTS (SELECT 1 FROM pattern_reviews r WHERE r.pattern_id = operation_patterns.id)`,
    );
  }

  /** Patterns whose occurrences changed wait here (in the same transaction) until folded. */
  queue(ids: Iterable<number>): void {
    for (const id of ids) this.queueStmt.run(id);
  }

  queued(limit: number): number[] {
    return this.queuedStmt.all(limit);
  }

  folded(id: number): void {
    this.foldedStmt.run(id);
  }

  /** Removes the occurrence `key` from every pattern but `keep`; returns the patterns it left. */
  removeKeyElsewhere(key: string, keep: number | null): number[] {
    return this.moveStmt.all(key, keep ?? 0).map((r) => r.pattern_id);
  }

  occurrenceCount(patternId: number): number {
    return this.countStmt.get(patternId) ?? 0;
  }

  /** Removes every occurrence of the pattern (a sequence seen in too few sessions now). */
  clear(patternId: number): void {
    this.clearStmt.run(patternId);
  }

  /** Stores one use, replacing what an earlier learning of the same occurrence stored. */
  upsert(patternId: number, u: OccurrenceUse): void {
    this.upsertStmt.run(
      patternId,
      u.occurrenceKey,
      u.sessionKey,
      u.toolCallId,
      Number.isFinite(u.tsMs) ? u.tsMs : 0,
      u.llmTokens,
      u.llmCost,
      u.basis,
      u.durationMs,
      u.ok === null ? null : u.ok ? 1 : 0,
      u.toolTokensEst,
      u.example,
      u.model,
    );
  }

  /**
   * Rewrites the pattern's figures from its occurrences (not at all when they are the same); a
   * pattern left without any is dropped when nothing else holds it.
   */
  refold(patternId: number): 'same' | 'changed' | 'dropped' {
    const rows = this.rowsStmt.all(patternId);
    const stats = emptyStats();
    const sessions = new Set<string>();
    let llmTokens = 0;
    let llmCost = 0;
    let measuredUses = 0;
    let toolTokensEst = 0;
    let first = Infinity;
    let last = -Infinity;
    for (const [, session, tsMs, tokens, cost, basis, dur, ok, tool] of rows) {
      if (!sessions.has(session)) {
        sessions.add(session);
        stats.occurrences++;
      }
      foldUseInto(stats, dur, ok === 1 ? true : ok === 0 ? false : null);
      llmTokens += tokens;
      llmCost += cost;
      if (basis === 'measured') measuredUses++;
      toolTokensEst += tool;
      first = Math.min(first, tsMs);
      last = Math.max(last, tsMs);
    }
    const { examples, model } = newestExamples(rows);
    const figures = {
      ...stats,
      llmTokens,
      llmCost,
      measuredUses,
      toolTokensEst,
      confidence: confidence(stats),
      // occurrences stored before they kept examples and models leave the pattern's as they were
      examples: examples.length > 0 ? JSON.stringify(examples) : null,
      firstSeen: rows.length > 0 ? new Date(first).toISOString() : null,
      lastSeen: rows.length > 0 ? new Date(last).toISOString() : null,
      model,
    };
    const before = this.figuresStmt.get(patternId);
    if (!before) return 'dropped';
    // null keeps what is stored
    const same = Object.entries(figures).every(([k, v]) => v === null || before[k] === v);
    if (!same) this.writeStmt.run({ id: patternId, ...figures, now: new Date().toISOString() });
    if (rows.length === 0 && this.dropStmt.run(patternId).changes > 0) {
      this.counts.add('patterns', -1);
      return 'dropped';
    }
    return same ? 'same' : 'changed';
  }
}

/** Sessions whose calls changed since their fix loops and sequences were derived (filled by triggers). */
export class LearnSessions {
  private readonly takeStmt: Statement<[number], string>;
  private readonly doneStmt: Statement<[string]>;
  private readonly fixOccStmt: Statement<[string, string], { pattern_id: number }>;
  private readonly seqOccStmt: Statement<[string], { pattern_id: number }>;
  private readonly sightStmt: Statement<[string], { signature: string }>;

  constructor(db: Database) {
    this.takeStmt = db
      .prepare('SELECT session_id FROM learn_sessions ORDER BY session_id LIMIT ?')
      .pluck() as Statement<[number], string>;
    this.doneStmt = db.prepare('DELETE FROM learn_sessions WHERE session_id = ?');
    // the keys are `fix:<session>:<call key>` and `seq:<session>`; `>= prefix AND < prefix + U+FFFF` uses the unique index
    this.fixOccStmt = db.prepare(
      `DELETE FROM pattern_occurrences WHERE occurrence_key >= ? AND occurrence_key < ? RETURNING pattern_id`,
    );
    this.seqOccStmt = db.prepare('DELETE FROM pattern_occurrences WHERE occurrence_key = ? RETURNING pattern_id');
    this.sightStmt = db.prepare('DELETE FROM sequence_sightings WHERE session_key = ? RETURNING signature');
  }

  take(limit: number): string[] {
    return this.takeStmt.all(limit);
  }

  done(sessionId: string): void {
    this.doneStmt.run(sessionId);
  }

  /** Removes what was derived from the session (fix loops, sequence uses, sightings) before deriving it again. */
  clearDerived(sessionId: string): { patternIds: Set<number>; signatures: Set<string> } {
    const patternIds = new Set<number>();
    const prefix = `fix:${sessionId}:`;
    for (const r of this.fixOccStmt.all(prefix, `${prefix}\uffff`)) patternIds.add(r.pattern_id);
    for (const r of this.seqOccStmt.all(`seq:${sessionId}`)) patternIds.add(r.pattern_id);
    const signatures = new Set(this.sightStmt.all(sessionId).map((r) => r.signature));
    return { patternIds, signatures };
  }
}

/**
 * Patterns whose context profile is missing or older than the pattern: after a restart (the
 * refresher's queue is in memory) they are refreshed again.
 */
export function patternsWithStaleProfiles(db: Database): number[] {
  return db
    .prepare(
      `SELECT p.id FROM operation_patterns p LEFT JOIN context_profiles c ON c.pattern_id = p.id
       WHERE p.kind != 'workflow' AND p.occurrences > 0 AND (c.id IS NULL OR c.updated_at < p.updated_at)`,
    )
    .pluck()
    .all() as number[];
}
