import type { Database } from 'better-sqlite3';
import type { IngestCounts, TableCounts } from '../../rpc/protocol.js';

/** Where a repository counts the rows it really inserted (a negative n: rows it removed). */
export interface RowCounter {
  add(field: keyof TableCounts, n: number): void;
}

/**
 * Row counts per table, read once at start and kept current by the repositories as they insert,
 * so that `daemon/status` never scans a large table.
 */
export class CountsRepo implements RowCounter {
  private counts: TableCounts;
  readonly unpricedModels = new Set<string>();

  constructor(private readonly db: Database) {
    this.counts = this.read();
    for (const row of db.prepare('SELECT DISTINCT model FROM usage_records WHERE priced = 0').all() as {
      model: string;
    }[]) {
      this.unpricedModels.add(row.model);
    }
  }

  private read(): TableCounts {
    const one = (sql: string): number => (this.db.prepare(sql).pluck().get() as number) ?? 0;
    return {
      hookEvents: one('SELECT count(*) FROM hook_events'),
      toolCalls: one('SELECT count(*) FROM tool_calls'),
      usageRecords: one('SELECT count(*) FROM usage_records'),
      workflowRuns: one('SELECT count(*) FROM workflow_runs'),
      patterns: one('SELECT count(*) FROM operation_patterns'),
      quarantined: one(
        'SELECT (SELECT count(*) FROM quarantine) + (SELECT coalesce(sum(count), 0) FROM quarantine_overflow)',
      ),
    };
  }

  add(field: keyof TableCounts, n: number): void {
    if (n !== 0) this.counts[field] += n;
  }

  /** A counter into these counts that also adds each row to one ingest's result (`into`). */
  alsoInto(into: IngestCounts): RowCounter {
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

  snapshot(): TableCounts {
    return { ...this.counts };
  }
}
