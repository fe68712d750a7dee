/**
 * Every learned table of a database as sorted lines, without what legitimately differs between two
 * passes over the same input (row ids, times of writing): pattern rows, occurrences (by pattern
 * signature and tool call key), sightings and context profiles. Context checkpoints are left out:
 * they are a cache of a fold up to some position, whose position depends on when it was taken.
 */
import type { Database } from 'better-sqlite3';

type Row = Record<string, unknown>;

function canon(rows: Row[]): string[] {
  return rows.map((r) => JSON.stringify(Object.values(r))).sort();
}

export function dumpLearnedTables(db: Database): Record<string, string[]> {
  const q = (sql: string): string[] => canon(db.prepare(sql).all() as Row[]);
  return {
    operation_patterns: q(
      `SELECT signature, kind, status, occurrences, uses, dur_n, dur_mean, dur_m2, successes, failures, sum_llm_tokens, sum_llm_cost,
         measured_uses, sum_tool_tokens_est, routed_runs, sum_tool_tokens_measured, confidence, model, examples, first_seen, last_seen
       FROM operation_patterns`,
    ),
    pattern_occurrences: q(
      `SELECT p.signature, o.occurrence_key, o.session_key, c.call_key, o.ts_ms, o.llm_tokens, o.llm_cost, o.token_basis, o.duration_ms, o.ok
       FROM pattern_occurrences o JOIN operation_patterns p ON p.id = o.pattern_id LEFT JOIN tool_calls c ON c.id = o.tool_call_id`,
    ),
    sequence_sightings: q('SELECT signature, session_key, ts_ms, llm_tokens, llm_cost FROM sequence_sightings'),
    context_profiles: q(
      `SELECT context_profiles.signature, p.signature AS pattern, globs, typical_files, typical_dirs, avg_tokens_loaded, avg_tokens_used, estimated_tokens_saved, samples
       FROM context_profiles LEFT JOIN operation_patterns p ON p.id = context_profiles.pattern_id`,
    ),
  };
}

/** Rows compared (of the reference) and every line that is in one dump and not the other. */
export function diffDumps(
  reference: Record<string, string[]>,
  other: Record<string, string[]>,
): { compared: number; differences: string[] } {
  let compared = 0;
  const differences: string[] = [];
  for (const [table, rows] of Object.entries(reference)) {
    compared += rows.length;
    const theirs = new Set(other[table] ?? []);
    const ours = new Set(rows);
    for (const r of rows) if (!theirs.has(r)) differences.push(`${table} only in the clean pass: ${r}`);
    for (const r of other[table] ?? []) if (!ours.has(r)) differences.push(`${table} only in the other: ${r}`);
  }
  return { compared, differences };
}
