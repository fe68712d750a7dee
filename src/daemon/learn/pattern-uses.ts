/**
 * Uses of patterns as the learner finds them: each is stored as an occurrence (creating its pattern
 * when new), and the patterns a transaction touched are queued in it and folded again from their
 * occurrences once the pass is over.
 */
import { getErrorMessage } from '../../core/errors.js';
import type { UseCost } from '../../core/learning/pattern-economics.js';
import type { PatternKind } from '../../core/types.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import { PatternFold } from '../store/pattern-fold.js';
import type { Store } from '../store/store.js';

/** Patterns folded per transaction. */
const FOLD_CHUNK = 200;

export interface UseInput {
  signature: string;
  kind: PatternKind;
  occurrenceKey: string;
  sessionKey: string;
  toolCallId: number | null;
  ts: string;
  /** `ts` in ms, when known */
  tsMs?: number;
  cost: UseCost;
  toolTokensEst: number;
  durationMs: number | null;
  ok: boolean | null;
  example: string | null;
  model: string | null;
  /** set when the caller knows the pattern has no occurrence in this session yet */
  sessionIsNew?: boolean;
}

export class PatternUses {
  private readonly fold: PatternFold;
  /** pattern ids by signature, known during the current transaction */
  private readonly pending = new Map<string, number>();
  /** patterns whose occurrences this transaction changed: folded again at its end */
  private readonly touched = new Set<number>();
  /** patterns whose figures changed since they were last taken (takeChanged) */
  private readonly changed = new Set<number>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly logger: Logger,
  ) {
    this.fold = new PatternFold(store.db, store.counts);
  }

  /**
   * Stores one use of a pattern (creating the pattern): the occurrence key makes learning the same
   * use again replace it, and the pattern's figures are folded again from its occurrences when the
   * transaction ends.
   */
  record(u: UseInput): void {
    const id = this.patternIdOf(u.signature, u.kind, u.ts, u.model);
    this.fold.upsert(id, {
      occurrenceKey: u.occurrenceKey,
      sessionKey: u.sessionKey,
      toolCallId: u.toolCallId,
      ts: u.ts,
      tsMs: u.tsMs ?? Date.parse(u.ts),
      llmTokens: u.cost.tokens,
      llmCost: u.cost.costUsd,
      basis: u.cost.basis,
      durationMs: u.durationMs,
      ok: u.ok,
      toolTokensEst: u.toolTokensEst,
      example: u.example,
      model: u.model,
    });
    this.touched.add(id);
  }

  /** The id of the pattern of `signature`, created (and announced) when new. */
  patternIdOf(signature: string, kind: PatternKind, ts: string, model: string | null): number {
    const known = this.pending.get(signature);
    if (known !== undefined) return known;
    const { row, created } = this.store.patterns.ensure(signature, kind, ts, model);
    if (created) {
      this.hub.publish('pattern', `new pattern ${signature}`, { patternId: row.id });
    }
    this.pending.set(signature, row.id);
    return row.id;
  }

  /** Marks patterns whose occurrences changed outside `record`: they are folded again too. */
  touch(ids: Iterable<number>): void {
    for (const id of ids) this.touched.add(id);
  }

  /** Removes the occurrence `key` from every pattern but `keep` (a call belongs to one pattern at most). */
  moveKey(key: string, keep: number | null): void {
    this.touch(this.fold.removeKeyElsewhere(key, keep));
  }

  /** Removes every occurrence of a pattern. */
  clear(patternId: number): void {
    this.fold.clear(patternId);
    this.touched.add(patternId);
  }

  occurrenceCount(patternId: number): number {
    return this.fold.occurrenceCount(patternId);
  }

  /**
   * Runs fn in one transaction and queues the patterns it touched in the same transaction: they are
   * folded once the pass is over (foldQueued), not once per batch, and a kill in between loses none.
   * On failure nothing is kept in memory either.
   */
  inTx(fn: () => void): void {
    try {
      this.store.tx(() => {
        fn();
        this.fold.queue(this.touched);
      });
    } finally {
      this.pending.clear();
      this.touched.clear();
    }
  }

  /** Folds the queued patterns from their occurrences, a chunk per transaction. */
  foldQueued(): void {
    while (!this.closed) {
      const ids = this.fold.queued(FOLD_CHUNK);
      if (ids.length === 0) return;
      try {
        this.store.tx(() => {
          for (const id of ids) this.refold(id);
        });
      } catch (e) {
        this.logger.error(`folding patterns failed: ${getErrorMessage(e)}`);
        return;
      }
    }
  }

  private refold(id: number): void {
    const r = this.fold.refold(id);
    this.fold.folded(id);
    if (r === 'changed') this.changed.add(id);
    else if (r === 'dropped') this.changed.delete(id);
  }

  /** The patterns whose figures changed since the last call. */
  takeChanged(): number[] {
    const ids = [...this.changed];
    this.changed.clear();
    return ids;
  }

  close(): void {
    this.closed = true;
  }
}
