import type { IngestCounts } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Warnings } from '../warnings.js';
import { addCounts } from './counts.js';
import { publishEffects } from './feed.js';
import type { IngestJob } from './queue.js';
import type { BatchEffects } from './writer.js';

export interface IngestReportOptions {
  hub: Hub;
  logger: Logger;
  warnings: Warnings;
  /** called after rows commit, with the ids of tool calls that just completed */
  onIngested?: (effects: BatchEffects) => void;
}

/**
 * Where committed rows are told: the jobs that asked for them, the live feed, the learner hook,
 * and the time of the last ingest. Warnings go to the log and to the daemon's warning list.
 */
export class IngestReport {
  private last: string | null = null;
  private futureWarned = false;

  constructor(private readonly o: IngestReportOptions) {}

  /** When rows or bytes were last taken in (ISO), or null before the first. */
  get lastIngestAt(): string | null {
    return this.last;
  }

  warn(msg: string): void {
    this.o.logger.warn(msg);
    this.o.warnings.add(msg);
  }

  /** Rows of committed batches: added to the jobs, published, handed to the learner. */
  finish(counts: IngestCounts, effects: BatchEffects, jobs: Iterable<IngestJob>): void {
    if (
      counts.bytes > 0 ||
      counts.hookEvents + counts.toolCalls + counts.usageRecords + counts.workflowRuns + counts.quarantined > 0
    ) {
      this.last = new Date().toISOString();
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
    this.learn(effects);
  }

  private learn(effects: BatchEffects): void {
    if (!this.o.onIngested || (effects.completedCalls.length === 0 && effects.touchedSessions.size === 0)) return;
    try {
      this.o.onIngested(effects);
    } catch (e) {
      this.o.logger.error('learning after ingest failed', e);
    }
  }
}
