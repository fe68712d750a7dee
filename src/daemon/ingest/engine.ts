import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import { getErrorMessage, isNodeError } from '../../core/errors.js';
import { classifyPath, sniffKind, type SourceInfo } from '../../core/source-kind.js';
import type { WorkflowRun } from '../../core/types.js';
import type { IngestCounts, IngestStatus } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { Warnings } from '../warnings.js';
import { assembleFromDir, adwIdOf } from './adw-assembler.js';
import { addCounts, emptyCounts } from './counts.js';
import { ingestArrayFile, ingestLineFile, ingestSpoolFile, type FileResult } from './file-sources.js';
import { publishEffects } from './feed.js';
import { emptyEffects, RowWriter, type BatchEffects } from './writer.js';

export interface EngineOptions {
  store: Store;
  hub: Hub;
  logger: Logger;
  warnings: Warnings;
  spoolDir: string;
  /** called after rows commit, with the ids of tool calls that just completed */
  onIngested?: (effects: BatchEffects) => void;
  /** called after a workflow run is stored */
  onWorkflow?: (run: WorkflowRun) => void;
  /** ADW dirs settle this long after their last change before they are re-read */
  adwSettleMs?: number;
}

/** Time slice per turn of the event loop, so RPC requests stay answered during a large ingest. */
const SLICE_MS = 40;

