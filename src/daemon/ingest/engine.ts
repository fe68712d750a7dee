import type { Stats } from 'node:fs';
import { getErrorMessage, isNodeError } from '../../core/errors.js';
import { classifyPath, type SourceInfo } from '../../core/records/source-kind.js';
import type { IngestCounts, IngestStatus } from '../../rpc/protocol.js';
import { AdwRuns } from './adw-runs.js';
import { emptyCounts } from './counts.js';
import type { EngineOptions } from './engine-options.js';
import type { FileOutcome } from './file-outcome.js';
import { mtimeIso, probeFile, removeConsumed } from './file-probe.js';
import { FileResults } from './file-results.js';
import { ingestArrayFile, ingestLineFile, ingestSpoolFile } from './file-sources.js';
import { IngestReport } from './ingest-report.js';
import { lineSource, type LineSource } from './line-parse.js';
import { ParsedFiles } from './parsed-files.js';
import { ParserPool } from './parser-pool.js';
import { Renames } from './renames.js';
import { IngestJob, PendingQueue, type PendingFile } from './queue.js';
import { SettleTimers } from './settle-timers.js';
import { SniffCache } from './sniff.js';
import { emptyEffects, RowWriter, type BatchEffects } from './writer.js';

/** Time slice per turn of the event loop, so RPC requests stay answered during a large ingest. */
const SLICE_MS = 40;

/**
 * The single writer: a queue of changed files processed in time slices. Each file is read from
 * its checkpoint; rows and the new checkpoint commit in one transaction. Line sources (most of the
 * bytes) are read and parsed by a worker thread while this thread writes; spool files, array logs
 * and ADW runs are read here.
 */
export class IngestEngine {
  private readonly queue: PendingQueue;
  private readonly sniffer = new SniffCache();
  private readonly report: IngestReport;
  private readonly settle = new SettleTimers();
  private readonly results: FileResults;
  private readonly adw: AdwRuns;
  private readonly parsed: ParsedFiles | null;
  private readonly renames: Renames;
  private readonly warn = (msg: string): void => this.report.warn(msg);
  private readonly finish = (counts: IngestCounts, effects: BatchEffects, jobs: Iterable<IngestJob>): void =>
    this.report.finish(counts, effects, jobs);
  private retryTimer: NodeJS.Timeout | null = null;
  private running = false;
  private closed = false;

  constructor(private readonly o: EngineOptions) {
    this.report = new IngestReport(o);
    this.queue = new PendingQueue((p) => classifyPath(p, o.spoolDir)?.kind === 'spool');
    this.renames = new Renames(o.store.offsets, o.logger);
    const finalSettleMs = o.finalSettleMs ?? 3000;
    this.results = new FileResults({
      queue: this.queue,
      renames: this.renames,
      settleLater: (path) => this.settle.later(path, finalSettleMs, () => this.settled(path)),
      report: this.report,
      logger: o.logger,
      refreshCounts: () => o.store.counts.refresh(),
      kick: () => this.kick(),
      retryLater: () => this.retryLater(),
      onDescriptorPressure: () => o.onDescriptorPressure?.(),
    });
    this.adw = new AdwRuns({
      store: o.store,
      hub: o.hub,
      logger: o.logger,
      warn: this.warn,
      finish: this.finish,
      ...(o.onWorkflow ? { onWorkflow: o.onWorkflow } : {}),
      settleMs: o.adwSettleMs ?? 250,
      finalSettleMs,
    });
    this.parsed = o.parseInWorker === false ? null : this.startParser();
  }

  private startParser(): ParsedFiles | null {
    const pool = ParserPool.start((reason) => this.warn(`${reason}; parsing in the main thread from now on`));
    if (!pool) return null;
    return new ParsedFiles({
      store: this.o.store,
      pool,
      warn: this.warn,
      logger: this.o.logger,
      finish: this.finish,
      completed: (path, p, outcome) => this.results.completed(path, p, outcome, null),
      failed: (path, p, code, message) => this.results.failed(path, p, code, message),
      requeue: (path, p) => this.queue.requeue(path, p),
      kick: () => this.kick(),
    });
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
      const probed = probeFile(path, p, this.o.spoolDir, this.sniffer, this.warn);
      if (!probed) return true;
      const { info, st } = probed;
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
        handedOff = true;
        return this.handOff(this.parsed, path, p, src, info, st);
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
      after.push(() => this.results.failed(path, p, code, getErrorMessage(e), counts, effects));
      handedOff = true;
      return true;
    } finally {
      if (!handedOff) {
        const done = outcome;
        after.push(() =>
          done
            ? this.results.completed(path, p, done, { counts, effects })
            : this.results.finishFile(p, counts, effects),
        );
      }
    }
  }

  /** A line source goes to the parser thread; false when the thread has all it can take (back to the queue). */
  private handOff(
    parsed: ParsedFiles,
    path: string,
    p: PendingFile,
    src: LineSource,
    info: SourceInfo,
    st: Stats,
  ): boolean {
    if (parsed.has(path)) {
      parsed.again(path, p);
      return true;
    }
    if (parsed.full) {
      this.queue.requeue(path, p);
      return false;
    }
    parsed.start(path, p, src, this.renames.checkpointFor(path, info, st), st);
    return true;
  }

  /** An incomplete array file did not change for a while: read it again as final. */
  private settled(path: string): void {
    if (this.closed) return;
    this.queue.add(path, { final: true });
    this.kick();
  }

  private adwTouched(adwDir: string, p: PendingFile): void {
    if (p.jobs.size > 0) for (const j of p.jobs) j.adwDirs.add(adwDir);
    else this.adw.touched(adwDir);
  }

  /** Files queued, ADW runs waiting to settle and files with the parser thread. */
  get pendingFiles(): number {
    return this.queue.size + this.adw.pending + (this.parsed?.size ?? 0);
  }

  status(trackedFiles: number): Omit<IngestStatus, 'watchedRoots'> {
    const oldest = this.queue.oldest();
    return {
      trackedFiles,
      pendingFiles: this.pendingFiles,
      lagMs: oldest === null ? 0 : Date.now() - oldest,
      lastIngestAt: this.report.lastIngestAt,
    };
  }

  /** Stops taking work; what is being written finishes (its transaction is atomic either way). */
  close(): void {
    this.closed = true;
    this.renames.close();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.settle.close();
    this.adw.close();
    for (const p of [...this.queue.drain(), ...(this.parsed?.close() ?? [])]) for (const j of p.jobs) j.abort();
  }
}

export type { EngineOptions, LineSource };
