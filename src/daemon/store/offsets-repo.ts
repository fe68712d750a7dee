import type { Database, Statement } from 'better-sqlite3';

export interface Checkpoint {
  path: string;
  kind: string;
  dev: number;
  ino: number;
  size: number;
  offset: number;
  prefixHash: string | null;
  contentHash: string | null;
  /** whole-file sources: how many items (array elements) were ingested */
  items: number;
}

interface Row {
  path: string;
  kind: string;
  dev: number;
  ino: number;
  size: number;
  offset: number;
  prefix_hash: string | null;
  content_hash: string | null;
  items: number;
}

const toCheckpoint = (r: Row): Checkpoint => ({
  path: r.path,
  kind: r.kind,
  dev: r.dev,
  ino: r.ino,
  size: r.size,
  offset: r.offset,
  prefixHash: r.prefix_hash,
  contentHash: r.content_hash,
  items: r.items,
});

/** Per-file ingest checkpoints, saved in the same transaction as the rows they produced. */
export class OffsetsRepo {
  private readonly getStmt: Statement<[string], Row>;
  private readonly upsertStmt: Statement;
  private readonly deleteStmt: Statement<[string]>;
  private readonly countStmt: Statement<[], number>;

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT * FROM ingest_offsets WHERE path = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO ingest_offsets (path, kind, dev, ino, size, offset, prefix_hash, content_hash, items, updated_at)
       VALUES (@path, @kind, @dev, @ino, @size, @offset, @prefixHash, @contentHash, @items, @updatedAt)
       ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, dev = excluded.dev, ino = excluded.ino, size = excluded.size,
         offset = excluded.offset, prefix_hash = excluded.prefix_hash, content_hash = excluded.content_hash,
         items = excluded.items, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare('DELETE FROM ingest_offsets WHERE path = ?');
    this.countStmt = db.prepare('SELECT count(*) FROM ingest_offsets').pluck() as Statement<[], number>;
  }

  get(path: string): Checkpoint | null {
    const r = this.getStmt.get(path);
    return r ? toCheckpoint(r) : null;
  }

  save(c: Checkpoint): void {
    this.upsertStmt.run({ ...c, updatedAt: new Date().toISOString() });
  }

  delete(path: string): void {
    this.deleteStmt.run(path);
  }

  count(): number {
    return this.countStmt.get() ?? 0;
  }
}
