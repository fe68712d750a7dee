import { getErrorMessage } from '../../core/errors.js';
import { toolUseTokensEstimate } from '../../core/learning/pattern-economics.js';
import { workflowSignature } from '../../core/learning/workflow-signature.js';
import type { WorkflowRun } from '../../core/types.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import { LearnSessions } from '../store/pattern-fold.js';
import type { Store } from '../store/store.js';
import { CallPatterns } from './call-patterns.js';
import { OperationMemo } from './operation-memo.js';
import { PatternUses, type UseInput } from './pattern-uses.js';
import { SessionPatterns } from './session-patterns.js';

const BATCH = 2000;
const SESSION_SETTLE_MS = 2000;
const SESSION_CHUNK = 1000;
const BUSY_LEARN_MS = 1000;

/** A finished ADW run as a use of its workflow pattern (`sig`: the run's signature). */
function workflowUse(run: WorkflowRun, sig: string): UseInput {
  const t = run.tokens;
  return {
    signature: sig,
    kind: 'workflow',
    occurrenceKey: `wf:${run.adwId}`,
    sessionKey: `wf:${run.adwId}`,
    toolCallId: null,
    ts: run.startedAt ?? run.endedAt ?? new Date().toISOString(),
    cost: {
      tokens: t.inputTokens + t.outputTokens + t.cacheCreationTokens + t.cacheReadTokens,
      costUsd: run.costUsd,
      basis: 'measured',
    },
    toolTokensEst: toolUseTokensEstimate(4096),
    durationMs: run.durationMs,
    ok: run.status === 'success',
    example: run.nlInput ? run.nlInput.slice(0, 300) : null,
    model: run.models[0] ?? null,
  };
}

/**
 * Folds new tool calls and workflow runs into patterns, incrementally: each completed call is read
 * once (it leaves the learning queue in the transaction that updates its pattern), occurrences are
 * keyed UNIQUE, and session-level patterns (sequences, fix loops) are recomputed only for sessions
 * that changed.
 */
export class Learner {
  private scheduled = false;
  /** some session's calls changed since the last learnSessions (which ones: the store's learn_sessions queue) */
  private sessionsChanged = false;
  private sessionTimer: NodeJS.Timeout | null = null;
  private pendingTimer: NodeJS.Timeout | null = null;
  private closed = false;
  onPatternsChanged: ((ids: number[]) => void) | null = null;
  private readonly uses: PatternUses;
  private readonly callPatterns: CallPatterns;
  private readonly sessionQueue: LearnSessions;
  private readonly sessionPatterns: SessionPatterns;

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly logger: Logger,
    /** true while ingestion has work queued: session patterns wait for it (a backfill keeps sessions changing) */
    private readonly busy: () => boolean = () => false,
  ) {
    const operations = new OperationMemo();
    this.uses = new PatternUses(store, hub, logger);
    this.callPatterns = new CallPatterns(store, this.uses, operations);
    this.sessionQueue = new LearnSessions(store.db);
    this.sessionPatterns = new SessionPatterns(store, this.uses, operations, this.sessionQueue);
  }

  /** True while learning has calls or sessions waiting to be read. */
  settling(): boolean {
    return this.scheduled || this.sessionTimer !== null || this.sessionsChanged;
  }

  /**
   * Called after ingest commits; learning runs on the next turn of the event loop. Any session in
   * `sessions` (those the commit touched) also arms the session pass.
   */
  schedule(sessions: Iterable<string> = []): void {
    if (this.closed) return;
    if (!sessions[Symbol.iterator]().next().done) this.sessionsChanged = true;
    if (!this.scheduled) {
      this.scheduled = true;
      const run = (): void => {
        this.pendingTimer = null;
        this.scheduled = false;
        this.learnPending();
      };
      // during a backfill, learn in big batches once a second rather than after every commit
      if (this.busy()) this.pendingTimer = setTimeout(run, BUSY_LEARN_MS);
      else setImmediate(run);
    }
    if (this.sessionsChanged) this.armSessionTimer();
  }

  private armSessionTimer(): void {
    if (this.sessionTimer || this.closed) return;
    this.sessionTimer = setTimeout(() => {
      this.sessionTimer = null;
      if (this.busy()) this.armSessionTimer();
      else this.learnSessions();
    }, SESSION_SETTLE_MS);
  }

  /** Learns every completed call not yet learned; returns how many were read. */
  learnPending(maxBatches = Infinity): number {
    let total = 0;
    for (let b = 0; b < maxBatches && !this.closed; b++) {
      const rows = this.store.toolCalls.unlearnedBatch(BATCH);
      if (rows.length === 0) break;
      try {
        this.uses.inTx(() => {
          for (const r of rows) this.callPatterns.learn(r);
          this.store.toolCalls.setLearned(rows.map((r) => r.id));
        });
      } catch (e) {
        this.logger.error(`learning failed: ${getErrorMessage(e)}`);
        break;
      } finally {
        this.callPatterns.endBatch();
      }
      total += rows.length;
      if (rows.length < BATCH) break;
    }
    this.uses.foldQueued();
    this.flushChanged();
    return total;
  }

  /** A finished ADW run: its signature (never a whole SDLC run) becomes a workflow pattern use. */
  learnWorkflow(run: WorkflowRun): void {
    if (run.status === 'incomplete') return;
    const sig = workflowSignature(run.workflowType, run.nlInput);
    this.uses.inTx(() => {
      this.store.workflows.setSignature(run.adwId, sig);
      if (sig) this.uses.record(workflowUse(run, sig));
    });
    this.uses.foldQueued();
    this.flushChanged();
  }

  /**
   * Fix loops and sequences of the sessions whose calls changed (learn_sessions, kept by triggers in
   * the transactions that wrote the calls, so a kill loses none). Each session is derived again from
   * all its calls: what an earlier, partial view of it produced is removed first.
   */
  learnSessions(): void {
    this.sessionsChanged = false;
    for (;;) {
      if (this.closed) break;
      const chunk = this.sessionQueue.take(SESSION_CHUNK);
      if (chunk.length === 0) break;
      // one transaction (and one fold per pattern) per chunk; when a chunk fails, its sessions are
      // retried one by one so only the failing one is left out (and stays queued)
      try {
        this.uses.inTx(() => {
          for (const sessionId of chunk) this.sessionPatterns.learnAgain(sessionId);
        });
      } catch {
        let failed = false;
        for (const sessionId of chunk) {
          try {
            this.uses.inTx(() => this.sessionPatterns.learnAgain(sessionId));
          } catch (e) {
            // stays queued: learned again on the next pass
            this.logger.warn(`session patterns for ${sessionId}: ${getErrorMessage(e)}`);
            failed = true;
          }
        }
        if (failed) break;
      }
      if (chunk.length < SESSION_CHUNK) break;
    }
    this.uses.foldQueued();
    this.flushChanged();
  }

  private flushChanged(): void {
    const ids = this.uses.takeChanged();
    if (ids.length === 0) return;
    this.hub.publish('pattern', `${ids.length} pattern${ids.length === 1 ? '' : 's'} updated`);
    this.onPatternsChanged?.(ids);
  }

  close(): void {
    this.closed = true;
    this.uses.close();
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.sessionTimer = null;
    this.pendingTimer = null;
  }
}
