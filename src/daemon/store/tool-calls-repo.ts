import type { Database, Statement } from 'better-sqlite3';
import type { HookSide } from '../../core/records/tool-call-merge.js';
import type { ToolCallFragment } from '../../core/types.js';
import type { RowCounter } from './counts-repo.js';
import { OutputsRepo } from './outputs-repo.js';
import { ToolCallQueries } from './tool-call-queries.js';
import { ToolCallBatch, type MergeResult } from './tool-call-batch.js';
import { CALL_COLUMNS, type ToolCallRow } from './tool-call-row.js';

export type { HookSide } from '../../core/records/tool-call-merge.js';
export type { MergeResult } from './tool-call-batch.js';
export type { ToolCallRow } from './tool-call-row.js';
export type { LearnCallRow } from './learn-call-row.js';

const UPDATE_COLUMNS = CALL_COLUMNS.filter((c) => c !== 'call_key');

/**
 * Paired tool calls. Fragments from hooks, transcripts and stream-json outputs with the same key
 * merge into one row: a field a fragment does not know never erases a known one. The writes, on
 * top of the reads of ToolCallQueries.
 */
export class ToolCallsRepo extends ToolCallQueries {
  private readonly byKey: Statement<[string], ToolCallRow>;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly pendingHookStmt: Statement<
    [{ sessionId: string | null; agentId: string | null; toolName: string; open: string; inputJson: string | null }],
    { call_key: string }
  >;
  private readonly dequeue: Statement<[string]>;
  private readonly insertRoutedStmt: Statement;
  private readonly insertRunStmt: Statement;

