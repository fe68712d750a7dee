import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getErrorMessage } from '../../core/errors.js';
import type { WorkflowRun } from '../../core/types.js';
import type { IngestCounts } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { assembleFromDir, adwIdOf } from './adw-assembler.js';
import { emptyCounts } from './counts.js';
import type { IngestJob } from './queue.js';
import { SettleTimers } from './settle-timers.js';
import { emptyEffects, RowWriter, type BatchEffects } from './writer.js';

export interface AdwRunsOptions {
  store: Store;
  hub: Hub;
  logger: Logger;
  warn(msg: string): void;
  /** what a finished assembly added, for the live feed and the jobs */
  finish(counts: IngestCounts, effects: BatchEffects, jobs: Iterable<IngestJob>): void;
  onWorkflow?: (run: WorkflowRun) => void;
  settleMs: number;
  finalSettleMs: number;
}

/**
 * ADW run dirs (`agents/<adw_id>/`) become workflow_runs rows, read whole once they have been
 * quiet for `settleMs`. State writes are not atomic: a torn `adw_state.json` is retried on the
 * next change, and read as final (the run built without it, the state quarantined) only after
 * `finalSettleMs` without a change, or in an explicit ingest.
 */
export class AdwRuns {
  private readonly timers = new SettleTimers();
  private closed = false;

  constructor(private readonly o: AdwRunsOptions) {}

  get pending(): number {
    return this.timers.size;
  }

  /** A file of the run changed (watcher). */
  touched(adwDir: string): void {
    this.schedule(adwDir, false, this.o.settleMs);
  }

  private schedule(adwDir: string, final: boolean, delayMs: number): void {
    this.timers.later(adwDir, delayMs, () => {
      if (this.closed) return;
      if (!this.assemble(adwDir, final, []) && !final) this.schedule(adwDir, true, this.o.finalSettleMs);
    });
  }

  /** Reads the run now. Returns false when it should be retried once it settles. */
  assemble(adwDir: string, final: boolean, jobs: IngestJob[]): boolean {
    if (final) this.timers.cancel(adwDir);
    const { store } = this.o;
    const counts = emptyCounts();
    const effects = emptyEffects();
    try {
      const out = assembleFromDir(adwDir, adwIdOf(adwDir), { final });
      const statePath = join(adwDir, 'adw_state.json');
      const w = new RowWriter(store, counts, effects);
      if (!out.ok) {
        if (out.retry && !final) {
          this.o.logger.debug(`${adwDir}: ${out.reason}; will retry once it settles`);
          return false;
        }
        if (!out.retry) store.tx(() => w.quarantine(statePath, inoOf(statePath), 0, out.reason, excerptOf(statePath)));
        return true;
      }
      const change = store.tx(() => {
        if (out.stateError)
          w.quarantine(statePath, inoOf(statePath), 0, `adw_state.json: ${out.stateError}`, excerptOf(statePath));
        return w.workflowRun(out.run);
      });
      if (change !== 'same') {
        try {
          this.o.onWorkflow?.(out.run);
        } catch (e) {
          this.o.logger.error('learning from a workflow run failed', e);
        }
        const r = out.run;
        this.o.hub.publish(
          'workflow_run',
          `workflow ${r.adwId} ${r.workflowType ?? '?'} ${r.status} $${r.costUsd.toFixed(2)}`,
        );
      }
      return true;
    } catch (e) {
      this.o.warn(`cannot read ADW run ${adwDir}: ${getErrorMessage(e)}`);
      return true;
    } finally {
      this.o.finish(counts, effects, jobs);
    }
  }

  close(): void {
    this.closed = true;
    this.timers.close();
  }
}

function inoOf(path: string): number {
  try {
    return statSync(path).ino;
  } catch {
    return 0;
  }
}

/** The first bytes of a file, for a quarantine excerpt. */
function excerptOf(path: string): Buffer {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(200);
    return buf.subarray(0, readSync(fd, buf, 0, 200, 0));
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
