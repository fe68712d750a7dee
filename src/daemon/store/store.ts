import type { Database } from 'better-sqlite3';
import { CountsRepo } from './counts-repo.js';
import { openDatabase } from './db.js';

/** The daemon's store: the database plus one repository per aggregate. */
export class Store {
  readonly counts: CountsRepo;

  constructor(readonly db: Database) {
    this.counts = new CountsRepo(db);
  }

  static open(dbPath: string): Store {
    return new Store(openDatabase(dbPath));
  }

  /** Runs fn in one IMMEDIATE transaction; on failure nothing is written and counts are re-read. */
  tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (e) {
      this.counts.refresh();
      throw e;
    }
  }

  close(): void {
    if (this.db.open) {
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // best effort
      }
      this.db.close();
    }
  }
}