function sniffFile(path: string): SourceInfo | null {
  if (!/\.jsonl?$/i.test(path)) return null;
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
    const kind = sniffKind(first);
    return kind && kind !== 'spool' && kind !== 'adw-state' && kind !== 'adw-prompt' ? { kind, adwId: null, agentName: null, adwDir: null } : null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * The single writer: a queue of changed files processed one at a time, in time slices. Each file
 * is read from its checkpoint; rows and the new checkpoint commit in one transaction.
 */
export class IngestEngine {
  private readonly pending = new Map<string, { since: number; explicit: boolean }>();
  private readonly adwPending = new Map<string, NodeJS.Timeout | null>();
  private running = false;
  private closed = false;
  private lastIngestAt: string | null = null;
  private idleWaiters: (() => void)[] = [];
  /** counts of rows added, for the current `ingest/run` call (null when none runs) */
  private readonly counters = new Set<IngestCounts>();

  constructor(private readonly o: EngineOptions) {}

  /** A file was added or changed (watcher) or named by `ingest/run` (explicit: sniff unknown layouts). */
  enqueue(path: string, explicit = false): void {
    if (this.closed) return;
    const cur = this.pending.get(path);
    this.pending.set(path, { since: cur?.since ?? Date.now(), explicit: explicit || (cur?.explicit ?? false) });
    this.kick();
  }

  /** A watched file disappeared: its rows stay; its checkpoint goes so a re-created file starts over. */
  removed(path: string): void {
    if (this.closed) return;
    try {
      this.o.store.offsets.delete(path);
    } catch (e) {
      this.o.logger.warn(`forgetting checkpoint of ${path} failed`, e);
    }
  }

  private readonly sniffed = new Map<string, SourceInfo | null>();

  private sniff(path: string): SourceInfo | null {
    if (this.sniffed.has(path)) return this.sniffed.get(path) ?? null;
    const info = sniffFile(path);
    if (this.sniffed.size > 10_000) this.sniffed.clear();
    this.sniffed.set(path, info);
    return info;
  }

  private kick(): void {
    if (this.running || this.closed) return;
    this.running = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    const started = Date.now();
    try {
      while (this.pending.size > 0 && Date.now() - started < SLICE_MS && !this.closed) {
        const next = this.pending.entries().next().value;
        if (!next) break;
        const [path, meta] = next;
        this.pending.delete(path);
        this.processOne(path, meta.explicit);
      }
    } finally {
      if (this.pending.size > 0 && !this.closed) {
        setImmediate(() => this.turn());
      } else {
        this.running = false;
        if (this.adwPending.size === 0 || [...this.adwPending.values()].every((t) => t !== null)) this.notifyIdle();
      }
    }
  }

  private processOne(path: string, explicit: boolean): void {
    const counts = emptyCounts();
    const effects = emptyEffects();
    let info = classifyPath(path, this.o.spoolDir);
    try {
      const st = lstatSync(path);
      if (!st.isFile()) {
        if (st.isDirectory()) this.o.warnings.add(`${path} is a directory, not a file; skipped`);
        return;
      }
      if (!info && (explicit || /\.jsonl$/i.test(path))) info = this.sniff(path);
      if (!info) return;
      const w = (): RowWriter => new RowWriter(this.o.store, counts, effects);
      let r: FileResult;
      switch (info.kind) {
        case 'spool':
          r = ingestSpoolFile(this.o.store, path, w());
          break;
        case 'hook-array':
        case 'stream-array':
          r = ingestArrayFile(this.o.store, path, info, w());
          break;
        case 'transcript':
        case 'hook-jsonl':
        case 'stream-jsonl':
          r = ingestLineFile(this.o.store, path, info, w, { final: explicit });
          break;
        case 'adw-state':
        case 'adw-prompt':
          r = { done: true, bytes: 0, restarted: null };
          break;
      }
      if (r.restarted) this.o.logger.info(`${path}: ${r.restarted}; read again from the start`);
      if (!r.done) this.enqueue(path, explicit);
      counts.files = r.done && r.bytes > 0 ? 1 : 0;
      counts.bytes = r.bytes;
      if (info.adwDir) this.scheduleAdw(info.adwDir, explicit);
    } catch (e) {
      if (isNodeError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return; // vanished mid-read
      const msg = `cannot ingest ${path}: ${getErrorMessage(e)}`;
      this.o.logger.warn(msg);
      this.o.warnings.add(msg);
      this.o.store.counts.refresh();
      return;
    } finally {
      this.finish(counts, effects);
    }
  }

  private finish(counts: IngestCounts, effects: BatchEffects): void {
    if (counts.bytes > 0 || counts.hookEvents + counts.toolCalls + counts.usageRecords + counts.workflowRuns + counts.quarantined > 0) {
      this.lastIngestAt = new Date().toISOString();
    }
    for (const c of this.counters) addCounts(c, counts);
    publishEffects(this.o.hub, effects);
    if (this.o.onIngested && (effects.completedCalls.length > 0 || effects.touchedSessions.size > 0)) {
      try {
        this.o.onIngested(effects);
      } catch (e) {
        this.o.logger.error('learning after ingest failed', e);
      }
    }
  }

  private scheduleAdw(adwDir: string, immediate: boolean): void {
    const prev = this.adwPending.get(adwDir);
    if (prev) clearTimeout(prev);
    if (immediate) {
      this.adwPending.set(adwDir, null);
      return;
    }
    const t = setTimeout(() => {
      this.adwPending.delete(adwDir);
      this.assembleAdw(adwDir);
      if (!this.running && this.adwPending.size === 0) this.notifyIdle();
    }, this.o.adwSettleMs ?? 250);
    this.adwPending.set(adwDir, t);
  }

  private assembleAdw(adwDir: string): void {
    const counts = emptyCounts();
    const effects = emptyEffects();
    try {
      const out = assembleFromDir(adwDir, adwIdOf(adwDir));
      if (!out.ok) {
        this.o.logger.debug(`${adwDir}: ${out.reason}; will retry on the next change`);
        return;
      }
      const created = this.o.store.tx(() => this.o.store.workflows.upsert(out.run));
      if (created) {
        counts.workflowRuns++;
        this.o.store.counts.add('workflowRuns', 1);
      }
      try {
        this.o.onWorkflow?.(out.run);
      } catch (e) {
        this.o.logger.error('learning from a workflow run failed', e);
      }
      this.o.hub.publish('workflow_run', `workflow ${out.run.adwId} ${out.run.workflowType ?? '?'} ${out.run.status} $${out.run.costUsd.toFixed(2)}`);
    } catch (e) {
      this.o.logger.warn(`cannot read ADW run ${adwDir}: ${getErrorMessage(e)}`);
    } finally {
      this.finish(counts, effects);
    }
  }

  /** Runs the ADW assemblies that `ingest/run` deferred to the end of its pass. */
  private flushImmediateAdw(): void {
    for (const [dir, t] of [...this.adwPending]) {
      if (t !== null) continue;
      this.adwPending.delete(dir);
      this.assembleAdw(dir);
    }
  }

  /** Ingests the given files now and resolves with the rows this call added. */
  async ingestFiles(paths: string[]): Promise<IngestCounts> {
    const counts = emptyCounts();
    this.counters.add(counts);
    try {
      for (const p of paths) this.enqueue(p, true);
      await this.whenIdle();
      this.flushImmediateAdw();
      return counts;
    } finally {
      this.counters.delete(counts);
    }
  }

  private whenIdle(): Promise<void> {
    if (!this.running && this.pending.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private notifyIdle(): void {
    const ws = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of ws) w();
  }

  status(trackedFiles: number): Omit<IngestStatus, 'watchedRoots'> {
    let oldest = Infinity;
    for (const v of this.pending.values()) oldest = Math.min(oldest, v.since);
    return {
      trackedFiles,
      pendingFiles: this.pending.size + this.adwPending.size,
      lagMs: oldest === Infinity ? 0 : Date.now() - oldest,
      lastIngestAt: this.lastIngestAt,
    };
  }

  /** Stops taking work; the file being processed finishes (its transaction is atomic either way). */
  close(): void {
    this.closed = true;
    for (const t of this.adwPending.values()) if (t) clearTimeout(t);
    this.adwPending.clear();
    this.pending.clear();
    this.notifyIdle();
  }
}
