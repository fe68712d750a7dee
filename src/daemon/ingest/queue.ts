import type { IngestCounts } from '../../rpc/protocol.js';
import { emptyCounts } from './counts.js';

/** One `ingest/run` call: the files it asked for, the rows they added, the ADW dirs they touched. */
export class IngestJob {
  readonly counts: IngestCounts = emptyCounts();
  readonly adwDirs = new Set<string>();
  /** files this job consumed bytes from (counted once however many slices they took) */
  readonly filesRead = new Set<string>();
  private remaining: number;
  private resolve: () => void = () => {};
  readonly done: Promise<void>;

  constructor(files: number) {
    this.remaining = files;
    this.done = new Promise((r) => (this.resolve = r));
    if (files === 0) this.resolve();
  }

  /** One of its files is finished. */
  fileDone(): void {
    if (--this.remaining <= 0) this.resolve();
  }

  abort(): void {
    this.remaining = 0;
    this.resolve();
  }
}

export interface PendingFile {
  since: number;
  jobs: Set<IngestJob>;
  /** read as settled: a partial last line that is whole JSON counts, a truncated array tail is quarantined */
  final: boolean;
  /** the layout does not say what the file is: look at its first line */
  sniff: boolean;
}

/**
 * Files waiting to be read, in arrival order, except that spool files go first and in name order
 * (names start with the epoch ms), so hook events without tool_use_id pair in the order they happened.
 */
export class PendingQueue {
  private readonly files = new Map<string, PendingFile>();
  private readonly spool = new Map<string, PendingFile>();
  private spoolSorted: string[] | null = null;

  constructor(private readonly isSpool: (path: string) => boolean) {}

  add(path: string, o: { job?: IngestJob; final?: boolean; sniff?: boolean }): void {
    const map = this.isSpool(path) ? this.spool : this.files;
    const cur = map.get(path);
    if (cur) {
      if (o.job) cur.jobs.add(o.job);
      cur.final ||= o.final ?? false;
      cur.sniff ||= o.sniff ?? false;
      return;
    }
    map.set(path, {
      since: Date.now(),
      jobs: new Set(o.job ? [o.job] : []),
      final: o.final ?? false,
      sniff: o.sniff ?? false,
    });
    if (map === this.spool) this.spoolSorted = null;
  }

  /** Puts a partly read file back (at the end of the line), keeping its jobs and age. */
  requeue(path: string, p: PendingFile): void {
    const map = this.isSpool(path) ? this.spool : this.files;
    const cur = map.get(path);
    if (cur) {
      for (const j of p.jobs) cur.jobs.add(j);
      cur.final ||= p.final;
      cur.sniff ||= p.sniff;
      cur.since = Math.min(cur.since, p.since);
      return;
    }
    map.set(path, p);
    if (map === this.spool) this.spoolSorted = null;
  }

  take(): [string, PendingFile] | null {
    if (this.spool.size > 0) {
      this.spoolSorted ??= [...this.spool.keys()].sort().reverse();
      while (this.spoolSorted.length > 0) {
        const path = this.spoolSorted.pop() as string;
        const p = this.spool.get(path);
        if (p) {
          this.spool.delete(path);
          return [path, p];
        }
      }
      this.spoolSorted = null;
    }
    const next = this.files.entries().next();
    if (next.done) return null;
    this.files.delete(next.value[0]);
    return next.value;
  }

  get size(): number {
    return this.files.size + this.spool.size;
  }

  oldest(): number | null {
    let oldest = Infinity;
    for (const v of this.files.values()) oldest = Math.min(oldest, v.since);
    for (const v of this.spool.values()) oldest = Math.min(oldest, v.since);
    return oldest === Infinity ? null : oldest;
  }

  drain(): PendingFile[] {
    const all = [...this.files.values(), ...this.spool.values()];
    this.files.clear();
    this.spool.clear();
    this.spoolSorted = null;
    return all;
  }
}
