import BetterSqlite3, { type Database } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/daemon/store/db.js';
import {
  DatabaseTooNewError,
  LATEST_VERSION,
  migrate,
  MIGRATIONS,
  type Migration,
} from '../../../src/daemon/store/migrations.js';
import { tempDirs } from '../../helpers/temp-dir.js';

/** The tables users and tools rely on by name. */
const DESIGN_TABLES = [
  'hook_events',
  'tool_calls',
  'workflow_runs',
  'usage_records',
  'operation_patterns',
  'pattern_occurrences',
  'pattern_reviews',
  'adw_tools',
  'cost_savings_log',
  'context_profiles',
  'quota_signals',
  'ingest_offsets',
  'quarantine',
] as const;

const dirs = tempDirs();
const open: Database[] = [];

function memory(): Database {
  const db = new BetterSqlite3(':memory:');
  open.push(db);
  return db;
}

function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function tableNames(db: Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[]
  ).filter((n) => !n.startsWith('sqlite_'));
}

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  dirs.removeAll();
});

describe('MIGRATIONS', () => {
  it('is ordered by strictly increasing version, starting at 1', () => {
    expect(MIGRATIONS[0]?.version).toBe(1);
    for (let i = 1; i < MIGRATIONS.length; i++)
      expect(MIGRATIONS[i]!.version).toBeGreaterThan(MIGRATIONS[i - 1]!.version);
    expect(LATEST_VERSION).toBe(MIGRATIONS.at(-1)?.version);
  });
});

