import type { Database, Statement } from 'better-sqlite3';
import type { CwdPolicy, PatternStatus } from '../../core/types.js';
import type { ToolPin } from '../route/tool-pin.js';

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
  pin_real_path: string | null;
  pin_uid: number | null;
  pin_mode: number | null;
  pin_size: number | null;
  pin_ctime_ms: number | null;
  pin_sha256: string | null;
}

/** The executable's pin, or null for a tool registered before tools were pinned. */
export function pinOf(t: ToolRow): ToolPin | null {
  if (
    t.pin_real_path === null ||
    t.pin_uid === null ||
    t.pin_mode === null ||
    t.pin_size === null ||
    t.pin_ctime_ms === null ||
    t.pin_sha256 === null
  )
    return null;
  return {
    realPath: t.pin_real_path,
    uid: t.pin_uid,
    mode: t.pin_mode,
    size: t.pin_size,
    ctimeMs: t.pin_ctime_ms,
    sha256: t.pin_sha256,
  };
}

/** An enabled tool whose pattern (same signature) is approved or active: a routing target. */
export interface RoutableRow extends ToolRow {
  pattern_id: number;
  pattern_status: PatternStatus;
  pattern_examples: string;
  pattern_confidence: number;
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
  pin: ToolPin;
}

const ROUTABLE_FROM = `FROM adw_tools t JOIN operation_patterns p ON p.signature = t.signature
  WHERE t.enabled = 1 AND p.status IN ('approved', 'active')`;

/**
 * The registry of deterministic tools (`adw_tools`). A tool belongs to the pattern with the same
 * signature. `runs`/`successes` count routed runs since the tool was last registered or enabled,
 * so a tool re-enabled after a fix starts with a clean record.
 */
export class ToolsRepo {
  private readonly byIdStmt: Statement<[number], ToolRow>;
  private readonly byNameStmt: Statement<[string], ToolRow>;
  private readonly bySignatureStmt: Statement<[string], ToolRow>;
  private readonly allStmt: Statement<[], ToolRow>;
  private readonly upsertStmt: Statement;
  private readonly enableStmt: Statement;
  private readonly runStmt: Statement;
  private readonly routableStmt: Statement<[], RoutableRow>;
  private readonly fingerprintStmt: Statement<[], { n: number; pu: string; ids: number }>;
  private readonly changesStmt: Statement<[], number>;
  #version = 0;
  #fingerprint: { changes: number; value: string } | null = null;

  constructor(db: Database) {
    this.byIdStmt = db.prepare('SELECT * FROM adw_tools WHERE id = ?');
    this.byNameStmt = db.prepare('SELECT * FROM adw_tools WHERE name = ?');
    this.allStmt = db.prepare('SELECT * FROM adw_tools ORDER BY name');
    this.bySignatureStmt = db.prepare(
      'SELECT * FROM adw_tools WHERE signature = ? ORDER BY enabled DESC, id DESC LIMIT 1',
    );
    this.upsertStmt = db.prepare(
      `INSERT INTO adw_tools (name, signature, argv, resolved_path, triggers, timeout_ms, output_cap_bytes, cwd_policy, cwd, enabled, created_at, updated_at,
         pin_real_path, pin_uid, pin_mode, pin_size, pin_ctime_ms, pin_sha256)
       VALUES (@name, @signature, @argv, @resolvedPath, @triggers, @timeoutMs, @outputCapBytes, @cwdPolicy, @cwd, 1, @now, @now,
         @pinRealPath, @pinUid, @pinMode, @pinSize, @pinCtimeMs, @pinSha256)
       ON CONFLICT (name) DO UPDATE SET signature = excluded.signature, argv = excluded.argv, resolved_path = excluded.resolved_path,
         pin_real_path = excluded.pin_real_path, pin_uid = excluded.pin_uid, pin_mode = excluded.pin_mode,
         pin_size = excluded.pin_size, pin_ctime_ms = excluded.pin_ctime_ms, pin_sha256 = excluded.pin_sha256,
         triggers = excluded.triggers, timeout_ms = excluded.timeout_ms, output_cap_bytes = excluded.output_cap_bytes,
         cwd_policy = excluded.cwd_policy, cwd = excluded.cwd, enabled = 1, disabled_reason = NULL, runs = 0, successes = 0,
         updated_at = excluded.updated_at`,
    );
    this.enableStmt = db.prepare(
      `UPDATE adw_tools SET enabled = @enabled, disabled_reason = @reason, updated_at = @now,
         runs = CASE WHEN @enabled = 1 AND enabled = 0 THEN 0 ELSE runs END,
         successes = CASE WHEN @enabled = 1 AND enabled = 0 THEN 0 ELSE successes END
       WHERE id = @id`,
    );
    this.runStmt = db.prepare('UPDATE adw_tools SET runs = runs + 1, successes = successes + @ok WHERE id = @id');
    this.routableStmt = db.prepare(
      `SELECT t.*, p.id AS pattern_id, p.status AS pattern_status, p.examples AS pattern_examples, p.confidence AS pattern_confidence
       ${ROUTABLE_FROM} ORDER BY t.id`,
    );
    this.fingerprintStmt = db.prepare(
      `SELECT count(*) AS n, coalesce(max(p.updated_at), '') AS pu, coalesce(sum(t.id * 31 + p.id), 0) AS ids ${ROUTABLE_FROM}`,
    );
    this.changesStmt = db.prepare('SELECT total_changes()').pluck() as Statement<[], number>;
  }

