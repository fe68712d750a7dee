import { lstatSync, unlinkSync, type Stats } from 'node:fs';
import { getErrorMessage, isNodeError } from '../../core/errors.js';
import { classifyPath } from '../../core/records/source-kind.js';
import type { WorkflowRun } from '../../core/types.js';
import type { IngestCounts, IngestStatus } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { Warnings } from '../warnings.js';
import { AdwRuns } from './adw-runs.js';
import { addCounts, emptyCounts } from './counts.js';
import { publishEffects } from './feed.js';
import type { FileOutcome } from './file-outcome.js';
import { ingestArrayFile, ingestLineFile, ingestSpoolFile } from './file-sources.js';
import { lineSource, type LineSource } from './line-parse.js';
import { ParsedFiles } from './parsed-files.js';
import { ParserPool } from './parser-pool.js';
import { Renames } from './renames.js';
import { IngestJob, PendingQueue, type PendingFile } from './queue.js';
import { SniffCache } from './sniff.js';
import { emptyEffects, RowWriter, type BatchEffects } from './writer.js';

export interface EngineOptions {
  store: Store;
  hub: Hub;
  logger: Logger;
  warnings: Warnings;
  spoolDir: string;
  /** called after rows commit, with the ids of tool calls that just completed */
  onIngested?: (effects: BatchEffects) => void;
  /** called after a workflow run is stored (new or changed) */
  onWorkflow?: (run: WorkflowRun) => void;
  /** ADW dirs settle this long after their last change before they are re-read */
  adwSettleMs?: number;
  /** an array file or ADW state still incomplete this long after its last change is read as final */
  finalSettleMs?: number;
  /** parse line sources in a worker thread while this thread writes (default true) */
  parseInWorker?: boolean;
  /** called when a file could not be opened for lack of descriptors (the watcher may have missed events too) */
  onDescriptorPressure?: () => void;
}

/** Time slice per turn of the event loop, so RPC requests stay answered during a large ingest. */
const SLICE_MS = 40;

function describeNonFile(st: Stats): string {
  if (st.isDirectory()) return 'is a directory, not a file';
  if (st.isSymbolicLink()) return 'is a symbolic link (not followed)';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a file';
  if (st.isSocket()) return 'is a socket, not a file';
  return 'is not a regular file';
}

function mtimeIso(st: Stats): string | null {
  const t = st.mtime.getTime();
  return Number.isFinite(t) ? st.mtime.toISOString() : null;
}

/**
 * The single writer: a queue of changed files processed in time slices. Each file is read from
 * its checkpoint; rows and the new checkpoint commit in one transaction. Line sources (most of the
 * bytes) are read and parsed by a worker thread while this thread writes; spool files, array logs
 * and ADW runs are read here.
 */
export class IngestEngine {
  private readonly queue: PendingQueue;
  private readonly sniffer = new SniffCache();
  private readonly adw: AdwRuns;
  private readonly parsed: ParsedFiles | null;
  private readonly finalTimers = new Map<string, NodeJS.Timeout>();
  private readonly renames: Renames;
  private retryTimer: NodeJS.Timeout | null = null;
  private running = false;
  private closed = false;
  private lastIngestAt: string | null = null;
  private futureWarned = false;

  constructor(private readonly o: EngineOptions) {
    this.queue = new PendingQueue((p) => classifyPath(p, o.spoolDir)?.kind === 'spool');
    this.renames = new Renames(o.store.offsets, o.logger);
    this.adw = new AdwRuns({
      store: o.store,
      hub: o.hub,
      logger: o.logger,
      warn: (m) => this.warn(m),
      finish: (c, e, j) => this.finish(c, e, j),
      ...(o.onWorkflow ? { onWorkflow: o.onWorkflow } : {}),
      settleMs: o.adwSettleMs ?? 250,
      finalSettleMs: o.finalSettleMs ?? 3000,
    });
    const pool =
      o.parseInWorker === false
        ? null
        : ParserPool.start((reason) => this.warn(`${reason}; parsing in the main thread from now on`));
    this.parsed = pool
      ? new ParsedFiles({
          store: o.store,
          pool,
          warn: (m) => this.warn(m),
          logger: o.logger,
          finish: (c, e, j) => this.finish(c, e, j),
          completed: (path, p, outcome) => this.completed(path, p, outcome, null),
          failed: (path, p, code, message) => this.failed(path, p, code, message),
          requeue: (path, p) => this.queue.requeue(path, p),
          kick: () => this.kick(),
        })
      : null;
  }

  /** A file was added or changed (watcher). */
  enqueue(path: string): void {
    if (this.closed) return;
    this.renames.seen(path);
    this.queue.add(path, {});
    this.kick();
  }

  /** A watched file disappeared: its rows stay; its checkpoint stays a while in case it was renamed. */
  removed(path: string): void {
    if (this.closed) return;
    this.renames.gone(path);
  }

