import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { getErrorMessage } from '../../core/errors.js';
import { migrate } from './migrations.js';

export class CorruptDatabaseError extends Error {
  constructor(
    readonly dbPath: string,
    cause: unknown,
  ) {
    super(
      `the database at ${dbPath} is not a usable SQLite database (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'move it aside to start fresh, or restore a backup',
      { cause },
    );
    this.name = 'CorruptDatabaseError';
  }
}

/** True for SQLite's "this file is damaged / not a database" errors. */
export function isCorruptionError(e: unknown): boolean {
  const code = e instanceof Error && 'code' in e ? (e as { code: unknown }).code : null;
  return (
    code === 'SQLITE_CORRUPT' ||
    code === 'SQLITE_NOTADB' ||
    (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT_'))
  );
}

function openError(dbPath: string, e: unknown): Error {
  if (isCorruptionError(e)) return new CorruptDatabaseError(dbPath, e);
  return new Error(`cannot open the database at ${dbPath}: ${getErrorMessage(e)}`, { cause: e });
}

/** Opens (creating if needed) the store with WAL, foreign keys and a busy timeout, then migrates. */
export function openDatabase(dbPath: string): Database {
  if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  let db: Database;
  try {
    db = new BetterSqlite3(dbPath);
  } catch (e) {
    throw openError(dbPath, e);
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Reading the schema forces SQLite to parse the header: a corrupt file fails here.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    db.close();
    throw openError(dbPath, e);
  }
  try {
    migrate(db);
  } catch (e) {
    db.close();
    throw isCorruptionError(e) ? new CorruptDatabaseError(dbPath, e) : e;
  }
  return db;
}

/**
 * A second, read-only connection to an existing store (WAL lets it read while the daemon writes):
 * no migration, no pragma that writes; the schema must already be the daemon's.
 */
export function openReadOnly(dbPath: string): Database {
  let db: Database;
  try {
    db = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw openError(dbPath, e);
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    db.close();
    throw openError(dbPath, e);
  }
  return db;
}
