import type { Database, Statement } from 'better-sqlite3';
import { QUARANTINED_LINES_SQL, type RowCounter } from './counts-repo.js';

export interface QuarantineEntry {
  path: string;
  ino: number;
  offset: number;
  reason: string;
  /** the first bytes of the rejected input (at most 200) */
  excerpt: Buffer;
}

/** Rows kept per file by default; the rest are counted per file and reason. */
export const DEFAULT_QUARANTINE_KEEP = 100;

/** One file and reason: rows kept, lines counted beyond them, and the first sample. */
export interface QuarantineGroupRow {
  path: string;
  reason: string;
  kept: number;
  counted: number;
  offset: number;
  excerpt: Buffer;
}

/**
 * A reason as a grouping key: numbers in it (line lengths, positions) would make a group per
 * line, so they are replaced.
 */
export function reasonKey(reason: string): string {
  return reason.replace(/\d+/g, 'N').slice(0, 500);
}

/**
 * Inputs that could not be parsed: kept with file, offset and reason, never silently dropped. The
 * first `keepPerFile` lines of a file are kept as rows; after that each line only adds to a count
 * per file, inode and reason. The count remembers the highest offset it took, so reading a file
 * again (a restart, a rewrite noticed) counts no line twice.
 */
export class QuarantineRepo {
  /** rows kept per file (config `quarantineKeepPerFile`) */
  keepPerFile = DEFAULT_QUARANTINE_KEEP;
  private readonly insertStmt: Statement;
  private readonly existsStmt: Statement<[string, number, number], number>;
  private readonly keptStmt: Statement<[string, number], number>;
  private readonly overflowStmt: Statement;
  private readonly groupsStmt: Statement<[], QuarantineGroupRow>;
  private readonly overflowRowsStmt: Statement<[], QuarantineGroupRow>;
  private readonly totalStmt: Statement<[], number>;

  constructor(
    db: Database,
    private readonly counts: RowCounter,
  ) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO quarantine (path, ino, offset, reason, excerpt, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.existsStmt = db
      .prepare('SELECT 1 FROM quarantine WHERE path = ? AND ino = ? AND offset = ?')
      .pluck() as Statement<[string, number, number], number>;
    this.keptStmt = db
      .prepare('SELECT count(*) FROM (SELECT 1 FROM quarantine WHERE path = ? LIMIT ?)')
      .pluck() as Statement<[string, number], number>;
    this.overflowStmt = db.prepare(
      `INSERT INTO quarantine_overflow (path, ino, reason, count, last_offset, excerpt) VALUES (?, ?, ?, 1, ?, ?)
       ON CONFLICT (path, ino, reason) DO UPDATE SET count = count + 1, last_offset = excluded.last_offset
       WHERE excluded.last_offset > quarantine_overflow.last_offset`,
    );
    this.groupsStmt = db.prepare(
      `SELECT q.path, q.reason, g.kept, 0 AS counted, q.offset, q.excerpt
       FROM (SELECT path, reason, count(*) AS kept, min(id) AS first FROM quarantine GROUP BY path, reason) g
       JOIN quarantine q ON q.id = g.first`,
    );
    this.overflowRowsStmt = db.prepare(
      `SELECT path, reason, 0 AS kept, sum(count) AS counted, min(last_offset) AS offset, excerpt
       FROM quarantine_overflow GROUP BY path, reason`,
    );
    this.totalStmt = db.prepare(QUARANTINED_LINES_SQL).pluck() as Statement<[], number>;
  }

  /** Returns true when the line is new (kept as a row or counted); a new line is counted in `counter`. */
  add(e: QuarantineEntry, counter: RowCounter = this.counts): boolean {
    const added = this.write(e);
    if (added) counter.add('quarantined', 1);
    return added;
  }

  private write(e: QuarantineEntry): boolean {
    if (this.existsStmt.get(e.path, e.ino, e.offset) !== undefined) return false;
    const excerpt = e.excerpt.subarray(0, 200);
    if ((this.keptStmt.get(e.path, this.keepPerFile) ?? 0) < this.keepPerFile) {
      const reason = e.reason.slice(0, 500);
      return this.insertStmt.run(e.path, e.ino, e.offset, reason, excerpt, new Date().toISOString()).changes > 0;
    }
    return this.overflowStmt.run(e.path, e.ino, reasonKey(e.reason), e.offset, excerpt).changes > 0;
  }

  /** Every line quarantined, kept or counted. */
  total(): number {
    return this.totalStmt.get() ?? 0;
  }

  /** Kept rows and counted lines, each grouped by file and reason, with one sample each. */
  groups(): QuarantineGroupRow[] {
    return [...this.groupsStmt.all(), ...this.overflowRowsStmt.all()];
  }
}
