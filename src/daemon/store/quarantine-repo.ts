import type { Database, Statement } from 'better-sqlite3';

export interface QuarantineEntry {
  path: string;
  ino: number;
  offset: number;
  reason: string;
  /** the first bytes of the rejected input (at most 200) */
  excerpt: Buffer;
}

/** Inputs that could not be parsed: kept with file, offset and reason, never silently dropped. */
export class QuarantineRepo {
  private readonly insertStmt: Statement;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO quarantine (path, ino, offset, reason, excerpt, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Returns true when the row is new. */
  add(e: QuarantineEntry): boolean {
    return (
      this.insertStmt.run(
        e.path,
        e.ino,
        e.offset,
        e.reason.slice(0, 500),
        e.excerpt.subarray(0, 200),
        new Date().toISOString(),
      ).changes > 0
    );
  }
}
