import type { Database, Statement } from 'better-sqlite3';

/** Small daemon facts that must survive a restart (e.g. when discovery last ran), in `daemon_meta`. */
export class MetaRepo {
  private readonly getStmt: Statement<[string], string>;
  private readonly setStmt: Statement<[string, string]>;
  private readonly delStmt: Statement<[string]>;

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT value FROM daemon_meta WHERE key = ?').pluck() as Statement<[string], string>;
    this.setStmt = db.prepare(
      'INSERT INTO daemon_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.delStmt = db.prepare('DELETE FROM daemon_meta WHERE key = ?');
  }

  get(key: string): string | null {
    return this.getStmt.get(key) ?? null;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value);
  }

  delete(key: string): void {
    this.delStmt.run(key);
  }
}
