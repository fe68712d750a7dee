/**
 * Helpers for ingest tests: a real engine on a real store in a temp dir, fixture copies, spool
 * envelopes written like `outloop hook` does, and canonical dumps of the ingest tables (to
 * compare two databases row for row).
 */
import BetterSqlite3 from 'better-sqlite3';
import { cpSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hookEnvelopeLine } from '../../src/core/records/spool-envelope.js';
import { Hub } from '../../src/daemon/hub.js';
import { IngestEngine, type EngineOptions } from '../../src/daemon/ingest/engine.js';
import type { Logger } from '../../src/daemon/logger.js';
import { Store } from '../../src/daemon/store/store.js';
import { walkFiles } from '../../src/daemon/watch/walk.js';
import { Warnings } from '../../src/daemon/warnings.js';
import type { IngestCounts } from '../../src/rpc/protocol.js';
import { REPO_ROOT } from './cli.js';
import { afterEach } from 'vitest';
import { tempDirs, type TempDirs } from './temp-dir.js';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A logger that keeps every message (to wait for one). */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (msg: string): void => void lines.push(msg);
  return { lines, debug: push, info: push, warn: push, error: push };
}

export interface TestEngine {
  dir: string;
  store: Store;
  hub: Hub;
  warnings: Warnings;
  engine: IngestEngine;
  spoolDir: string;
  /** `ingest/run` as the handler does it: walk the paths, ingest every file, resolve when done */
  ingest(...paths: string[]): Promise<IngestCounts>;
  /** every problem the walk reported, plus the engine's warnings */
  problems: string[];
  close(): void;
}

export function makeEngine(dirs: TempDirs, opts: Partial<EngineOptions> = {}): TestEngine {
  const dir = dirs.make('ol-ing-');
  const store = Store.open(join(dir, 'outloop.db'));
  const hub = new Hub(5);
  const warnings = new Warnings(500);
  const spoolDir = join(dir, 'spool');
  mkdirSync(spoolDir, { recursive: true });
  const engine = new IngestEngine({
    store,
    hub,
    logger: silentLogger,
    warnings,
    spoolDir,
    adwSettleMs: 20,
    finalSettleMs: 200,
    ...opts,
  });
  const problems: string[] = [];
  return {
    dir,
    store,
    hub,
    warnings,
    engine,
    spoolDir,
    problems,
    ingest: (...paths) => engine.ingestFiles(walkFiles(paths, (p, reason) => problems.push(`${p}: ${reason}`))),
    close: () => {
      engine.close();
      hub.close();
      store.close();
    },
  };
}

/** Copies test/fixtures/<rel> to dest (created) and returns dest. */
export function copyFixture(rel: string, dest: string): string {
  cpSync(join(FIXTURES, rel), dest, { recursive: true });
  return dest;
}

/** A spool file exactly as `outloop hook` writes it (tmp + rename). */
export function writeSpool(
  spoolDir: string,
  name: string,
  payload: string,
  receivedAt = new Date().toISOString(),
): string {
  mkdirSync(spoolDir, { recursive: true });
  const path = join(spoolDir, name.endsWith('.json') ? name : `${name}.json`);
  const tmp = join(spoolDir, `.${name}.tmp`);
  writeFileSync(tmp, hookEnvelopeLine(payload, receivedAt));
  renameSync(tmp, path);
  return path;
}

export type Row = Record<string, unknown>;

export function all(store: Store, sql: string, ...params: unknown[]): Row[] {
  return store.db.prepare(sql).all(...params) as Row[];
}

export function one(store: Store, sql: string, ...params: unknown[]): Row | undefined {
  return store.db.prepare(sql).get(...params) as Row | undefined;
}

export function count(store: Store, table: string): number {
  return Number(one(store, `SELECT count(*) AS n FROM ${table}`)?.['n'] ?? 0);
}

const round = (v: unknown): unknown => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e9) / 1e9 : v);

function canon(rows: Row[]): string[] {
  return rows.map((r) => JSON.stringify(Object.values(r).map(round))).sort();
}

/**
 * The ingest tables of a database, as sorted lines without what legitimately differs between two
 * passes over the same input (row ids, times of writing, keys made of row ids, the state dir).
 */
export function dumpIngestTables(dbPath: string, stateDir: string): Record<string, string[]> {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    const q = (sql: string): string[] => canon((db.prepare(sql).all() as Row[]).map((r) => fixPaths(r, stateDir)));
    return {
      hook_events: q(
        'SELECT dedup_key, source_path, source_offset, session_id, event, tool_name, tool_use_id, agent_id, cwd, ts, payload FROM hook_events',
      ),
      tool_calls: q(
        `SELECT CASE WHEN call_key LIKE 'hook:%' THEN 'hook' ELSE call_key END AS k, tool_use_id, session_id, agent_id, workflow_id, model, tool_name, command,
           cwd, input_json, input_bytes, response_bytes, est_tokens, exit_code, is_error, interrupted, duration_ms, started_at, ended_at, ts_ms, sources,
           file_paths, loaded_paths FROM tool_calls`,
      ),
      usage_records: q(
        `SELECT dedup_key, message_id, request_id, session_id, agent_id, project, model, ts, ts_ms, day, input_tokens, output_tokens, cache_creation_tokens,
           cache_5m_tokens, cache_1h_tokens, cache_read_tokens, cost_usd, priced, is_sidechain, speed, inference_geo, web_search_requests FROM usage_records`,
      ),
      usage_hourly: q(
        'SELECT hour_ms, model, entries, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd FROM usage_hourly WHERE entries != 0',
      ),
      usage_sessions: q(
        'SELECT session_id, model, project, entries, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd FROM usage_sessions WHERE entries != 0',
      ),
      workflow_runs: q(
        `SELECT adw_id, issue_number, issue_class, workflow_type, phases, models, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens,
           total_tokens, cost_usd, cost_basis, duration_ms, status, nl_input, word_count, started_at, ended_at, ts_ms, state_dir FROM workflow_runs`,
      ),
      tool_outputs: q(
        `SELECT CASE WHEN t.call_key LIKE 'hook:%' THEN 'hook' ELSE t.call_key END AS k, o.output, o.raw_bytes, o.truncated, o.rank
         FROM tool_outputs o JOIN tool_calls t ON t.id = o.tool_call_id`,
      ),
      session_compactions: q('SELECT session_id, ts_ms FROM session_compactions'),
      quarantine: q('SELECT path, offset, reason, excerpt FROM quarantine'),
      quota_signals: q(
        'SELECT dedup_key, source, session_id, ts, five_hour_pct, seven_day_pct, session_cost_usd FROM quota_signals',
      ),
    };
  } finally {
    db.close();
  }
}

function fixPaths(r: Row, stateDir: string): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'string') out[k] = v.split(stateDir).join('<state>');
    else if (Buffer.isBuffer(v)) out[k] = v.toString('base64');
    else out[k] = v;
  }
  return out;
}

/**
 * Engines for one test file: `engine()` makes one over new temp dirs (`extra` on top of the file's options);
 * after each test every engine made is closed and the dirs removed.
 */
export function testEngines(opts: () => Partial<EngineOptions> = () => ({})): {
  dirs: TempDirs;
  engine(extra?: Partial<EngineOptions>): TestEngine;
} {
  const dirs = tempDirs();
  const engines: TestEngine[] = [];
  afterEach(() => {
    for (const e of engines.splice(0)) e.close();
    dirs.removeAll();
  });
  return {
    dirs,
    engine(extra = {}) {
      const e = makeEngine(dirs, { ...opts(), ...extra });
      engines.push(e);
      return e;
    },
  };
}
