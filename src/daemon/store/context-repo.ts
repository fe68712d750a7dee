import type { Database, Statement } from 'better-sqlite3';
import type { ContextProfile } from '../../core/context-profile.js';
import type { ContextProfileInfo } from '../../rpc/protocol.js';
import type { ToolCallRow } from './tool-calls-repo.js';

/** The columns of a tool call that context efficiency reads (a narrow read: 5,000 calls stay fast). */
export type ContextCallRow = Pick<
  ToolCallRow,
  | 'tool_name'
  | 'command'
  | 'cwd'
  | 'input_json'
  | 'response_bytes'
  | 'is_error'
  | 'file_paths'
  | 'loaded_paths'
  | 'ended_at'
>;

/** Edits and reads are known by their paths: their (large) inputs are not read back. */
const CALL_COLUMNS =
  "tool_name, command, cwd, CASE WHEN file_paths IS NOT NULL AND tool_name IN ('Edit', 'Write', 'MultiEdit', 'NotebookEdit', 'Read') THEN NULL ELSE input_json END AS input_json, response_bytes, is_error, file_paths, loaded_paths, ended_at";

interface Row {
  signature: string;
  pattern_id: number | null;
  globs: string;
  typical_files: string;
  typical_dirs: string;
  avg_tokens_loaded: number;
  avg_tokens_used: number;
  estimated_tokens_saved: number;
  samples: number;
  updated_at: string;
}

function parseArray<T>(json: string): T[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

function toInfo(r: Row): ContextProfileInfo {
  return {
    signature: r.signature,
    globs: parseArray<string>(r.globs),
    typicalFiles: parseArray<{ path: string; share: number }>(r.typical_files),
    typicalDirs: parseArray<string>(r.typical_dirs),
    avgTokensLoaded: r.avg_tokens_loaded,
    avgTokensUsed: r.avg_tokens_used,
    estimatedTokensSaved: r.estimated_tokens_saved,
    samples: r.samples,
    updatedAt: r.updated_at,
  };
}

/**
 * Context profiles (`context_profiles`): one row per pattern signature, replaced on refresh; and
 * the narrow, time-ordered reads of a session's or workflow's tool calls that efficiency needs.
 */
export class ContextRepo {
  private readonly upsertStmt: Statement;
  private readonly sessionCalls: Statement<[string], ContextCallRow>;
  private readonly workflowCalls: Statement<[string], ContextCallRow>;
  private readonly changesStmt: Statement<[], number>;
  private readonly bySignature: Statement<[string], Row>;
  private readonly byPattern: Statement<[number], Row>;

  constructor(db: Database) {
    this.upsertStmt = db.prepare(
      `INSERT INTO context_profiles (signature, pattern_id, globs, typical_files, typical_dirs, avg_tokens_loaded,
         avg_tokens_used, estimated_tokens_saved, samples, updated_at)
       VALUES (@signature, @patternId, @globs, @typicalFiles, @typicalDirs, @avgTokensLoaded, @avgTokensUsed,
         @estimatedTokensSaved, @samples, @updatedAt)
       ON CONFLICT (signature) DO UPDATE SET
         pattern_id = excluded.pattern_id, globs = excluded.globs, typical_files = excluded.typical_files,
         typical_dirs = excluded.typical_dirs, avg_tokens_loaded = excluded.avg_tokens_loaded,
         avg_tokens_used = excluded.avg_tokens_used, estimated_tokens_saved = excluded.estimated_tokens_saved,
         samples = excluded.samples, updated_at = excluded.updated_at`,
    );
    this.sessionCalls = db.prepare(
      `SELECT ${CALL_COLUMNS} FROM tool_calls WHERE session_id = ? ORDER BY coalesce(ts_ms, 0), id`,
    );
    this.workflowCalls = db.prepare(
      `SELECT ${CALL_COLUMNS} FROM tool_calls WHERE workflow_id = ? ORDER BY coalesce(ts_ms, 0), id`,
    );
    this.changesStmt = db.prepare<[], number>('SELECT total_changes()').pluck();
    this.bySignature = db.prepare('SELECT * FROM context_profiles WHERE signature = ?');
    this.byPattern = db.prepare('SELECT * FROM context_profiles WHERE pattern_id = ? ORDER BY id LIMIT 1');
  }

  /** Inserts or replaces the profile of `signature`; returns it as stored. */
  upsert(signature: string, patternId: number | null, p: ContextProfile, now = new Date()): ContextProfileInfo {
    const updatedAt = now.toISOString();
    this.upsertStmt.run({
      signature,
      patternId,
      globs: JSON.stringify(p.globs),
      typicalFiles: JSON.stringify(p.typicalFiles),
      typicalDirs: JSON.stringify(p.typicalDirs),
      avgTokensLoaded: p.avgTokensLoaded,
      avgTokensUsed: p.avgTokensUsed,
      estimatedTokensSaved: p.estimatedTokensSaved,
      samples: p.samples,
      updatedAt,
    });
    return { signature, ...p, updatedAt };
  }

  /** A session's tool calls in time order (same order as ToolCallsRepo.forSession). */
  callsForSession(sessionId: string): ContextCallRow[] {
    return this.sessionCalls.all(sessionId);
  }

  /** A workflow's tool calls (all its agents) in time order. */
  callsForWorkflow(workflowId: string): ContextCallRow[] {
    return this.workflowCalls.all(workflowId);
  }

  /**
   * Rows changed through this connection since it opened (SQLite total_changes()). The daemon is
   * the single writer, so an unchanged stamp means no tool call changed: results may be reused.
   */
  changeStamp(): number {
    return this.changesStmt.get() ?? 0;
  }

  get(signature: string): ContextProfileInfo | null {
    const r = this.bySignature.get(signature);
    return r ? toInfo(r) : null;
  }

  /** The profile of a pattern (for `patterns/get`), or null. */
  forPattern(patternId: number): ContextProfileInfo | null {
    const r = this.byPattern.get(patternId);
    return r ? toInfo(r) : null;
  }
}
