import type { Database, Statement } from 'better-sqlite3';
import type { ToolCallFragment } from '../../core/types.js';

export interface ToolCallRow {
  id: number;
  call_key: string;
  tool_use_id: string | null;
  session_id: string | null;
  agent_id: string | null;
  workflow_id: string | null;
  model: string | null;
  tool_name: string;
  command: string | null;
  signature: string | null;
  cwd: string | null;
  input_json: string | null;
  input_bytes: number;
  response_bytes: number;
  est_tokens: number;
  exit_code: number | null;
  is_error: number | null;
  interrupted: number;
  duration_ms: number | null;
  started_at: string | null;
  ended_at: string | null;
  ts_ms: number | null;
  sources: string;
  file_paths: string | null;
  loaded_paths: string | null;
  routed_tool_id: number | null;
  routed_result: string | null;
  tokens_saved: number | null;
  learned: number;
  updated_at: string;
}

export interface MergeResult {
  id: number;
  created: boolean;
  /** true when this fragment completed the call (it now has an end) */
  completed: boolean;
}

const COLUMNS = [
  'call_key',
  'tool_use_id',
  'session_id',
  'agent_id',
  'workflow_id',
  'model',
  'tool_name',
  'command',
  'signature',
  'cwd',
  'input_json',
  'input_bytes',
  'response_bytes',
  'est_tokens',
  'exit_code',
  'is_error',
  'interrupted',
  'duration_ms',
  'started_at',
  'ended_at',
  'ts_ms',
  'sources',
  'file_paths',
  'loaded_paths',
  'learned',
  'updated_at',
] as const;

type Writable = Pick<ToolCallRow, (typeof COLUMNS)[number]>;

const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
};

const pick = <T>(next: T | null | undefined, prev: T | null): T | null => (next === undefined || next === null ? prev : next);

/**
 * Paired tool calls. Fragments from hooks, transcripts and stream-json outputs with the same key
 * merge into one row: a field a fragment does not know never erases a known one.
 */
export class ToolCallsRepo {
  private readonly byKey: Statement<[string], ToolCallRow>;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly pendingHookStmt: Statement<[string | null, string], { call_key: string }>;
  private readonly bySession: Statement<[string], ToolCallRow>;
  private readonly byWorkflow: Statement<[string], ToolCallRow>;
  private readonly unlearned: Statement<[number], ToolCallRow>;
  private readonly markLearned: Statement<[string | null, number]>;
  private readonly byId: Statement<[number], ToolCallRow>;
  private readonly insertRoutedStmt: Statement;
  private readonly countBetweenStmt: Statement<[string, number, number], number>;

  constructor(db: Database) {
    this.byKey = db.prepare('SELECT * FROM tool_calls WHERE call_key = ?');
    this.byId = db.prepare('SELECT * FROM tool_calls WHERE id = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO tool_calls (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
    );
    this.updateStmt = db.prepare(
      `UPDATE tool_calls SET ${COLUMNS.filter((c) => c !== 'call_key')
        .map((c) => `${c} = @${c}`)
        .join(', ')} WHERE call_key = @call_key`,
    );
    this.pendingHookStmt = db.prepare(
      `SELECT call_key FROM tool_calls
       WHERE tool_use_id IS NULL AND session_id IS ? AND tool_name = ? AND ended_at IS NULL AND call_key LIKE 'hook:%'
       ORDER BY id LIMIT 1`,
    );
    this.bySession = db.prepare('SELECT * FROM tool_calls WHERE session_id = ? ORDER BY coalesce(ts_ms, 0), id');
    this.byWorkflow = db.prepare('SELECT * FROM tool_calls WHERE workflow_id = ? ORDER BY coalesce(ts_ms, 0), id');
    this.unlearned = db.prepare(
      'SELECT * FROM tool_calls WHERE learned = 0 AND ended_at IS NOT NULL AND routed_tool_id IS NULL ORDER BY id LIMIT ?',
    );
    this.markLearned = db.prepare('UPDATE tool_calls SET learned = 1, signature = ? WHERE id = ?');
    this.countBetweenStmt = db
      .prepare('SELECT count(*) FROM tool_calls WHERE session_id = ? AND ts_ms >= ? AND ts_ms < ?')
      .pluck() as Statement<[string, number, number], number>;
    this.insertRoutedStmt = db.prepare(
      `INSERT INTO tool_calls (call_key, tool_name, command, signature, cwd, input_json, input_bytes, response_bytes, est_tokens,
         exit_code, is_error, interrupted, duration_ms, started_at, ended_at, ts_ms, sources, routed_tool_id, routed_result, tokens_saved, learned, updated_at)
       VALUES (@callKey, @toolName, @command, @signature, @cwd, @inputJson, @inputBytes, @responseBytes, @estTokens,
         @exitCode, @isError, 0, @durationMs, @startedAt, @endedAt, @tsMs, 'route', @toolId, @result, @tokensSaved, 1, @now)`,
    );
  }

  /** The oldest unfinished hook call of this session and tool without a tool_use_id (order pairing). */
  pendingHookCall(sessionId: string | null, toolName: string): string | null {
    return this.pendingHookStmt.get(sessionId, toolName)?.call_key ?? null;
  }

