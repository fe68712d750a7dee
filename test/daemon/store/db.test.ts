import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptDatabaseError, openDatabase } from '../../../src/daemon/store/db.js';
import { LATEST_VERSION } from '../../../src/daemon/store/migrations.js';
import { Store } from '../../../src/daemon/store/store.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
afterEach(() => dirs.removeAll());

/** Writes `bytes` as outloop.db in a fresh dir and returns the path. */
function dbFile(bytes: Buffer): string {
  const path = join(dirs.make(), 'outloop.db');
  writeFileSync(path, bytes);
  return path;
}

/** A real store with rows in it, then pages past the schema overwritten with noise. */
function damagedStore(): string {
  const path = join(dirs.make(), 'outloop.db');
  const store = Store.open(path);
  const insert = store.db.prepare(
    "INSERT INTO hook_events (dedup_key, source_path, source_offset, event, received_at, payload) VALUES (?, 'f', 0, 'PreToolUse', 'now', ?)",
  );
  store.tx(() => {
    for (let i = 0; i < 2000; i++) insert.run(`k${i}`, 'p'.repeat(300));
  });
  store.close();
  const bytes = readFileSync(path);
  for (let i = Math.floor(bytes.length / 2); i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
  writeFileSync(path, bytes);
  return path;
}

describe('a corrupt database file', () => {
  it.each([
    ['random bytes', () => dbFile(Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 31 + 7) & 0xff)))],
    ['a text file', () => dbFile(Buffer.from('this is not a database\n'.repeat(400)))],
    ['a header and garbage', () => dbFile(Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080, 0xab)]))],
    ['damaged pages past the schema', damagedStore],
  ])('%s: CorruptDatabaseError, file left exactly as it was', (_name, make) => {
    const path = make();
    const before = readFileSync(path);
    let error: unknown = null;
    try {
      Store.open(path).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorruptDatabaseError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/not a usable SQLite database.*move it aside/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(join(path, '..'))).toEqual(['outloop.db']);
  });

  it('is never replaced by a silent new database', () => {
    const path = dbFile(Buffer.from('garbage'.repeat(1000)));
    expect(() => openDatabase(path)).toThrow(CorruptDatabaseError);
    expect(() => openDatabase(path)).toThrow(CorruptDatabaseError);
    expect(readFileSync(path, 'utf8')).toBe('garbage'.repeat(1000));
  });
});

describe('openDatabase', () => {
  it('creates a new database, with its directory, when none exists', () => {
    const path = join(dirs.make(), 'a', 'b', 'outloop.db');
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
  });

  it('treats an empty file as a new database', () => {
    const path = dbFile(Buffer.alloc(0));
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
  });

  it('reports a path it cannot open without calling it corrupt', () => {
    const path = join(dirs.make(), 'outloop.db');
    mkdirSync(path);
    let error: unknown = null;
    try {
      openDatabase(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(CorruptDatabaseError);
    expect((error as Error).message).toContain(`cannot open the database at ${path}`);
  });

  it('keeps data across close and reopen, with the WAL folded back on close', () => {
    const path = join(dirs.make(), 'outloop.db');
    const store = Store.open(path);
    store.db.prepare("INSERT INTO daemon_meta (key, value) VALUES ('k', 'v')").run();
    store.close();
    expect(readdirSync(join(path, '..'))).toEqual(['outloop.db']);
    const check = new BetterSqlite3(path, { readonly: true });
    expect(check.prepare("SELECT value FROM daemon_meta WHERE key = 'k'").pluck().get()).toBe('v');
    check.close();
  });
});

describe('Store.tx', () => {
  it('writes nothing when the function throws, and re-reads the counts', () => {
    const store = Store.open(join(dirs.make(), 'outloop.db'));
    const insert = store.db.prepare(
      "INSERT INTO hook_events (dedup_key, source_path, source_offset, event, received_at, payload) VALUES (?, 'f', 0, 'Stop', 'now', '{}')",
    );
    expect(() =>
      store.tx(() => {
        insert.run('a');
        store.counts.add('hookEvents', 1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.db.prepare('SELECT count(*) FROM hook_events').pluck().get()).toBe(0);
    expect(store.counts.snapshot().hookEvents).toBe(0);
    store.close();
  });
});
