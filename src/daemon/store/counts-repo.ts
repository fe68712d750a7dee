import type { Database } from 'better-sqlite3';

/** Every line quarantined: the rows kept plus the lines only counted. */
export const QUARANTINED_LINES_SQL =
  'SELECT (SELECT count(*) FROM quarantine) + (SELECT coalesce(sum(count), 0) FROM quarantine_overflow)';

/** Rows per table (quarantined: kept lines plus those only counted). */
export interface RowCounts {
  hookEvents: number;
  toolCalls: number;
  usageRecords: number;
  workflowRuns: number;
  patterns: number;
  quarantined: number;
}

/** The rows one ingest inserted, per table (patterns are learned, not ingested). */
export type IngestedRows = Record<Exclude<keyof RowCounts, 'patterns'>, number>;

/** Where a repository counts the rows it really inserted (a negative n: rows it removed). */
export interface RowCounter {
  add(field: keyof RowCounts, n: number): void;
}

/**
 * Row counts per table, read once at start and kept current by the repositories as they insert,
 * so that `daemon/status` never scans a large table.
 */
export class CountsRepo implements RowCounter {
  private counts: RowCounts;
  readonly unpricedModels = new Set<string>();

  constructor(private readonly db: Database) {
    this.counts = this.read();
    for (const row of db.prepare('SELECT DISTINCT model FROM usage_records WHERE priced = 0').all() as {
      model: string;
    }[]) {
      this.unpricedModels.add(row.model);
    }
  }

  private read(): RowCounts {
    const one = (sql: string): number => (this.db.prepare(sql).pluck().get() as number) ?? 0;
    return {
      hookEvents: one('SELECT count(*) FROM hook_events'),
      toolCalls: one('SELECT count(*) FROM tool_calls'),
      usageRecords: one('SELECT count(*) FROM usage_records'),
      workflowRuns: one('SELECT count(*) FROM workflow_runs'),
      patterns: one('SELECT count(*) FROM operation_patterns'),
      quarantined: one(QUARANTINED_LINES_SQL),
    };
  }

  add(field: keyof RowCounts, n: number): void {
    if (n !== 0) this.counts[field] += n;
  }

  /** A counter into these counts that also adds each row to one ingest's result (`into`). */
  alsoInto(into: IngestedRows): RowCounter {
    return {
      add: (field, n) => {
        this.add(field, n);
        if (field !== 'patterns') into[field] += n;
      },
    };
  }

  /** Re-reads from the tables (after a rolled-back transaction, for instance). */
  refresh(): void {
    this.counts = this.read();
  }

  snapshot(): RowCounts {
    return { ...this.counts };
  }
}
