import type { Database, Statement } from 'better-sqlite3';
import { contextFactsOf, SKIPPED_FACTS, type ContextCallRow } from '../../core/context/context-call.js';
import type { CallFacts } from '../../core/context/facts.js';
import { decodeFacts } from '../../core/context/facts-codec.js';
import type { ContextProfile } from '../../core/context/profile.js';
import { positionRange, rangeOf, TIME_ORDER, type CallPosition, type PositionRange } from './time-order.js';

/** The columns context facts are computed from (rows stored before they were kept). */
const SOURCE_COLUMNS =
  'tool_name, command, cwd, input_json, response_bytes, is_error, file_paths, loaded_paths, ended_at';
/** A call's stored facts, or its id when they were never computed. */
const FACTS = 'coalesce(context_facts, id)';

/** A stored context profile: the pattern's signature, its profile, and when the profile was built. */
export interface ContextProfileRecord extends ContextProfile {
  signature: string;
  updatedAt: string;
}

/** The kept fold state of a session's calls up to a position in time order (migration 6). */
export interface ContextCheckpoint {
  /** the position of the last call folded */
  at: CallPosition;
  /** calls up to that position (those left out included) */
  calls: number;
  state: string;
}

/**
 * A session's calls in time order (after a position, or all): their facts (null: left out), and
 * how many of them come before the first call still running (one whose facts were never stored:
 * they are stored when it ends), with the position of the last of those.
 */
export interface SessionFacts {
  facts: (CallFacts | null)[];
  settled: number;
  lastSettled: CallPosition | null;
}

/** A session's calls strictly between two positions. */
type Range = PositionRange & { session: string };

/** A call still running this long before a session's newest call is taken as abandoned. */
const ABANDONED_AFTER_MS = 3_600_000;
const FIRST: CallPosition = { ts: Number.MIN_SAFE_INTEGER, id: 0 };
const END: CallPosition = { ts: Number.MAX_SAFE_INTEGER, id: 0 };
const IN_RANGE = `session_id = @session AND ${positionRange('excluded')}`;

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

