import type { Database, Statement } from 'better-sqlite3';

export interface Checkpoint {
  path: string;
  kind: string;
  dev: number;
  ino: number;
  size: number;
  /** line sources: bytes consumed; whole-file sources: the file size when read */
  offset: number;
  /** hash of the first min(offset, 1024) bytes (line sources) or of the consumed elements (arrays) */
  prefixHash: string | null;
  /** line sources: hash of the TAIL_BYTES before offset (null: not taken, e.g. older checkpoints) */
  tailHash?: string | null;
  /** whole-file sources: hash of the whole content last read */
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
  tail_hash: string | null;
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
  tailHash: r.tail_hash,
  contentHash: r.content_hash,
  items: r.items,
});

const inodeKey = (dev: number, ino: number): string => `${dev}:${ino}`;

/**
 * Per-file ingest checkpoints, saved in the same transaction as the rows they produced. An
 * in-memory index by (dev, ino), loaded on first use and kept current by this repository (the
 * daemon is the only writer), finds the checkpoint of a file that was renamed (log rotation).
 */
export class OffsetsRepo {
  private readonly getStmt: Statement<[string], Row>;
  private readonly upsertStmt: Statement;
  private readonly deleteStmt: Statement<[string]>;
  private readonly countStmt: Statement<[], number>;
  private readonly allInodesStmt: Statement<[], { path: string; dev: number; ino: number }>;
  private byInode: Map<string, Set<string>> | null = null;
  private readonly inodeOf = new Map<string, string>();

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT * FROM ingest_offsets WHERE path = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO ingest_offsets (path, kind, dev, ino, size, offset, prefix_hash, tail_hash, content_hash, items, updated_at)
       VALUES (@path, @kind, @dev, @ino, @size, @offset, @prefixHash, @tailHash, @contentHash, @items, @updatedAt)
       ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, dev = excluded.dev, ino = excluded.ino, size = excluded.size,
         offset = excluded.offset, prefix_hash = excluded.prefix_hash, tail_hash = excluded.tail_hash, content_hash = excluded.content_hash,
         items = excluded.items, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare('DELETE FROM ingest_offsets WHERE path = ?');
    this.countStmt = db.prepare('SELECT count(*) FROM ingest_offsets').pluck() as Statement<[], number>;
    this.allInodesStmt = db.prepare('SELECT path, dev, ino FROM ingest_offsets');
  }

  get(path: string): Checkpoint | null {
    const r = this.getStmt.get(path);
    return r ? toCheckpoint(r) : null;
  }

  save(c: Checkpoint): void {
    this.upsertStmt.run({ ...c, tailHash: c.tailHash ?? null, updatedAt: new Date().toISOString() });
    this.index(c.path, c.dev, c.ino);
  }

  delete(path: string): void {
    this.deleteStmt.run(path);
    this.unindex(path);
  }

  count(): number {
    return this.countStmt.get() ?? 0;
  }

  /** Checkpoints of other paths that were taken on the same file (dev, ino). */
  sameInode(dev: number, ino: number, except: string): Checkpoint[] {
    const paths = this.inodes().get(inodeKey(dev, ino));
    if (!paths) return [];
    const out: Checkpoint[] = [];
    for (const p of paths) {
      if (p === except) continue;
      // the index may be ahead of a rolled-back transaction: the row decides
      const c = this.get(p);
      if (c && c.dev === dev && c.ino === ino) out.push(c);
    }
    return out;
  }

  private inodes(): Map<string, Set<string>> {
    if (this.byInode === null) {
      this.byInode = new Map();
      for (const r of this.allInodesStmt.iterate()) this.index(r.path, r.dev, r.ino);
    }
    return this.byInode;
  }

  private index(path: string, dev: number, ino: number): void {
    if (this.byInode === null) return;
    const key = inodeKey(dev, ino);
    const old = this.inodeOf.get(path);
    if (old === key) return;
    if (old !== undefined) this.byInode.get(old)?.delete(path);
    let set = this.byInode.get(key);
    if (!set) this.byInode.set(key, (set = new Set()));
    set.add(path);
    this.inodeOf.set(path, key);
  }

  private unindex(path: string): void {
    if (this.byInode === null) return;
    const old = this.inodeOf.get(path);
    if (old !== undefined) this.byInode.get(old)?.delete(path);
    this.inodeOf.delete(path);
  }
}
