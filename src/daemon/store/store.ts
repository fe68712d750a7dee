import type { Database } from 'better-sqlite3';
import { ContextRepo } from './context-repo.js';
import { CountsRepo } from './counts-repo.js';
import { HookEventsRepo } from './hook-events-repo.js';
import { MetaRepo } from './meta-repo.js';
import { OffloadRepo } from './offload-repo.js';
import { OffsetsRepo } from './offsets-repo.js';
import { OutputsRepo } from './outputs-repo.js';
import { ToolsRepo } from './tools-repo.js';
import { PatternsRepo } from './patterns-repo.js';
import { QuarantineRepo } from './quarantine-repo.js';
import { QuotaRepo } from './quota-repo.js';
import { ReplayRepo } from './replay-repo.js';
import { SavingsRepo } from './savings-repo.js';
import { ToolCallsRepo } from './tool-calls-repo.js';
import { UsageRepo } from './usage-repo.js';
import { WorkflowsRepo } from './workflows-repo.js';
import { CorruptDatabaseError, isCorruptionError, openDatabase, openReadOnly } from './db.js';

/** The daemon's store: the database plus one repository per aggregate. */
export class Store {
  readonly counts: CountsRepo;
  readonly offsets: OffsetsRepo;
  readonly quarantine: QuarantineRepo;
  readonly hookEvents: HookEventsRepo;
  readonly toolCalls: ToolCallsRepo;
  readonly outputs: OutputsRepo;
  readonly replay: ReplayRepo;
  readonly usage: UsageRepo;
  readonly workflows: WorkflowsRepo;
  readonly quota: QuotaRepo;
  readonly contextProfiles: ContextRepo;
  readonly patterns: PatternsRepo;
  readonly tools: ToolsRepo;
  readonly savings: SavingsRepo;
  readonly meta: MetaRepo;
  readonly offload: OffloadRepo;

  constructor(readonly db: Database) {
    this.counts = new CountsRepo(db);
    this.offsets = new OffsetsRepo(db);
    this.quarantine = new QuarantineRepo(db, this.counts);
    this.hookEvents = new HookEventsRepo(db, this.counts);
    this.outputs = new OutputsRepo(db);
    this.toolCalls = new ToolCallsRepo(db, this.counts, this.outputs);
    this.replay = new ReplayRepo(db);
    this.usage = new UsageRepo(db, this.counts);
    this.workflows = new WorkflowsRepo(db, this.counts);
    this.quota = new QuotaRepo(db);
    this.contextProfiles = new ContextRepo(db);
    this.patterns = new PatternsRepo(db, this.counts);
    this.tools = new ToolsRepo(db);
    this.savings = new SavingsRepo(db);
    this.meta = new MetaRepo(db);
    this.offload = new OffloadRepo(db, this.meta);
  }

  /** Opens and migrates; a damaged file (even past its header) gives CorruptDatabaseError. */
  static open(dbPath: string): Store {
    const db = openDatabase(dbPath);
    try {
      return new Store(db);
    } catch (e) {
      db.close();
      throw isCorruptionError(e) ? new CorruptDatabaseError(dbPath, e) : e;
    }
  }

  /** Opens an existing store read-only (no migration): a reader beside the daemon, which writes. */
  static openReadOnly(dbPath: string): Store {
    const db = openReadOnly(dbPath);
    try {
      return new Store(db);
    } catch (e) {
      db.close();
      throw isCorruptionError(e) ? new CorruptDatabaseError(dbPath, e) : e;
    }
  }

  /** Runs fn in one IMMEDIATE transaction; on failure nothing is written and counts are re-read. */
  tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (e) {
      this.counts.refresh();
      throw e;
    }
  }

  close(): void {
    if (this.db.open) {
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // best effort
      }
      this.db.close();
    }
  }
}
