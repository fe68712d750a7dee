import type { Database, Statement } from 'better-sqlite3';
import type { CwdPolicy } from '../../rpc/protocol.js';

export interface ToolRow {
  id: number;
  name: string;
  signature: string;
  argv: string;
  resolved_path: string;
  triggers: string;
  timeout_ms: number;
  output_cap_bytes: number;
  cwd_policy: CwdPolicy;
  cwd: string | null;
  enabled: number;
  disabled_reason: string | null;
  runs: number;
  successes: number;
  created_at: string;
  updated_at: string;
}

export interface NewTool {
  name: string;
  signature: string;
  argv: string[];
  resolvedPath: string;
  triggers: string[];
  timeoutMs: number;
  outputCapBytes: number;
  cwdPolicy: CwdPolicy;
  cwd: string | null;
}

/** The registry of deterministic tools (`adw_tools`). */
export class ToolsRepo {
  private readonly byIdStmt: Statement<[number], ToolRow>;
  private readonly byNameStmt: Statement<[string], ToolRow>;
  private readonly allStmt: Statement<[], ToolRow>;
  private readonly upsertStmt: Statement;
  private readonly enableStmt: Statement;
  private readonly runStmt: Statement;

  constructor(db: Database) {
    this.byIdStmt = db.prepare('SELECT * FROM adw_tools WHERE id = ?');
    this.byNameStmt = db.prepare('SELECT * FROM adw_tools WHERE name = ?');
    this.allStmt = db.prepare('SELECT * FROM adw_tools ORDER BY name');
    this.upsertStmt = db.prepare(
      `INSERT INTO adw_tools (name, signature, argv, resolved_path, triggers, timeout_ms, output_cap_bytes, cwd_policy, cwd, enabled, created_at, updated_at)
       VALUES (@name, @signature, @argv, @resolvedPath, @triggers, @timeoutMs, @outputCapBytes, @cwdPolicy, @cwd, 1, @now, @now)
       ON CONFLICT (name) DO UPDATE SET signature = excluded.signature, argv = excluded.argv, resolved_path = excluded.resolved_path,
         triggers = excluded.triggers, timeout_ms = excluded.timeout_ms, output_cap_bytes = excluded.output_cap_bytes,
         cwd_policy = excluded.cwd_policy, cwd = excluded.cwd, enabled = 1, disabled_reason = NULL, updated_at = excluded.updated_at`,
    );
    this.enableStmt = db.prepare('UPDATE adw_tools SET enabled = @enabled, disabled_reason = @reason, updated_at = @now WHERE id = @id');
    this.runStmt = db.prepare(
      'UPDATE adw_tools SET runs = runs + 1, successes = successes + @ok, updated_at = @now WHERE id = @id',
    );
  }

  get(id: number | null): ToolRow | null {
    return id === null ? null : (this.byIdStmt.get(id) ?? null);
  }

  byName(name: string): ToolRow | null {
    return this.byNameStmt.get(name) ?? null;
  }

  all(): ToolRow[] {
    return this.allStmt.all();
  }

  register(t: NewTool): ToolRow {
    this.upsertStmt.run({
      ...t,
      argv: JSON.stringify(t.argv),
      triggers: JSON.stringify(t.triggers),
      now: new Date().toISOString(),
    });
    const row = this.byName(t.name);
    if (!row) throw new Error(`tool ${t.name} vanished after register`);
    return row;
  }

  setEnabled(id: number, enabled: boolean, reason: string | null): void {
    this.enableStmt.run({ id, enabled: enabled ? 1 : 0, reason: enabled ? null : reason, now: new Date().toISOString() });
  }

  recordRun(id: number, ok: boolean): ToolRow | null {
    this.runStmt.run({ id, ok: ok ? 1 : 0, now: new Date().toISOString() });
    return this.get(id);
  }
}
