import type { Stats } from 'node:fs';
import { getErrorMessage } from '../../core/errors.js';
import type { IngestCounts } from '../../rpc/protocol.js';
import type { Logger } from '../logger.js';
import type { Checkpoint } from '../store/offsets-repo.js';
import type { Store } from '../store/store.js';
import { emptyCounts } from './counts.js';
import type { FileOutcome } from './file-outcome.js';
import { commitLineBatch, lineFileResult, type ParsedBatch } from './file-sources.js';
import type { LineSource } from './line-parse.js';
import { WORKER_GONE, type ParserPool } from './parser-pool.js';
import type { IngestJob, PendingFile } from './queue.js';
import { CHUNK_BYTES, type TailResult } from './tailer.js';
import { emptyEffects, RowWriter, type BatchEffects } from './writer.js';

/** Files handed to the parser thread at once (it reads them in order; more only costs memory). */
const MAX_IN_FLIGHT = 8;

export interface ParsedFilesOptions {
  store: Store;
  pool: ParserPool;
  logger: Logger;
  warn(msg: string): void;
  /** rows of committed batches, for the live feed and the jobs */
  finish(counts: IngestCounts, effects: BatchEffects, jobs: Iterable<IngestJob>): void;
  /** the whole file (or its slice) was read and committed */
  completed(path: string, p: PendingFile, outcome: FileOutcome): void;
  failed(path: string, p: PendingFile, code: string | null, message: string): void;
  /** the engine may go on (a slot is free, or a file went back to the queue) */
  requeue(path: string, p: PendingFile): void;
  kick(): void;
}

interface InFlight {
  path: string;
  p: PendingFile;
  src: LineSource;
  st: Stats;
  renamedFrom: string | null;
  /** offset the read started at (first batch) and bytes committed since */
  from: number | null;
  bytes: number;
  /** a batch could not be written: the rest of the file's batches are dropped */
  broken: string | null;
  /** a commit of this file's batches failed as a whole: read it again from its checkpoint */
  lost: boolean;
  /** changes reported while it was in flight */
  again: PendingFile | null;
}

type Arrival =
  | { f: InFlight; t: 'batch'; start: number; batch: ParsedBatch }
  | { f: InFlight; t: 'done'; result: TailResult }
  | { f: InFlight; t: 'error'; code: string | null; message: string };

/**
 * Line sources being read by the parser thread. Batches are committed as they arrive (those that
 * arrive together in one transaction), each with its checkpoint, in the order the thread read them.
 */
export class ParsedFiles {
  private readonly files = new Map<string, InFlight>();
  private arrivals: Arrival[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(private readonly o: ParsedFilesOptions) {}

  get alive(): boolean {
    return this.o.pool.alive;
  }

  get full(): boolean {
    return this.files.size >= MAX_IN_FLIGHT;
  }

  get size(): number {
    return this.files.size;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The file changed again (or was asked for) while in flight: read it once more afterwards. */
  again(path: string, p: PendingFile): void {
    const f = this.files.get(path);
    if (!f) return;
    if (!f.again) f.again = { ...p, jobs: new Set(p.jobs) };
    else {
      for (const j of p.jobs) f.again.jobs.add(j);
      f.again.final ||= p.final;
      f.again.sniff ||= p.sniff;
    }
  }

  start(path: string, p: PendingFile, src: LineSource, prev: Checkpoint | null, st: Stats): void {
    const f: InFlight = {
      path,
      p,
      src,
      st,
      renamedFrom: prev && prev.path !== path ? prev.path : null,
      from: null,
      bytes: 0,
      broken: null,
      lost: false,
      again: null,
    };
    this.files.set(path, f);
    this.o.pool.parse(
      { src, prev, final: p.final, maxBytes: CHUNK_BYTES },
      {
        batch: (start, batch) => this.arrive({ f, t: 'batch', start, batch }),
        done: (result) => this.arrive({ f, t: 'done', result }),
        error: (code, message) => this.arrive({ f, t: 'error', code, message }),
      },
    );
  }

  private arrive(a: Arrival): void {
    this.arrivals.push(a);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const arrived = this.arrivals;
    this.arrivals = [];
    if (this.closed || arrived.length === 0) return;
    const rows = new Map<InFlight, { counts: IngestCounts; effects: BatchEffects }>();
    const { store } = this.o;
    let batches = 0;
    try {
      store.tx(() => {
        for (const a of arrived) {
          if (a.t !== 'batch') continue;
          batches++;
          const f = a.f;
          if (f.broken !== null || f.lost) continue;
          let r = rows.get(f);
          if (!r) rows.set(f, (r = { counts: emptyCounts(), effects: emptyEffects() }));
          try {
            commitLineBatch(store, f.src, new RowWriter(store, r.counts, r.effects), a.batch);
            f.from ??= a.start;
            f.bytes = a.batch.checkpoint.offset - f.from;
          } catch (e) {
            f.broken = getErrorMessage(e);
          }
        }
      });
    } catch (e) {
      // the commit failed as a whole (disk full, I/O error): these files are read again from their checkpoints
      this.o.warn(`ingest commit failed: ${getErrorMessage(e)}`);
      store.counts.refresh();
      for (const a of arrived) if (a.t === 'batch') a.f.lost = true;
      rows.clear();
    }
    for (let i = 0; i < batches; i++) this.o.pool.ack();
    for (const [f, r] of rows) this.o.finish(r.counts, r.effects, f.p.jobs);
    for (const a of arrived) if (a.t !== 'batch') this.complete(a);
  }

  private complete(a: Exclude<Arrival, { t: 'batch' }>): void {
    const f = a.f;
    this.files.delete(f.path);
    // lost with a failed commit, or the parser thread died: read again (inline) from the checkpoint
    if (f.lost || (a.t === 'error' && a.code === WORKER_GONE)) this.o.requeue(f.path, f.p);
    else if (a.t === 'error') this.o.failed(f.path, f.p, a.code, a.message);
    else if (f.broken !== null) this.o.failed(f.path, f.p, null, f.broken);
    else
      this.o.completed(f.path, f.p, {
        result: lineFileResult(a.result, f.bytes),
        renamedFrom: f.renamedFrom,
        st: f.st,
      });
    if (f.again) this.o.requeue(f.path, f.again);
    this.o.kick();
  }

  /** Stops the parser thread; returns what was in flight (their jobs end without them). */
  close(): PendingFile[] {
    this.closed = true;
    const out: PendingFile[] = [];
    for (const f of this.files.values()) {
      out.push(f.p);
      if (f.again) out.push(f.again);
    }
    this.files.clear();
    this.arrivals = [];
    void this.o.pool.close();
    return out;
  }
}