  /** Ingests the given files now (explicit: settled, layouts sniffed) and resolves with the rows this call added. */
  async ingestFiles(paths: string[]): Promise<IngestCounts> {
    const unique = [...new Set(paths)];
    const job = new IngestJob(unique.length);
    if (this.closed) return job.counts;
    for (const p of unique) this.queue.add(p, { job, final: true, sniff: true });
    this.kick();
    await job.done;
    for (const dir of job.adwDirs) this.adw.assemble(dir, true, [job]);
    return job.counts;
  }

  private kick(): void {
    if (this.running || this.closed || this.retryTimer) return;
    this.running = true;
    setImmediate(() => this.turn());
  }

  /**
   * One slice: files are processed inside one outer transaction (each file's batches are
   * savepoints in it), so many small files cost one commit. What must wait for the commit (removing
   * consumed spool files, the live feed, answering `ingest/run`) runs after it.
   */
  private turn(): void {
    if (this.closed) return;
    const started = Date.now();
    const taken: [string, PendingFile][] = [];
    const after: (() => void)[] = [];
    try {
      this.o.store.tx(() => {
        while (!this.closed && Date.now() - started < SLICE_MS) {
          const next = this.queue.take();
          if (!next) break;
          taken.push(next);
          if (!this.processOne(next[0], next[1], after)) break;
        }
      });
    } catch (e) {
      // the commit itself failed (disk full, I/O error): nothing of this slice landed; read it again later
      this.warn(`ingest commit failed: ${getErrorMessage(e)}`);
      this.o.store.counts.refresh();
      for (const [path, p] of taken) if (!this.parsed?.has(path)) this.queue.requeue(path, p);
      after.length = 0;
      this.retryLater();
    }
    for (const fn of after) fn();
    this.running = false;
    if (this.queue.size > 0 && !this.closed && !this.retryTimer && !(this.parsed?.full ?? false)) this.kick();
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, 1000);
    this.retryTimer.unref();
  }

  /** Returns false when the parser thread has all it can take (the file went back to the queue). */
  private processOne(path: string, p: PendingFile, after: (() => void)[]): boolean {
    const counts = emptyCounts();
    const effects = emptyEffects();
    let outcome: FileOutcome | null = null;
    let handedOff = false;
    try {
      let info = classifyPath(path, this.o.spoolDir);
      let st: Stats;
      try {
        st = lstatSync(path);
      } catch (e) {
        if (isNodeError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return true; // gone before we got to it
        throw e;
      }
      if (!st.isFile()) {
        if (info || p.sniff || st.isSymbolicLink()) this.warn(`${path} ${describeNonFile(st)}; skipped`);
        return true;
      }
      if (!info && (p.sniff || /\.jsonl$/i.test(path))) info = this.sniffer.kindOf(path, st);
      if (!info) return true;
      if (info.adwDir) this.adwTouched(info.adwDir, p);
      if (info.kind === 'adw-state' || info.kind === 'adw-prompt') return true;
      const w = (): RowWriter => new RowWriter(this.o.store, counts, effects);
      if (info.kind === 'spool') {
        outcome = { result: ingestSpoolFile(this.o.store, path, w()), renamedFrom: null, st };
        after.push(() => removeConsumed(path));
        return true;
      }
      const src = lineSource(path, info, mtimeIso(st));
      if (src && this.parsed?.alive) {
        if (this.parsed.has(path)) {
          this.parsed.again(path, p);
          handedOff = true;
          return true;
        }
        if (this.parsed.full) {
          this.queue.requeue(path, p);
          handedOff = true;
          return false;
        }
        const prev = this.renames.checkpointFor(path, info, st);
        this.parsed.start(path, p, src, prev, st);
        handedOff = true;
        return true;
      }
      const prev = this.renames.checkpointFor(path, info, st);
      const opts = { final: p.final, mtime: mtimeIso(st) };
      const result = src
        ? ingestLineFile(this.o.store, src, prev, w, opts)
        : ingestArrayFile(this.o.store, path, info, prev, w(), opts);
      outcome = { result, renamedFrom: prev && prev.path !== path ? prev.path : null, st };
      return true;
    } catch (e) {
      const code = isNodeError(e) ? (e.code ?? null) : null;
      after.push(() => this.failed(path, p, code, getErrorMessage(e), counts, effects));
      handedOff = true;
      return true;
    } finally {
      if (!handedOff) {
        const done = outcome;
        after.push(() =>
          done ? this.completed(path, p, done, { counts, effects }) : this.finishFile(p, counts, effects),
        );
      }
    }
  }

  /** A file was read (inline or by the parser thread) and its rows are committed. */
  private completed(
    path: string,
    p: PendingFile,
    outcome: FileOutcome,
    rows: { counts: IngestCounts; effects: BatchEffects } | null,
  ): void {
    const r = outcome.result;
    const counts = rows?.counts ?? emptyCounts();
    if (outcome.renamedFrom && r && r.bytes >= 0) this.renames.forget(outcome.renamedFrom, outcome.st);
    if (r) {
      if (r.restarted) this.o.logger.info(`${path}: ${r.restarted}; read again from the start`);
      if (r.bytes > 0) for (const j of p.jobs) j.filesRead.add(path);
      counts.bytes += r.bytes;
      if (r.pendingTail > 0 && p.final && r.done && !r.unsettled) {
        this.warn(`${path}: the last ${r.pendingTail} byte(s) are not a complete line; waiting for a newline`);
      }
      if (r.unsettled) this.settleLater(path);
      if (!r.done) {
        this.finish(counts, rows?.effects ?? emptyEffects(), p.jobs);
        this.queue.requeue(path, p);
        this.kick();
        return;
      }
    }
    this.finishFile(p, counts, rows?.effects ?? emptyEffects());
  }

  private failed(
    path: string,
    p: PendingFile,
    code: string | null,
    message: string,
    counts = emptyCounts(),
    effects = emptyEffects(),
  ): void {
    if (code === 'ENOENT' || code === 'ENOTDIR') this.o.logger.debug(`${path} vanished while being read`);
    else if (code === 'EMFILE' || code === 'ENFILE') {
      // Out of descriptors: the file is fine, the process is not. It is read again once the
      // pressure has passed instead of being given up (its rows would be lost until it changed).
      this.warn(`out of file descriptors (${code}); files that could not be opened are read again shortly`);
      this.queue.requeue(path, p);
      this.finish(counts, effects, []);
      this.retryLater();
      this.o.onDescriptorPressure?.();
      return;
    } else {
      this.warn(`cannot ingest ${path}: ${message}`);
      this.o.store.counts.refresh();
    }
    this.finishFile(p, counts, effects);
  }

  private finishFile(p: PendingFile, counts: IngestCounts, effects: BatchEffects): void {
    this.finish(counts, effects, p.jobs);
    for (const j of p.jobs) j.fileDone();
  }

  private warn(msg: string): void {
    this.o.logger.warn(msg);
    this.o.warnings.add(msg);
  }

  private finish(counts: IngestCounts, effects: BatchEffects, jobs: Iterable<IngestJob>): void {
    if (
      counts.bytes > 0 ||
      counts.hookEvents + counts.toolCalls + counts.usageRecords + counts.workflowRuns + counts.quarantined > 0
    ) {
      this.lastIngestAt = new Date().toISOString();
    }
    for (const j of jobs) {
      addCounts(j.counts, { ...counts, files: 0 });
      j.counts.files = j.filesRead.size;
    }
    if (effects.future.count > 0 && !this.futureWarned) {
      this.futureWarned = true;
      this.warn(
        `records stamped more than a day ahead of this clock (clock skew?), e.g. ${effects.future.example ?? '?'}`,
      );
    }
    publishEffects(this.o.hub, effects);
    if (this.o.onIngested && (effects.completedCalls.length > 0 || effects.touchedSessions.size > 0)) {
      try {
        this.o.onIngested(effects);
      } catch (e) {
        this.o.logger.error('learning after ingest failed', e);
      }
    }
  }

  /** An incomplete array file: read it again as final once it has not changed for a while. */
  private settleLater(path: string): void {
    const prev = this.finalTimers.get(path);
    if (prev) clearTimeout(prev);
    const t = setTimeout(() => {
      this.finalTimers.delete(path);
      if (this.closed) return;
      this.queue.add(path, { final: true });
      this.kick();
    }, this.o.finalSettleMs ?? 3000);
    t.unref();
    this.finalTimers.set(path, t);
  }

  private adwTouched(adwDir: string, p: PendingFile): void {
    if (p.jobs.size > 0) for (const j of p.jobs) j.adwDirs.add(adwDir);
    else this.adw.touched(adwDir);
  }

  status(trackedFiles: number): Omit<IngestStatus, 'watchedRoots'> {
    const oldest = this.queue.oldest();
    return {
      trackedFiles,
      pendingFiles: this.queue.size + this.adw.pending + (this.parsed?.size ?? 0),
      lagMs: oldest === null ? 0 : Date.now() - oldest,
      lastIngestAt: this.lastIngestAt,
    };
  }

  /** Stops taking work; what is being written finishes (its transaction is atomic either way). */
  close(): void {
    this.closed = true;
    this.renames.close();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const t of this.finalTimers.values()) clearTimeout(t);
    this.finalTimers.clear();
    this.adw.close();
    for (const p of [...this.queue.drain(), ...(this.parsed?.close() ?? [])]) for (const j of p.jobs) j.abort();
  }
}

/** A spool file whose rows are committed. */
function removeConsumed(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

export type { LineSource };
