import type { Database, Statement } from 'better-sqlite3';
import { EDIT_TOOLS } from '../../core/records/tool-call-input.js';
import { LEARN_COLUMNS, learnRow, type LearnCallRow, type LearnTuple } from './learn-call-row.js';
import { positionRange, rangeOf, TIME_ORDER, type CallPosition, type PositionRange } from './time-order.js';
import type { ToolCallRow } from './tool-call-row.js';

/**
 * The read side of tool calls: lookups, a session's or workflow's calls, the learner's narrow rows
 * and its queue. ToolCallsRepo adds the merging of fragments and the writes on top.
 */
export class ToolCallQueries {
  private readonly byId: Statement<[number], ToolCallRow>;
  private readonly bySession: Statement<[string], ToolCallRow>;
  private readonly byWorkflow: Statement<[string], ToolCallRow>;
  private readonly unlearned: Statement<[number], LearnTuple>;
  private readonly sessionLearn: Statement<[string], LearnTuple>;
  private readonly sessionBetween: Statement<[PositionRange & { session: string }], [string | null, number, number]>;
  private readonly queuedCount: Statement<[], number>;
  private readonly countBetweenStmt: Statement<[string, number, number], number>;
  private readonly countAfterZeroStmt: Statement<[string, number, number], number>;

  constructor(db: Database) {
    this.byId = db.prepare('SELECT * FROM tool_calls WHERE id = ?');
    this.bySession = db.prepare(`SELECT * FROM tool_calls WHERE session_id = ? ${TIME_ORDER}`);
    this.byWorkflow = db.prepare(`SELECT * FROM tool_calls WHERE workflow_id = ? ${TIME_ORDER}`);
    // learn_queue holds the agent's Bash calls not learned yet (a trigger queues them as they are written)
    this.unlearned = db
      .prepare<[number], LearnTuple>(
        `SELECT ${LEARN_COLUMNS} FROM learn_queue JOIN tool_calls ON id = call_id
         WHERE ended_at IS NOT NULL ORDER BY call_id LIMIT ?`,
      )
      .raw();
    this.sessionLearn = db
      .prepare<[string], LearnTuple>(
        `SELECT ${LEARN_COLUMNS} FROM tool_calls
         WHERE session_id = ? AND ended_at IS NOT NULL AND routed_tool_id IS NULL
           AND (lower(tool_name) = 'bash' OR tool_name IN (${[...EDIT_TOOLS].map((t) => `'${t}'`).join(', ')}))
         ${TIME_ORDER}`,
      )
      .raw();
    this.sessionBetween = db
      .prepare<[PositionRange & { session: string }], [string | null, number, number]>(
        `SELECT model, input_bytes, response_bytes FROM tool_calls
         WHERE session_id = @session AND ended_at IS NOT NULL AND routed_tool_id IS NULL
           AND ${positionRange('included')}
         ${TIME_ORDER}`,
      )
      .raw();
    this.queuedCount = db.prepare('SELECT count(*) FROM learn_queue').pluck() as Statement<[], number>;
    this.countBetweenStmt = db
      .prepare(
        'SELECT count(*) FROM tool_calls WHERE session_id = ? AND coalesce(ts_ms, 0) >= ? AND coalesce(ts_ms, 0) < ? AND ts_ms IS NOT NULL',
      )
      .pluck() as Statement<[string, number, number], number>;
    // from after 0 a call without a time (0 in the time order) is out of range anyway: counted from the index alone
    this.countAfterZeroStmt = db
      .prepare(
        'SELECT count(*) FROM tool_calls WHERE session_id = ? AND coalesce(ts_ms, 0) >= ? AND coalesce(ts_ms, 0) < ?',
      )
      .pluck() as Statement<[string, number, number], number>;
  }

  /** Calls of a session that started in [fromMs, toMs). */
  countInSession(sessionId: string, fromMs: number, toMs: number): number {
    return (fromMs > 0 ? this.countAfterZeroStmt : this.countBetweenStmt).get(sessionId, fromMs, toMs) ?? 0;
  }

  get(id: number): ToolCallRow | null {
    return this.byId.get(id) ?? null;
  }

  forSession(sessionId: string): ToolCallRow[] {
    return this.bySession.all(sessionId);
  }

  forWorkflow(workflowId: string): ToolCallRow[] {
    return this.byWorkflow.all(workflowId);
  }

  /**
   * What session patterns are made of: a session's completed Bash and edit calls made by the agent
   * (not by a routed tool), in time order, narrow rows.
   */
  sessionForLearning(sessionId: string): LearnCallRow[] {
    return this.sessionLearn.all(sessionId).map(learnRow);
  }

  /** Sizes and model of every completed agent call of a session from `from` to `to` (both included, time order). */
  sessionCallsBetween(
    sessionId: string,
    from: Pick<ToolCallRow, 'id' | 'ts_ms'>,
    to: Pick<ToolCallRow, 'id' | 'ts_ms'>,
  ): Pick<ToolCallRow, 'model' | 'input_bytes' | 'response_bytes'>[] {
    const at = (c: Pick<ToolCallRow, 'id' | 'ts_ms'>): CallPosition => ({ ts: c.ts_ms ?? 0, id: c.id });
    return this.sessionBetween
      .all({ session: sessionId, ...rangeOf(at(from), at(to)) })
      .map(([model, input_bytes, response_bytes]) => ({ model, input_bytes, response_bytes }));
  }

  /** The oldest completed Bash calls of the agent not learned yet, narrow rows. */
  unlearnedBatch(limit: number): LearnCallRow[] {
    return this.unlearned.all(limit).map(learnRow);
  }

  /** How many calls wait in the learning queue (completed or not). */
  queuedForLearning(): number {
    return this.queuedCount.get() ?? 0;
  }
}
