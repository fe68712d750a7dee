import type { Database, Statement } from 'better-sqlite3';
import type { HookEvent } from '../../core/types.js';
import type { RowCounter } from './counts-repo.js';

export interface HookEventSource {
  dedupKey: string;
  path: string;
  offset: number;
  receivedAt: string;
}

/** Raw hook payloads as received, with their source position. */
export class HookEventsRepo {
  private readonly insertStmt: Statement;

  constructor(
    db: Database,
    private readonly counts: RowCounter,
  ) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO hook_events
         (dedup_key, source_path, source_offset, session_id, event, tool_name, tool_use_id, agent_id, cwd, ts, ts_ms, received_at, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /**
   * Inserts the event; returns its row id, or null when this dedup key was already stored. A new row
   * is counted in `counter`.
   */
  insert(ev: HookEvent, src: HookEventSource, counter: RowCounter = this.counts): number | null {
    const tsMs = ev.ts ? Date.parse(ev.ts) : NaN;
    const r = this.insertStmt.run(
      src.dedupKey,
      src.path,
      src.offset,
      ev.sessionId,
      ev.event,
      ev.toolName,
      ev.toolUseId,
      ev.agentId,
      ev.cwd,
      ev.ts,
      Number.isFinite(tsMs) ? tsMs : null,
      src.receivedAt,
      ev.raw,
    );
    if (r.changes === 0) return null;
    counter.add('hookEvents', 1);
    return Number(r.lastInsertRowid);
  }
}