describe('migrate', () => {
  it('takes an empty database to the latest version', () => {
    const db = memory();
    expect(userVersion(db)).toBe(0);
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(userVersion(db)).toBe(LATEST_VERSION);
  });

  it('is a no-op the second time', () => {
    const db = memory();
    migrate(db);
    const before = db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
    expect(migrate(db)).toEqual([]);
    expect(db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(before);
    expect(userVersion(db)).toBe(LATEST_VERSION);
  });

  it('creates every contract table, each STRICT', () => {
    const db = memory();
    migrate(db);
    const names = tableNames(db);
    for (const table of DESIGN_TABLES) expect(names).toContain(table);
    const list = db
      .prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'")
      .all() as {
      name: string;
      strict: number;
    }[];
    expect(list.length).toBe(names.length);
    for (const row of list) expect({ table: row.name, strict: row.strict }).toEqual({ table: row.name, strict: 1 });
  });

  it.each([
    ['usage_records', ['dedup_key']],
    ['operation_patterns', ['signature']],
    ['pattern_occurrences', ['pattern_id', 'occurrence_key']],
    ['hook_events', ['dedup_key']],
    ['tool_calls', ['call_key']],
    ['workflow_runs', ['adw_id']],
    ['adw_tools', ['name']],
    ['quota_signals', ['dedup_key']],
  ])('has a UNIQUE key on %s(%j)', (table, columns) => {
    const db = memory();
    migrate(db);
    const uniques = (
      db.prepare(`SELECT name FROM pragma_index_list(?) WHERE "unique" = 1`).pluck().all(table) as string[]
    ).map((index) => db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index));
    expect(uniques).toContainEqual(columns);
  });

  it('refuses a database from a newer version with a clear message', () => {
    const db = memory();
    migrate(db);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(DatabaseTooNewError);
    expect(() => migrate(db)).toThrow(
      new RegExp(`version ${LATEST_VERSION + 1}, newer than this outloop supports \\(${LATEST_VERSION}\\)`),
    );
    expect(userVersion(db)).toBe(LATEST_VERSION + 1);
  });

  it('leaves nothing behind when a migration fails', () => {
    const db = memory();
    const migrations: Migration[] = [
      { version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE a (x INTEGER) STRICT') },
      {
        version: 2,
        name: 'two',
        up: (d) => {
          d.exec('CREATE TABLE b (y INTEGER) STRICT');
          d.exec('INSERT INTO a VALUES (1)');
          throw new Error('boom in migration 2');
        },
      },
    ];
    expect(() => migrate(db, migrations)).toThrow('boom in migration 2');
    expect(userVersion(db)).toBe(0);
    expect(tableNames(db)).toEqual([]);
  });

  it('applies only the pending migrations, all in one go', () => {
    const db = memory();
    const first: Migration = { version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE a (x INTEGER) STRICT') };
    expect(migrate(db, [first])).toEqual([1]);
    const later: Migration[] = [
      first,
      { version: 2, name: 'two', up: (d) => d.exec('CREATE TABLE b (y INTEGER) STRICT') },
      { version: 5, name: 'five', up: (d) => d.exec('ALTER TABLE b ADD COLUMN z TEXT') },
    ];
    expect(migrate(db, later)).toEqual([2, 5]);
    expect(userVersion(db)).toBe(5);
    expect(tableNames(db)).toEqual(['a', 'b']);
  });

  it('rejects a migration list out of order', () => {
    const db = memory();
    const bad: Migration[] = [
      { version: 2, name: 'two', up: () => undefined },
      { version: 2, name: 'two again', up: () => undefined },
    ];
    expect(() => migrate(db, bad)).toThrow(/out of order/);
  });
});

describe('openDatabase', () => {
  it('turns on WAL, foreign keys and a busy timeout, and migrates', () => {
    const db = openDatabase(join(dirs.make(), 'nested', 'outloop.db'));
    open.push(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(userVersion(db)).toBe(LATEST_VERSION);
  });

  it('enforces foreign keys', () => {
    const db = openDatabase(join(dirs.make(), 'outloop.db'));
    open.push(db);
    const insert = db.prepare(
      "INSERT INTO pattern_reviews (pattern_id, action, to_status, actor, created_at) VALUES (999, 'approve', 'approved', 't', '2026-01-01')",
    );
    expect(() => insert.run()).toThrow(/FOREIGN KEY/);
  });

  it('refuses a file written by a newer outloop, and leaves it as it was', () => {
    const path = join(dirs.make(), 'outloop.db');
    const future = new BetterSqlite3(path);
    future.pragma(`user_version = ${LATEST_VERSION + 7}`);
    future.close();
    expect(() => openDatabase(path)).toThrow(DatabaseTooNewError);
    const check = new BetterSqlite3(path, { readonly: true });
    open.push(check);
    expect(userVersion(check)).toBe(LATEST_VERSION + 7);
    expect(tableNames(check)).toEqual([]);
  });
});

describe('migrations 4 and 5 (slim occurrences, learning queue table)', () => {
  it('keeps every occurrence and queues exactly the Bash calls of the agent that were not learned', () => {
    const db = memory();
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    const now = '2026-03-01T09:00:00.000Z';
    db.prepare(
      `INSERT INTO operation_patterns (id, signature, kind, status, first_seen, last_seen, created_at, updated_at)
       VALUES (1, 'test:pytest:backend', 'command', 'detected', ?, ?, ?, ?)`,
    ).run(now, now, now, now);
    const occ = db.prepare(
      `INSERT INTO pattern_occurrences (pattern_id, occurrence_key, session_key, tool_call_id, ts, ts_ms, llm_tokens, llm_cost, token_basis, duration_ms, ok, example)
       VALUES (1, ?, ?, ?, ?, ?, 100, 0.01, 'measured', 2000, 1, 'pytest')`,
    );
    occ.run('call:a', 's1', 1, now, Date.parse(now));
    occ.run('call:b', 's2', 2, now, Date.parse(now) + 1000);
    const call = db.prepare(
      `INSERT INTO tool_calls (call_key, tool_name, command, routed_tool_id, learned, updated_at) VALUES (?, ?, 'pytest', ?, ?, ?)`,
    );
    call.run('a', 'Bash', null, 1, now); // learned
    call.run('b', 'Bash', null, 0, now); // waiting
    call.run('c', 'bash', null, 0, now); // waiting, odd spelling
    call.run('d', 'Read', null, 0, now); // never an operation
    call.run('e', 'Bash', 4, 1, now); // made by a routed tool
    migrate(db);
    expect(userVersion(db)).toBe(LATEST_VERSION);
    const rows = db
      .prepare(
        'SELECT pattern_id, occurrence_key, session_key, ts_ms, llm_tokens, token_basis, ok FROM pattern_occurrences ORDER BY id',
      )
      .all();
    expect(rows).toEqual([
      {
        pattern_id: 1,
        occurrence_key: 'call:a',
        session_key: 's1',
        ts_ms: Date.parse(now),
        llm_tokens: 100,
        token_basis: 'measured',
        ok: 1,
      },
      {
        pattern_id: 1,
        occurrence_key: 'call:b',
        session_key: 's2',
        ts_ms: Date.parse(now) + 1000,
        llm_tokens: 100,
        token_basis: 'measured',
        ok: 1,
      },
    ]);
    // the occurrence key stays UNIQUE per pattern
    expect(() => occ.run('call:a', 's9', 9, now, 0)).toThrow();
    const queued = (): string[] =>
      db
        .prepare('SELECT call_key FROM learn_queue JOIN tool_calls ON id = call_id ORDER BY call_id')
        .pluck()
        .all() as string[];
    expect(queued()).toEqual(['b', 'c']);
    // from now on a Bash call of the agent is queued as it is written; others never are
    db.prepare(
      `INSERT INTO tool_calls (call_key, tool_name, command, routed_tool_id, updated_at) VALUES (?, ?, 'x', ?, ?)`,
    ).run('f', 'Bash', null, now);
    db.prepare(
      `INSERT INTO tool_calls (call_key, tool_name, command, routed_tool_id, updated_at) VALUES (?, ?, 'x', ?, ?)`,
    ).run('g', 'Grep', null, now);
    db.prepare(
      `INSERT INTO tool_calls (call_key, tool_name, command, routed_tool_id, updated_at) VALUES (?, ?, 'x', ?, ?)`,
    ).run('h', 'Bash', 4, now);
    expect(queued()).toEqual(['b', 'c', 'f']);
  });
});

describe('migration 9 (offloaded runs)', () => {
  it('keeps the savings logged before, keys new ones by dedup key, and queues Bash calls unless made by outloop run', () => {
    const db = memory();
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 8),
    );
    const saving = db.prepare(
      `INSERT INTO cost_savings_log (optimization_type, tokens_with_llm, tokens_with_tool, tokens_saved, cost_saved_usd, ts, ts_ms)
       VALUES ('pattern_offload', 100, 10, 90, 0.5, '2026-03-01T09:00:00Z', 0)`,
    );
    saving.run();
    migrate(db);
    expect(userVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT optimization_type, tokens_saved, dedup_key FROM cost_savings_log').all()).toEqual([
      { optimization_type: 'pattern_offload', tokens_saved: 90, dedup_key: null },
    ]);
    // rows without a key never collide; a key is unique
    saving.run();
    const keyed = db.prepare(
      `INSERT INTO cost_savings_log (optimization_type, tokens_with_llm, tokens_with_tool, tokens_saved, cost_saved_usd, ts, ts_ms, dedup_key)
       VALUES ('offload_run', 100, 10, 90, 0.5, '2026-03-01T09:00:00Z', 0, 'run:r-0123456789abcdef')`,
    );
    keyed.run();
    expect(() => keyed.run()).toThrow(/UNIQUE/);
    const call = db.prepare(
      `INSERT INTO tool_calls (call_key, tool_name, command, sources, updated_at) VALUES (?, 'Bash', 'npm test', ?, 'x')`,
    );
    call.run('hook:1', 'hook-pre,hook-post');
    call.run('run:r-0123456789abcdef', 'run');
    expect(db.prepare('SELECT call_key FROM learn_queue JOIN tool_calls ON id = call_id').pluck().all()).toEqual([
      'hook:1',
    ]);
  });
});
