import type { Database, Statement } from 'better-sqlite3';
import { OFFLOADABLE_STATUSES } from '../../core/offload/family.js';
import type { MetaRepo } from './meta-repo.js';
import type { PatternRow } from './patterns-repo.js';

/** A command the pattern ran, as recorded with its tool call (newest first). */
export interface ExampleRun {
  command: string;
  cwd: string | null;
  exit_code: number | null;
}

/** Who last flipped the kill switch, and when (null: never flipped). */
export interface SwitchChange {
  enabled: boolean;
  at: string | null;
  by: string | null;
}

const KEY_ENABLED = 'offload.enabled';
const KEY_AT = 'offload.changed_at';
const KEY_BY = 'offload.changed_by';
const STATUS_LIST = OFFLOADABLE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The offload flag of each pattern (migration 10) and the kill switch (daemon_meta). Every flag change
 * writes a `pattern_reviews` row (`offload_on` / `offload_off`, status unchanged) like other reviews.
 */
export class OffloadRepo {
  private readonly offloadedStmt: Statement<[], PatternRow>;
  private readonly setStmt: Statement<{ id: number; on: number; actor: string; now: string }>;
  private readonly reviewStmt: Statement;
  private readonly examplesStmt: Statement<[number, number, number], ExampleRun>;
  private readonly fingerprintStmt: Statement<[], { n: number; pu: string; ids: number }>;
  private readonly changesStmt: Statement<[], number>;
  #fingerprint: { changes: number; value: string } | null = null;

  constructor(
    db: Database,
    private readonly meta: MetaRepo,
  ) {
    this.offloadedStmt = db.prepare(
      `SELECT * FROM operation_patterns WHERE offload = 1 AND status IN (${STATUS_LIST}) ORDER BY id`,
    );
    this.setStmt = db.prepare(
      `UPDATE operation_patterns SET offload = @on, offload_changed_at = @now, offload_changed_by = @actor, updated_at = @now
       WHERE id = @id AND offload != @on`,
    );
    this.reviewStmt = db.prepare(
      `INSERT INTO pattern_reviews (pattern_id, action, from_status, to_status, actor, note, created_at)
       SELECT id, @action, status, status, @actor, @note, @now FROM operation_patterns WHERE id = @id`,
    );
    // the pattern's own calls up to a time, newest first: the command as the agent wrote it, with its directory
    this.examplesStmt = db.prepare(
      `SELECT c.command, c.cwd, c.exit_code FROM pattern_occurrences o JOIN tool_calls c ON c.id = o.tool_call_id
       WHERE o.pattern_id = ? AND o.ts_ms <= ? AND c.command IS NOT NULL ORDER BY o.ts_ms DESC, o.id DESC LIMIT ?`,
    );
    this.fingerprintStmt = db.prepare(
      `SELECT count(*) AS n, coalesce(max(updated_at), '') AS pu, coalesce(sum(id), 0) AS ids
       FROM operation_patterns WHERE offload = 1 AND status IN (${STATUS_LIST})`,
    );
    this.changesStmt = db.prepare('SELECT total_changes()').pluck() as Statement<[], number>;
  }

  /** Patterns with the flag on in an approved status, by id. */
  offloaded(): PatternRow[] {
    return this.offloadedStmt.all();
  }

  /** Sets the flag and writes the review row; false when it already was so. */
  setFlag(id: number, on: boolean, actor: string, note: string | null): boolean {
    const now = new Date().toISOString();
    if (this.setStmt.run({ id, on: on ? 1 : 0, actor, now }).changes === 0) return false;
    this.reviewStmt.run({ id, action: on ? 'offload_on' : 'offload_off', actor, note, now });
    return true;
  }

  /** The kill switch: false stops every rewrite and every built-in run. On unless someone turned it off. */
  enabled(): boolean {
    return this.meta.get(KEY_ENABLED) !== '0';
  }

  switchChange(): SwitchChange {
    return { enabled: this.enabled(), at: this.meta.get(KEY_AT), by: this.meta.get(KEY_BY) };
  }

  /** Flips the kill switch; false when it already was so. */
  setEnabled(on: boolean, actor: string): boolean {
    if (this.enabled() === on) return false;
    this.meta.set(KEY_ENABLED, on ? '1' : '0');
    this.meta.set(KEY_AT, new Date().toISOString());
    this.meta.set(KEY_BY, actor);
    return true;
  }

  /** Up to `limit` commands the pattern's calls recorded at or before `untilMs` ran, newest first. */
  exampleRuns(patternId: number, untilMs: number, limit = 20): ExampleRun[] {
    return this.examplesStmt.all(patternId, untilMs, limit);
  }

  /**
   * Changes whenever the offloaded set, one of its patterns or the kill switch changes (the router's
   * cache key); recomputed only when the connection's total_changes() moved.
   */
  fingerprint(): string {
    const changes = this.changesStmt.get() ?? 0;
    if (this.#fingerprint !== null && this.#fingerprint.changes === changes) return this.#fingerprint.value;
    const r = this.fingerprintStmt.get();
    const value = `${this.enabled() ? 1 : 0}|${r?.n ?? 0}|${r?.pu ?? ''}|${r?.ids ?? 0}`;
    this.#fingerprint = { changes, value };
    return value;
  }
}