  /** Bumped by every register and enable/disable in this process (the router's cache key). */
  get version(): number {
    return this.#version;
  }

  get(id: number | null): ToolRow | null {
    return id === null ? null : (this.byIdStmt.get(id) ?? null);
  }

  byName(name: string): ToolRow | null {
    return this.byNameStmt.get(name) ?? null;
  }

  /**
   * The tool of a pattern: tools and patterns are linked by signature only (the router, `tools list` and
   * the pattern views all read this one link). With several, an enabled one first, then the newest.
   */
  bySignature(signature: string): ToolRow | null {
    return this.bySignatureStmt.get(signature) ?? null;
  }

  all(): ToolRow[] {
    return this.allStmt.all();
  }

  /** Enabled tools of approved or active patterns, with what the matcher needs of the pattern. */
  routable(): RoutableRow[] {
    return this.routableStmt.all();
  }

  /**
   * Changes whenever the routable set or a routable pattern changes (status, examples, confidence:
   * every pattern update moves its updated_at); combined with `version` by the router. Recomputed
   * only when the connection's total_changes() moved, so a quiet daemon answers from memory.
   */
  routableFingerprint(): string {
    // Nothing was written on this connection (the daemon's only one) since the last look: same answer.
    const changes = this.changesStmt.get() ?? 0;
    if (this.#fingerprint !== null && this.#fingerprint.changes === changes) return this.#fingerprint.value;
    const r = this.fingerprintStmt.get();
    const value = r === undefined ? '' : `${r.n}|${r.pu}|${r.ids}`;
    this.#fingerprint = { changes, value };
    return value;
  }

  /** Inserts or replaces the tool of that name: enabled, with a fresh run record. */
  register(t: NewTool): ToolRow {
    const { pin, ...rest } = t;
    this.upsertStmt.run({
      ...rest,
      pinRealPath: pin.realPath,
      pinUid: pin.uid,
      pinMode: pin.mode,
      pinSize: pin.size,
      pinCtimeMs: pin.ctimeMs,
      pinSha256: pin.sha256,
      argv: JSON.stringify(t.argv),
      triggers: JSON.stringify(t.triggers),
      now: new Date().toISOString(),
    });
    this.#version++;
    const row = this.byName(t.name);
    if (!row) throw new Error(`tool ${t.name} vanished after register`);
    return row;
  }

  /** Enabling a disabled tool resets its run record; disabling keeps it (and the reason). */
  setEnabled(id: number, enabled: boolean, reason: string | null): void {
    this.enableStmt.run({
      id,
      enabled: enabled ? 1 : 0,
      reason: enabled ? null : reason,
      now: new Date().toISOString(),
    });
    this.#version++;
  }

  recordRun(id: number, ok: boolean): ToolRow | null {
    this.runStmt.run({ id, ok: ok ? 1 : 0 });
    return this.get(id);
  }
}
