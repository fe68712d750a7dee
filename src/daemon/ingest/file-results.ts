import type { IngestCounts } from '../../rpc/protocol.js';
import type { Logger } from '../logger.js';
import { emptyCounts } from './counts.js';
import type { FileOutcome } from './file-outcome.js';
import type { IngestReport } from './ingest-report.js';
import type { PendingFile, PendingQueue } from './queue.js';
import type { Renames } from './renames.js';
import { emptyEffects, type BatchEffects } from './writer.js';

export interface FileResultsOptions {
  queue: PendingQueue;
  renames: Renames;
  /** reads the incomplete array file again as final once it has stopped changing */
  settleLater(path: string): void;
  report: IngestReport;
  logger: Logger;
  /** re-reads the store's row counts (a failed write may have left them off) */
  refreshCounts(): void;
  /** the engine may go on with the queue */
  kick(): void;
  /** the engine tries the queue again after a pause */
  retryLater(): void;
  /** called when a file could not be opened for lack of descriptors */
  onDescriptorPressure?: () => void;
}

/** Rows a file added inline (the parser thread's batches were reported as they committed). */
export interface FileRows {
  counts: IngestCounts;
  effects: BatchEffects;
}

/**
 * How a file's turn ends once its rows are committed: read again when there is more, settle timers
 * for incomplete array files, renames cleaned up, its jobs told; or, when it failed, a warning (or
 * a retry when the process ran out of descriptors).
 */
export class FileResults {
  constructor(private readonly o: FileResultsOptions) {}

  /** A file was read (inline or by the parser thread) and its rows are committed. */
  completed(path: string, p: PendingFile, outcome: FileOutcome, rows: FileRows | null): void {
    const r = outcome.result;
    const counts = rows?.counts ?? emptyCounts();
    if (outcome.renamedFrom && r && r.bytes >= 0) this.o.renames.forget(outcome.renamedFrom, outcome.st);
    if (r) {
      if (r.restarted) this.o.logger.info(`${path}: ${r.restarted}; read again from the start`);
      if (r.bytes > 0) for (const j of p.jobs) j.filesRead.add(path);
      counts.bytes += r.bytes;
      if (r.pendingTail > 0 && p.final && r.done && !r.unsettled) {
        this.o.report.warn(`${path}: the last ${r.pendingTail} byte(s) are not a complete line; waiting for a newline`);
      }
      if (r.unsettled) this.o.settleLater(path);
      if (!r.done) {
        this.o.report.finish(counts, rows?.effects ?? emptyEffects(), p.jobs);
        this.o.queue.requeue(path, p);
        this.o.kick();
        return;
      }
    }
    this.finishFile(p, counts, rows?.effects ?? emptyEffects());
  }

  failed(
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
      this.o.report.warn(`out of file descriptors (${code}); files that could not be opened are read again shortly`);
      this.o.queue.requeue(path, p);
      this.o.report.finish(counts, effects, []);
      this.o.retryLater();
      this.o.onDescriptorPressure?.();
      return;
    } else {
      this.o.report.warn(`cannot ingest ${path}: ${message}`);
      this.o.refreshCounts();
    }
    this.finishFile(p, counts, effects);
  }

  /** The file is done for now: its rows go to its jobs, each of which has one file fewer to wait for. */
  finishFile(p: PendingFile, counts: IngestCounts, effects: BatchEffects): void {
    this.o.report.finish(counts, effects, p.jobs);
    for (const j of p.jobs) j.fileDone();
  }
}
