import type { Database, Statement } from 'better-sqlite3';
import type { CallOutput } from '../../core/types.js';

/** A kept output's rank and size: what deciding whether another copy replaces it needs. */
export interface OutputMeta {
  rank: number;
  rawBytes: number;
}

/**
 * `tool_outputs`: what Bash calls printed (one row per call, written through ToolCallBatch), and
 * `session_compactions`: the compact boundaries of sessions.
 */
export class OutputsRepo {
  private readonly metaStmt: Statement<[number], [number, number]>;
  private readonly textStmt: Statement<[number], string>;
  private readonly saveStmt: Statement<[number, string, number, number, number]>;
  private readonly dropStmt: Statement<[number]>;
  private readonly compactionStmt: Statement<[string, number]>;

  constructor(db: Database) {
    this.metaStmt = db
      .prepare<[number], [number, number]>('SELECT rank, raw_bytes FROM tool_outputs WHERE tool_call_id = ?')
      .raw();
    this.textStmt = db.prepare('SELECT output FROM tool_outputs WHERE tool_call_id = ?').pluck() as Statement<
      [number],
      string
    >;
    this.saveStmt = db.prepare(
      `INSERT INTO tool_outputs (tool_call_id, output, raw_bytes, truncated, rank) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tool_call_id) DO UPDATE SET output = excluded.output, raw_bytes = excluded.raw_bytes,
         truncated = excluded.truncated, rank = excluded.rank`,
    );
    this.dropStmt = db.prepare('DELETE FROM tool_outputs WHERE tool_call_id = ?');
    this.compactionStmt = db.prepare('INSERT OR IGNORE INTO session_compactions (session_id, ts_ms) VALUES (?, ?)');
  }

  meta(callId: number): OutputMeta | null {
    const r = this.metaStmt.get(callId);
    return r === undefined ? null : { rank: r[0], rawBytes: r[1] };
  }

  text(callId: number): string | null {
    return this.textStmt.get(callId) ?? null;
  }

  save(callId: number, out: CallOutput, rank: number): void {
    this.saveStmt.run(callId, out.text, out.rawBytes, out.truncated ? 1 : 0, rank);
  }

  drop(callId: number): void {
    this.dropStmt.run(callId);
  }

  /** A compact boundary of a session (idempotent). */
  addCompaction(sessionId: string, tsMs: number): void {
    this.compactionStmt.run(sessionId, tsMs);
  }
}