  constructor(
    db: Database,
    private readonly counts: RowCounter,
    private readonly outputs: OutputsRepo = new OutputsRepo(db),
  ) {
    super(db);
    this.byKey = db.prepare('SELECT * FROM tool_calls WHERE call_key = ?');
    // positional parameters: binding is measurably cheaper than named ones on the ingest path
    this.insertStmt = db.prepare(
      `INSERT INTO tool_calls (${CALL_COLUMNS.join(', ')}) VALUES (${CALL_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.updateStmt = db.prepare(
      `UPDATE tool_calls SET ${UPDATE_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE call_key = ?`,
    );
    this.pendingHookStmt = db.prepare(
      `SELECT call_key FROM tool_calls
       WHERE tool_use_id IS NULL AND session_id IS @sessionId AND agent_id IS @agentId AND tool_name = @toolName AND sources = @open
         AND (input_json IS @inputJson OR @inputJson IS NULL OR input_json IS NULL)
       ORDER BY id LIMIT 1`,
    );
    this.dequeue = db.prepare('DELETE FROM learn_queue WHERE call_id IN (SELECT value FROM json_each(?))');
    this.insertRoutedStmt = db.prepare(
      `INSERT INTO tool_calls (call_key, tool_name, command, signature, cwd, input_json, input_bytes, response_bytes, est_tokens,
         exit_code, is_error, interrupted, duration_ms, started_at, ended_at, ts_ms, sources, routed_tool_id, routed_result, tokens_saved, learned, updated_at)
       VALUES (@callKey, @toolName, @command, @signature, @cwd, @inputJson, @inputBytes, @responseBytes, @estTokens,
         @exitCode, @isError, 0, @durationMs, @startedAt, @endedAt, @tsMs, 'route', @toolId, @result, @tokensSaved, 1, @now)`,
    );
    this.insertRunStmt = db.prepare(
      `INSERT INTO tool_calls (call_key, session_id, tool_name, command, signature, cwd, input_json, input_bytes, response_bytes,
         est_tokens, exit_code, is_error, interrupted, duration_ms, started_at, ended_at, ts_ms, sources, routed_result,
         tokens_saved, learned, updated_at)
       VALUES (@callKey, NULL, 'Bash', @command, @signature, @cwd, @inputJson, @inputBytes, @responseBytes,
         @estTokens, @exitCode, @isError, @interrupted, @durationMs, @startedAt, @endedAt, @tsMs, 'run', @result,
         @tokensSaved, 1, @now)
       ON CONFLICT (call_key) DO NOTHING`,
    );
  }

  /**
   * Pairing by order, for hook events without a tool_use_id: the oldest call of this session,
   * agent, tool and input (Pre and Post carry the same tool_input; a logger that dropped it pairs
   * on the rest) that has seen only the other half. A Post completes the oldest open Pre; a Pre
   * that arrives after its Post (`PostToolUse.json` read before `PreToolUse.json`) completes the
   * oldest Post still waiting for its start, so the result does not depend on reading order.
   */
  pendingHookCall(
    sessionId: string | null,
    agentId: string | null,
    toolName: string,
    inputJson: string | null,
    side: HookSide,
  ): string | null {
    return (
      this.pendingHookStmt.get({
        sessionId,
        agentId,
        toolName,
        inputJson,
        open: side === 'post' ? 'hook-pre' : 'hook-post',
      })?.call_key ?? null
    );
  }

  private readonly generations = new Map<string, number>();
  private epoch = 0;

  private touch(sessionId: string | null): void {
    if (sessionId === null) return;
    this.generations.set(sessionId, (this.generations.get(sessionId) ?? 0) + 1);
    if (this.generations.size > 100_000) {
      this.generations.clear();
      this.epoch++;
    }
  }

  /**
   * Changes whenever a call of the session is written (in this process): lets readers reuse what
   * they derived from a session until it changes.
   */
  sessionGeneration(sessionId: string): string {
    return `${this.epoch}.${this.generations.get(sessionId) ?? 0}`;
  }

  /** Merges one fragment now (a batch of one). */
  merge(f: ToolCallFragment, workflowId: string | null = null, side?: HookSide): MergeResult {
    const b = this.batch();
    b.add(f, workflowId, side);
    return b.flush()[0] ?? { id: 0, created: false, completed: false };
  }

  /**
   * Fragments merged in memory and written once each at `flush` (inside the caller's transaction); each
   * call it creates is counted in `counter`.
   */
  batch(counter: RowCounter = this.counts): ToolCallBatch {
    return new ToolCallBatch({
      outputs: this.outputs,
      load: (key) => this.byKey.get(key) ?? null,
      insert: (row) => {
        this.touch(row.session_id);
        const id = Number(this.insertStmt.run(CALL_COLUMNS.map((c) => row[c])).lastInsertRowid);
        counter.add('toolCalls', 1);
        return id;
      },
      update: (row) => {
        this.touch(row.session_id);
        this.updateStmt.run([...UPDATE_COLUMNS.map((c) => row[c]), row.call_key]);
      },
    });
  }

  /** Takes learned calls off the learning queue (in the transaction that folds them into patterns). */
  setLearned(ids: readonly number[]): void {
    if (ids.length > 0) this.dequeue.run(JSON.stringify(ids));
  }

  /** A call made by a routed tool (never learned from: it is our own work). The caller counts the row. */
  insertRouted(r: {
    callKey: string;
    toolName: string;
    command: string;
    signature: string;
    cwd: string | null;
    inputJson: string;
    inputBytes: number;
    responseBytes: number;
    exitCode: number | null;
    isError: boolean;
    durationMs: number;
    startedAt: string;
    endedAt: string;
    toolId: number | null;
    result: string;
    tokensSaved: number;
  }): number {
    const id = Number(
      this.insertRoutedStmt.run({
        ...r,
        isError: r.isError ? 1 : 0,
        estTokens: Math.ceil(r.responseBytes / 4),
        tsMs: Date.parse(r.startedAt),
        now: new Date().toISOString(),
      }).lastInsertRowid,
    );
    this.counts.add('toolCalls', 1);
    return id;
  }

  /**
   * The call an offloaded `outloop run` made (keyed `run:<id>`; null when already stored, else counted
   * in `counter`). It carries no session: the agent's own Bash call that ran the wrapper is the
   * session's call, this one is our own work (never learned from), like a routed tool's.
   */
  insertRun(
    r: {
      callKey: string;
      command: string;
      signature: string | null;
      cwd: string;
      rawBytes: number;
      rawTokens: number;
      exitCode: number;
      interrupted: boolean;
      durationMs: number;
      startedAt: string;
      endedAt: string;
      result: string;
      tokensSaved: number;
    },
    counter: RowCounter = this.counts,
  ): number | null {
    const inputJson = JSON.stringify({ command: r.command });
    const out = this.insertRunStmt.run({
      callKey: r.callKey,
      command: r.command,
      signature: r.signature,
      cwd: r.cwd,
      inputJson,
      inputBytes: Buffer.byteLength(inputJson),
      responseBytes: r.rawBytes,
      estTokens: r.rawTokens,
      exitCode: r.exitCode,
      isError: r.exitCode === 0 ? 0 : 1,
      interrupted: r.interrupted ? 1 : 0,
      durationMs: r.durationMs,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      tsMs: Date.parse(r.startedAt),
      result: r.result,
      tokensSaved: r.tokensSaved,
      now: new Date().toISOString(),
    });
    if (out.changes === 0) return null;
    counter.add('toolCalls', 1);
    return Number(out.lastInsertRowid);
  }
}
