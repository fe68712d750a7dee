import type { Database, Statement } from 'better-sqlite3';
import type { HookEvent } from '../../core/types.js';

export interface HookEventSource {
  dedupKey: string;
  path: string;
  offset: number;
  receivedAt: string;
}

/** Raw hook payloads as received, with their source position. */
export class HookEventsRepo {
  private readonly insertStmt: Statement;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO hook_events
         (dedup_key, source_path, source_offset, session_id, event, tool_name, tool_use_id, agent_id, cwd, ts, ts_ms, received_at, payload)
       VALUES (@dedupKey, @path, @offset, @sessionId, @event, @toolName, @toolUseId, @agentId, @cwd, @ts, @tsMs, @receivedAt, @payload)`,
    );
  }

  /** Inserts the event; returns its row id, or null when this dedup key was already stored. */
  insert(ev: HookEvent, src: HookEventSource): number | null {
    const tsMs = ev.ts ? Date.parse(ev.ts) : NaN;
    const r = this.insertStmt.run({
      dedupKey: src.dedupKey,
      path: src.path,
      offset: src.offset,
      sessionId: ev.sessionId,
      event: ev.event,
      toolName: ev.toolName,
      toolUseId: ev.toolUseId,
      agentId: ev.agentId,
      cwd: ev.cwd,
      ts: ev.ts,
      tsMs: Number.isFinite(tsMs) ? tsMs : null,
      receivedAt: src.receivedAt,
      payload: ev.raw,
    });
    return r.changes > 0 ? Number(r.lastInsertRowid) : null;
  }
}