function toRecord(r: Row): ContextProfileRecord {
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
 * the time-ordered reads of the context facts of a session's or workflow's tool calls (one short
 * column per call: 5,000 calls stay fast).
 */
export class ContextRepo {
  private readonly upsertStmt: Statement;
  private readonly workflowFacts: Statement<[string], string | number>;
  private readonly workflowIds: Statement<[string], number>;
  private readonly sourceRow: Statement<[number], ContextCallRow & { pos_ts: number }>;
  private readonly saveFacts: Statement<[string, number]>;
  private readonly changesStmt: Statement<[], number>;
  private readonly bySignature: Statement<[string], Row>;
  private readonly rangeFacts: Statement<[Range], string | number>;
  private readonly rangeIds: Statement<[Range], number>;
  private readonly rangeLast: Statement<[Range], CallPosition>;
  private readonly checkpointStmt: Statement<[string], { ts: number; id: number; calls: number; state: string }>;
  private readonly saveCheckpointStmt: Statement;
  private readonly dropCheckpointStmt: Statement<[string]>;
  private readonly callCountStmt: Statement<[string], number>;
  private readonly withoutStateStmt: Statement<[number, number], string>;
  private readonly byPattern: Statement<[number], Row>;

  constructor(private readonly db: Database) {
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
    const pluck = <T>(sql: string): Statement<[string], T> => db.prepare<[string], T>(sql).pluck();
    this.workflowFacts = pluck(`SELECT ${FACTS} FROM tool_calls WHERE workflow_id = ? ${TIME_ORDER}`);
    this.workflowIds = pluck(`SELECT id FROM tool_calls WHERE workflow_id = ? ${TIME_ORDER}`);
    this.sourceRow = db.prepare(`SELECT ${SOURCE_COLUMNS}, coalesce(ts_ms, 0) AS pos_ts FROM tool_calls WHERE id = ?`);
    this.saveFacts = db.prepare('UPDATE tool_calls SET context_facts = ? WHERE id = ?');
    this.changesStmt = db.prepare<[], number>('SELECT total_changes()').pluck();
    this.bySignature = db.prepare('SELECT * FROM context_profiles WHERE signature = ?');
    this.rangeFacts = db
      .prepare<[Range], string | number>(`SELECT ${FACTS} FROM tool_calls WHERE ${IN_RANGE} ${TIME_ORDER}`)
      .pluck();
    this.rangeIds = db.prepare<[Range], number>(`SELECT id FROM tool_calls WHERE ${IN_RANGE} ${TIME_ORDER}`).pluck();
    this.rangeLast = db.prepare(
      `SELECT coalesce(ts_ms, 0) AS ts, id FROM tool_calls WHERE ${IN_RANGE} ORDER BY coalesce(ts_ms, 0) DESC, id DESC LIMIT 1`,
    );
    this.checkpointStmt = db.prepare(
      'SELECT pos_ts AS ts, pos_id AS id, calls, state FROM context_checkpoints WHERE session_id = ?',
    );
    this.callCountStmt = db.prepare('SELECT count(*) FROM tool_calls WHERE session_id = ?').pluck() as Statement<
      [string],
      number
    >;
    this.withoutStateStmt = db
      .prepare(
        `SELECT session_id FROM tool_calls WHERE session_id IS NOT NULL
         AND session_id NOT IN (SELECT session_id FROM context_checkpoints)
         GROUP BY session_id HAVING count(*) >= ? AND max(coalesce(ts_ms, 0)) >= ?`,
      )
      .pluck() as Statement<[number, number], string>;
    this.dropCheckpointStmt = db.prepare('DELETE FROM context_checkpoints WHERE session_id = ?');
    this.saveCheckpointStmt = db.prepare(
      `INSERT INTO context_checkpoints (session_id, pos_ts, pos_id, calls, state, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET pos_ts = excluded.pos_ts, pos_id = excluded.pos_id, calls = excluded.calls,
         state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.byPattern = db.prepare('SELECT * FROM context_profiles WHERE pattern_id = ? ORDER BY id LIMIT 1');
  }

  /** Inserts or replaces the profile of `signature`; returns it as stored. */
  upsert(signature: string, patternId: number | null, p: ContextProfile, now = new Date()): ContextProfileRecord {
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

  /**
   * A session's calls in time order with their positions, all of them or those after a checkpoint's
   * position (`after`).
   */
  sessionCalls(sessionId: string, after: ContextCheckpoint | null = null): SessionFacts {
    const from = after === null ? FIRST : after.at;
    const range = (b: CallPosition): Range => ({ session: sessionId, ...rangeOf(from, b) });
    const all = range(END);
    const runningCalls: { index: number; at: CallPosition }[] = [];
    const facts = this.decoded(
      this.rangeFacts.all(all),
      () => this.rangeIds.all(all),
      (index, at) => runningCalls.push({ index, at }),
    );
    // a call left running long before the session's last one (its end never came) does not hold the state back
    const newest = runningCalls.length === 0 ? null : (this.rangeLast.get(all) ?? null);
    const running =
      newest === null ? null : (runningCalls.find((r) => r.at.ts >= newest.ts - ABANDONED_AFTER_MS) ?? null);
    const settled = running === null ? facts.length : running.index;
    const lastSettled = settled === 0 ? null : (this.rangeLast.get(range(running === null ? END : running.at)) ?? null);
    return { facts, settled, lastSettled };
  }

  /** The session's kept fold state, or null (never kept, or dropped by a change at or before it). */
  checkpoint(sessionId: string): ContextCheckpoint | null {
    const r = this.checkpointStmt.get(sessionId);
    return r === undefined ? null : { at: { ts: r.ts, id: r.id }, calls: r.calls, state: r.state };
  }

  /** How many calls a session has. */
  sessionCallCount(sessionId: string): number {
    return this.callCountStmt.get(sessionId) ?? 0;
  }

  /** Sessions with at least `minCalls` calls, one of them since `sinceMs`, and no kept state. */
  sessionsWithoutState(minCalls: number, sinceMs: number): string[] {
    return this.withoutStateStmt.all(minCalls, sinceMs);
  }

  /** Forgets a session's kept state (its next query folds every call). */
  dropCheckpoint(sessionId: string): void {
    this.dropCheckpointStmt.run(sessionId);
  }

  /** Keeps a session's fold state up to a position (not on a read-only connection). */
  saveCheckpoint(sessionId: string, cp: ContextCheckpoint, now = new Date()): void {
    if (this.db.readonly) return;
    this.saveCheckpointStmt.run(sessionId, cp.at.ts, cp.at.id, cp.calls, cp.state, now.toISOString());
  }

  /** The context facts of a workflow's tool calls (all its agents) in time order. */
  factsForWorkflow(workflowId: string): (CallFacts | null)[] {
    return this.decoded(this.workflowFacts.all(workflowId), () => this.workflowIds.all(workflowId));
  }

  /**
   * Decodes stored facts. A row without them (a call still running, or stored before migration 2),
   * or whose copy does not decode, has them computed from its columns, and stored unless the call
   * is still running (`running` is told of those).
   */
  private decoded(
    stored: (string | number)[],
    ids: () => number[],
    running?: (index: number, at: CallPosition) => void,
  ): (CallFacts | null)[] {
    const out = new Array<CallFacts | null>(stored.length);
    let idList: number[] | null = null;
    const computed: [string, number][] = [];
    for (let i = 0; i < stored.length; i++) {
      const v = stored[i];
      if (v === SKIPPED_FACTS) {
        out[i] = null;
        continue;
      }
      const facts = typeof v === 'string' ? decodeFacts(v) : null;
      if (facts !== null) {
        out[i] = facts;
        continue;
      }
      const id = typeof v === 'number' ? v : (idList ??= ids())[i];
      const row = id === undefined ? undefined : this.sourceRow.get(id);
      const s = row === undefined ? SKIPPED_FACTS : contextFactsOf(row);
      out[i] = s === SKIPPED_FACTS ? null : decodeFacts(s);
      if (id === undefined || row === undefined) continue;
      // a call still running keeps NULL (a merge works its facts out when it ends)
      if (row.ended_at === null) running?.(i, { ts: row.pos_ts, id });
      else computed.push([s, id]);
    }
    if (computed.length > 0 && !this.db.readonly) {
      this.db.transaction(() => {
        for (const [s, id] of computed) this.saveFacts.run(s, id);
      })();
    }
    return out;
  }

  /**
   * Rows changed through this connection since it opened (SQLite total_changes()). The daemon is
   * the single writer, so an unchanged stamp means no tool call changed: results may be reused.
   */
  changeStamp(): number {
    return this.changesStmt.get() ?? 0;
  }

  get(signature: string): ContextProfileRecord | null {
    const r = this.bySignature.get(signature);
    return r ? toRecord(r) : null;
  }

  /** The profile of a pattern (for `patterns/get`), or null. */
  forPattern(patternId: number): ContextProfileRecord | null {
    const r = this.byPattern.get(patternId);
    return r ? toRecord(r) : null;
  }
}