  merge(f: ToolCallFragment, workflowId: string | null = null): MergeResult {
    const prev = this.byKey.get(f.callKey);
    const now = new Date().toISOString();
    const filePaths = f.filePaths && f.filePaths.length > 0 ? JSON.stringify(f.filePaths) : null;
    const loadedPaths = f.loadedPaths && f.loadedPaths.length > 0 ? JSON.stringify(f.loadedPaths.slice(0, 500)) : null;
    if (!prev) {
      const row: Writable = {
        call_key: f.callKey,
        tool_use_id: f.toolUseId,
        session_id: f.sessionId ?? null,
        agent_id: f.agentId ?? null,
        workflow_id: workflowId,
        model: f.model ?? null,
        tool_name: f.toolName ?? 'unknown',
        command: f.command ?? null,
        signature: null,
        cwd: f.cwd ?? null,
        input_json: f.inputJson ?? null,
        input_bytes: f.inputBytes ?? 0,
        response_bytes: f.responseBytes ?? 0,
        est_tokens: Math.ceil(((f.inputBytes ?? 0) + (f.responseBytes ?? 0)) / 4),
        exit_code: f.exitCode ?? null,
        is_error: f.isError === undefined || f.isError === null ? null : f.isError ? 1 : 0,
        interrupted: f.interrupted ? 1 : 0,
        duration_ms: f.durationMs ?? null,
        started_at: f.startedAt ?? null,
        ended_at: f.endedAt ?? null,
        ts_ms: ms(f.startedAt) ?? ms(f.endedAt),
        sources: f.source,
        file_paths: filePaths,
        loaded_paths: loadedPaths,
        learned: 0,
        updated_at: now,
      };
      const id = Number(this.insertStmt.run(row).lastInsertRowid);
      return { id, created: true, completed: row.ended_at !== null };
    }
    const startedAt = pick(f.startedAt, prev.started_at);
    const endedAt = pick(f.endedAt, prev.ended_at);
    const inputBytes = Math.max(prev.input_bytes, f.inputBytes ?? 0);
    const responseBytes = Math.max(prev.response_bytes, f.responseBytes ?? 0);
    let duration = pick(f.durationMs, prev.duration_ms);
    if (duration === null && startedAt && endedAt) {
      const d = (ms(endedAt) ?? 0) - (ms(startedAt) ?? 0);
      if (d >= 0 && d < 24 * 3600 * 1000) duration = d;
    }
    const sources = prev.sources.split(',').includes(f.source) ? prev.sources : `${prev.sources},${f.source}`;
    const row: Writable = {
      call_key: prev.call_key,
      tool_use_id: pick(f.toolUseId, prev.tool_use_id),
      session_id: pick(f.sessionId, prev.session_id),
      agent_id: pick(f.agentId, prev.agent_id),
      workflow_id: pick(workflowId, prev.workflow_id),
      model: pick(f.model, prev.model),
      tool_name: prev.tool_name === 'unknown' && f.toolName ? f.toolName : prev.tool_name,
      command: pick(f.command, prev.command),
      signature: prev.signature,
      cwd: pick(f.cwd, prev.cwd),
      input_json: pick(f.inputJson, prev.input_json),
      input_bytes: inputBytes,
      response_bytes: responseBytes,
      est_tokens: Math.ceil((inputBytes + responseBytes) / 4),
      exit_code: pick(f.exitCode, prev.exit_code),
      is_error: f.isError === undefined || f.isError === null ? prev.is_error : f.isError ? 1 : 0,
      interrupted: f.interrupted || prev.interrupted ? 1 : 0,
      duration_ms: duration,
      started_at: startedAt,
      ended_at: endedAt,
      ts_ms: ms(startedAt) ?? ms(endedAt),
      sources,
      file_paths: pick(filePaths, prev.file_paths),
      loaded_paths: pick(loadedPaths, prev.loaded_paths),
      // a call that gains its end after being learned stays learned; learning only reads ended calls
      learned: prev.learned,
      updated_at: now,
    };
    this.updateStmt.run(row);
    return { id: prev.id, created: false, completed: prev.ended_at === null && endedAt !== null };
  }

  /** Calls of a session that started in [fromMs, toMs). */
  countInSession(sessionId: string, fromMs: number, toMs: number): number {
    return this.countBetweenStmt.get(sessionId, fromMs, toMs) ?? 0;
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

  unlearnedBatch(limit: number): ToolCallRow[] {
    return this.unlearned.all(limit);
  }

  /** Marks a call learned, with the operation signature it was given (null: not an operation). */
  setLearned(id: number, signature: string | null): void {
    this.markLearned.run(signature, id);
  }

  /** A call made by a routed tool (never learned from: it is our own work). */
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
    toolId: number;
    result: string;
    tokensSaved: number;
  }): number {
    return Number(
      this.insertRoutedStmt.run({
        ...r,
        isError: r.isError ? 1 : 0,
        estTokens: Math.ceil(r.responseBytes / 4),
        tsMs: Date.parse(r.startedAt),
        now: new Date().toISOString(),
      }).lastInsertRowid,
    );
  }
}
