import type { Database, Statement } from 'better-sqlite3';
import type { SequenceSupport } from '../../core/learning/sequences.js';
import type { PatternRow } from './patterns-repo.js';

/**
 * The narrow reads discovery needs over `operation_patterns`, so a weekly run over tens of thousands
 * of patterns reads only the few that can matter (rows as PatternsRepo returns them).
 */
export class DiscoveryRepo {
  private readonly eligibleStmt: Statement<[number, number], PatternRow>;
  private readonly filedStmt: Statement<[], PatternRow>;
  private readonly sequencesStmt: Statement<[], SequenceSupport>;

  constructor(db: Database) {
    this.eligibleStmt = db.prepare(
      `SELECT * FROM operation_patterns WHERE status IN ('detected', 'candidate') AND occurrences >= ? AND confidence >= ?`,
    );
    this.filedStmt = db.prepare(
      `SELECT * FROM operation_patterns WHERE status IN ('detected', 'candidate', 'approved') AND issue_url LIKE 'https://%' ORDER BY id`,
    );
    this.sequencesStmt = db.prepare(
      `SELECT signature, occurrences, status FROM operation_patterns WHERE kind = 'sequence' ORDER BY id`,
    );
  }

  /** detected/candidate patterns at or over the occurrence and confidence floors */
  eligible(minOccurrences: number, minConfidence: number): PatternRow[] {
    return this.eligibleStmt.all(minOccurrences, minConfidence);
  }

  /** every sequence pattern's signature, session count and status: what closedSequences looks up */
  sequences(): SequenceSupport[] {
    return this.sequencesStmt.all();
  }

  /** patterns with a filed GitHub issue that could still move to implemented */
  withFiledIssue(): PatternRow[] {
    return this.filedStmt.all();
  }
}
