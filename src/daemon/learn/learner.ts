import { getErrorMessage } from '../../core/errors.js';
import { detectFixLoops, type CallStep } from '../../core/learning/fix-loops.js';
import { operationForTool, type Operation } from '../../core/learning/operation.js';
import {
  llmUseCost,
  toolUseTokensEstimate,
  TURN_WINDOW_MS,
  type TurnUsage,
  type UseCost,
} from '../../core/learning/pattern-economics.js';
import { SEQUENCE_MIN_SESSIONS, sessionSequenceGrams } from '../../core/learning/sequences.js';
import type { PatternKind, WorkflowRun } from '../../core/types.js';
import { workflowSignature } from '../../core/learning/workflow-signature.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import { LearnSessions, PatternFold } from '../store/pattern-fold.js';
import type { Store } from '../store/store.js';
import type { LearnCallRow } from '../store/tool-calls-repo.js';

const BATCH = 2000;
const SESSION_SETTLE_MS = 2000;
const SESSION_CHUNK = 1000;
/** Patterns folded per transaction. */
const FOLD_CHUNK = 200;
const BUSY_LEARN_MS = 1000;
/** Distinct (tool, cwd, command) operations remembered between batches: agents repeat commands. */
const OPERATION_MEMO = 8192;

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

function outcome(r: Pick<LearnCallRow, 'exit_code' | 'is_error' | 'interrupted'>): boolean | null {
  if (r.interrupted) return null;
  if (r.is_error === 1 || (r.exit_code !== null && r.exit_code !== 0)) return false;
  if (r.exit_code === 0 || r.is_error === 0) return true;
  return null;
}

function sessionKeyOf(r: LearnCallRow): string {
  return r.session_id ?? (r.workflow_id ? `wf:${r.workflow_id}` : `call:${r.call_key}`);
}

/**
 * Folds new tool calls and workflow runs into patterns, incrementally: each completed call is read
 * once (it leaves the learning queue in the transaction that updates its pattern), occurrences are
 * keyed UNIQUE, and session-level patterns (sequences, fix loops) are recomputed only for sessions
 * that changed.
 */
export class Learner {
  private scheduled = false;
  private readonly dirtySessions = new Map<string, number>();
  private sessionTimer: NodeJS.Timeout | null = null;
  private pendingTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** patterns whose occurrences changed since the last notification */
  private readonly changed = new Set<number>();
  onPatternsChanged: ((ids: number[]) => void) | null = null;
  /** pattern ids by signature, known during the current transaction */
  private readonly pending = new Map<string, number>();
  /** patterns whose occurrences this transaction changed: folded again at its end */
  private readonly touched = new Set<number>();
  private readonly fold: PatternFold;
  private readonly sessionQueue: LearnSessions;
  private readonly operations = new Map<string, Operation | null>();
  /** per session, the last turn found (valid during one learnPending: usage rows do not change there) */
  private readonly turns = new Map<string, { tsMs: number; end: number; turn: TurnUsage; model: string }>();

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly logger: Logger,
    /** true while ingestion has work queued: session patterns wait for it (a backfill keeps sessions changing) */
    private readonly busy: () => boolean = () => false,
  ) {
    this.fold = new PatternFold(store.db);
    this.sessionQueue = new LearnSessions(store.db);
  }

  /** True while learning has calls or sessions waiting to be read. */
  settling(): boolean {
    return this.scheduled || this.sessionTimer !== null || this.dirtySessions.size > 0;
  }

  /** Called after ingest commits; learning runs on the next turn of the event loop. */
  schedule(sessions: Iterable<string> = []): void {
    if (this.closed) return;
    const now = Date.now();
    for (const s of sessions) this.dirtySessions.set(s, now);
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
    if (this.dirtySessions.size > 0) this.armSessionTimer();
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
        this.inTx(() => {
          for (const r of rows) this.learnCall(r);
          this.store.toolCalls.setLearned(rows.map((r) => r.id));
        });
      } catch (e) {
        this.logger.error(`learning failed: ${getErrorMessage(e)}`);
        break;
      } finally {
        this.turns.clear();
      }
      total += rows.length;
      if (rows.length < BATCH) break;
    }
    this.foldQueued();
    this.flushChanged();
    return total;
  }

  /** operationForTool, remembered: the same commands come back all day. */
  private operationOf(r: LearnCallRow): Operation | null {
    if (r.command === null || r.tool_name.toLowerCase() !== 'bash') return null;
    const key = `${r.cwd ?? ''}\0${r.command}`;
    const hit = this.operations.get(key);
    if (hit !== undefined) return hit;
    const op = operationForTool(r.tool_name, r.command, r.cwd);
    if (this.operations.size >= OPERATION_MEMO) this.operations.clear();
    this.operations.set(key, op);
    return op;
  }

  /** Folds one call into its pattern (nothing when it is not an operation). */
  private learnCall(r: LearnCallRow): void {
    const op = this.operationOf(r);
    const key = `call:${r.call_key}`;
    // a call belongs to one pattern at most: learned before with another command or cwd, it moves
    const ts = r.started_at ?? r.ended_at ?? new Date(0).toISOString();
    const keep = op ? this.patternIdOf(op.signature, 'command', ts, r.model) : null;
    for (const id of this.fold.removeKeyElsewhere(key, keep)) this.touched.add(id);
    if (!op) return;
    this.recordUse({
      signature: op.signature,
      kind: 'command',
      occurrenceKey: key,
      sessionKey: sessionKeyOf(r),
      toolCallId: r.id,
      ts,
      cost: this.useCost(r),
      toolTokensEst: toolUseTokensEstimate(r.response_bytes),
      durationMs: r.duration_ms,
      ok: outcome(r),
      example: op.normalized || r.command,
      model: r.model,
    });
  }

  /** The measured turn when the session's usage records are known, else the byte estimate. */
  private useCost(r: LearnCallRow): UseCost {
    let turn = null;
    let model = r.model;
    if (r.session_id && r.ts_ms !== null) {
      const t = this.turnOf(r.session_id, r.ts_ms);
      if (t) {
        turn = t.turn;
        model ??= t.model;
      }
    }
    return llmUseCost({ model, inputBytes: r.input_bytes, responseBytes: r.response_bytes, turn });
  }

  /**
   * The turn (assistant response) that issued a call at `tsMs`: the session's latest usage record
   * at or before it (within 10 min), shared by the calls up to the next record. Calls of one turn
   * come together, so the last turn found per session answers most lookups without a query.
   */
  private turnOf(sessionId: string, tsMs: number): { turn: TurnUsage; model: string } | null {
    const last = this.turns.get(sessionId);
    if (last && tsMs >= last.tsMs && tsMs < last.end && tsMs - last.tsMs <= TURN_WINDOW_MS) return last;
    const t = this.store.usage.turnAt(sessionId, tsMs);
    if (!t) return null;
    const end = t.nextMs ?? t.tsMs + TURN_WINDOW_MS;
    const calls = Math.max(1, this.store.toolCalls.countInSession(sessionId, t.tsMs, end));
    const found = {
      tsMs: t.tsMs,
      end,
      turn: { outputTokens: t.outputTokens, costUsd: t.costUsd, callsInTurn: calls },
      model: t.model,
    };
    this.turns.set(sessionId, found);
    return found;
  }

  /**
   * Stores one use of a pattern (creating the pattern): the occurrence key makes learning the same
   * use again replace it, and the pattern's figures are folded again from its occurrences when the
   * transaction ends.
   */
  recordUse(u: UseInput): void {
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

  private patternIdOf(signature: string, kind: PatternKind, ts: string, model: string | null): number {
    const known = this.pending.get(signature);
    if (known !== undefined) return known;
    const { row, created } = this.store.patterns.ensure(signature, kind, ts, model);
    if (created) {
      this.store.counts.add('patterns', 1);
      this.hub.publish('pattern', `new pattern ${signature}`, { patternId: row.id });
    }
    this.pending.set(signature, row.id);
    return row.id;
  }

  /**
   * Queues the patterns this transaction touched, in the same transaction: they are folded once
   * the pass is over (foldQueued), not once per batch, and a kill in between loses none.
   */
  private writePending(): void {
    this.fold.queue(this.touched);
    this.touched.clear();
    this.pending.clear();
  }

  /** Folds the queued patterns from their occurrences, a chunk per transaction. */
  private foldQueued(): void {
    while (!this.closed) {
      const ids = this.fold.queued(FOLD_CHUNK);
      if (ids.length === 0) return;
      try {
        this.store.tx(() => {
          for (const id of ids) {
            const r = this.fold.refold(id);
            this.fold.folded(id);
            if (r === 'changed') this.changed.add(id);
            else if (r === 'dropped') {
              this.store.counts.add('patterns', -1);
              this.changed.delete(id);
            }
          }
        });
      } catch (e) {
        this.logger.error(`folding patterns failed: ${getErrorMessage(e)}`);
        return;
      }
    }
  }

  /** Runs fn and writePending in one transaction; on failure nothing is kept in memory either. */
  private inTx(fn: () => void): void {
    try {
      this.store.tx(() => {
        fn();
        this.writePending();
      });
    } finally {
      this.pending.clear();
      this.touched.clear();
    }
  }

  /** A finished ADW run: its signature (never a whole SDLC run) becomes a workflow pattern use. */
  learnWorkflow(run: WorkflowRun): void {
    if (run.status === 'incomplete') return;
    const sig = workflowSignature(run.workflowType, run.nlInput);
    this.inTx(() => this.learnWorkflowIn(run, sig));
    this.foldQueued();
    this.flushChanged();
  }

  private learnWorkflowIn(run: WorkflowRun, sig: string | null): void {
    this.store.workflows.setSignature(run.adwId, sig);
    if (!sig) return;
    const t = run.tokens;
    this.recordUse({
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
    });
  }

  /**
   * Fix loops and sequences of the sessions whose calls changed (learn_sessions, kept by triggers in
   * the transactions that wrote the calls, so a kill loses none). Each session is derived again from
   * all its calls: what an earlier, partial view of it produced is removed first.
   */
  learnSessions(): void {
    this.dirtySessions.clear();
    for (;;) {
      if (this.closed) break;
      const chunk = this.sessionQueue.take(SESSION_CHUNK);
      if (chunk.length === 0) break;
      // one transaction (and one fold per pattern) per chunk; when a chunk fails, its sessions are
      // retried one by one so only the failing one is left out (and stays queued)
      try {
        this.inTx(() => {
          for (const sessionId of chunk) this.learnSessionAgain(sessionId);
        });
      } catch {
        let failed = false;
        for (const sessionId of chunk) {
          try {
            this.inTx(() => this.learnSessionAgain(sessionId));
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
    this.foldQueued();
    this.flushChanged();
  }

  private learnSessionAgain(sessionId: string): void {
    const { patternIds, signatures } = this.sessionQueue.clearDerived(sessionId);
    for (const id of patternIds) this.touched.add(id);
    const sighted = this.learnSession(sessionId);
    // sequences this session no longer shows may have dropped below the sessions a pattern needs
    for (const sig of signatures) if (!sighted.has(sig)) this.settleSequence(sig, false);
    this.sessionQueue.done(sessionId);
  }

  /**
   * A sequence is a pattern while seen in SEQUENCE_MIN_SESSIONS sessions or more: its uses are its
   * sightings, each priced from its own session. `grown`: this session's sighting was just added.
   */
  private settleSequence(signature: string, grown: boolean, example?: string, parts = 0): void {
    const uses = this.store.patterns.sightings(signature);
    const existing = this.store.patterns.bySignature(signature);
    if (uses.length < SEQUENCE_MIN_SESSIONS) {
      if (existing) {
        this.fold.clear(existing.id);
        this.touched.add(existing.id);
      }
      return;
    }
    // a pattern already complete needs only this session's use; one just promoted needs them all
    const complete = existing !== null && grown && this.fold.occurrenceCount(existing.id) >= uses.length - 1;
    // the signature is `seq:` + the operations joined by `>`
    const ops = signature.slice(signature.indexOf(':') + 1).split('>');
    const label = example ?? ops.join(' → ');
    const n = parts > 0 ? parts : ops.length;
    for (const s of uses) {
      if (complete && s.session_key !== this.currentSession) continue;
      const ts = new Date(s.ts_ms).toISOString();
      this.recordUse({
        signature,
        kind: 'sequence',
        occurrenceKey: `seq:${s.session_key}`,
        sessionKey: s.session_key,
        toolCallId: null,
        ts,
        tsMs: s.ts_ms,
        cost: { tokens: s.llm_tokens ?? 0, costUsd: s.llm_cost ?? 0, basis: 'estimated' },
        toolTokensEst: toolUseTokensEstimate(0) * n,
        durationMs: null,
        ok: null,
        example: label,
        model: null,
      });
    }
  }

  /** the session being derived (its sighting is the one a complete sequence pattern lacks) */
  private currentSession: string | null = null;

  /** Derives the session's sequences and fix loops; returns the sequences it shows. */
  private learnSession(sessionId: string): Set<string> {
    const sighted = new Set<string>();
    const calls = this.store.toolCalls.sessionForLearning(sessionId);
    // the operation of each call (null: not one), alongside rather than copied into the rows
    const signatures = calls.map((c) => this.operationOf(c)?.signature ?? null);
    const ops: string[] = [];
    let first: LearnCallRow | undefined;
    const costOf = new Map<string, { tokens: number; cost: number }>();
    for (let i = 0; i < calls.length; i++) {
      const sig = signatures[i];
      const c = calls[i];
      if (sig === null || sig === undefined || c === undefined) continue;
      first ??= c;
      ops.push(sig);
      const cost = llmUseCost({
        model: c.model,
        inputBytes: c.input_bytes,
        responseBytes: c.response_bytes,
        turn: null,
      });
      const prev = costOf.get(sig);
      if (prev) {
        prev.tokens = Math.max(prev.tokens, cost.tokens);
        prev.cost = Math.max(prev.cost, cost.costUsd);
      } else costOf.set(sig, { tokens: cost.tokens, cost: cost.costUsd });
    }
    if (first === undefined) return sighted;
    const ts = first.started_at ?? first.ended_at ?? new Date(0).toISOString();
    const tsMs = Date.parse(ts) || 0;
    // every sequence of the session is sighted with its cost here; those seen in enough sessions are patterns
    const grams = sessionSequenceGrams(ops);
    /** a sequence's estimated cost in this session: the sum of its operations' */
    const costHere = (parts: readonly string[]): { tokens: number; cost: number } => {
      let tokens = 0;
      let cost = 0;
      for (const part of parts) {
        const c = costOf.get(part);
        tokens += c?.tokens ?? 0;
        cost += c?.cost ?? 0;
      }
      return { tokens, cost };
    };
    this.store.patterns.sightAll(
      grams.map((gram) => ({ signature: gram.signature, ...costHere(gram.parts), gram })),
      sessionId,
      tsMs,
    );
    this.currentSession = sessionId;
    for (const gram of grams) {
      sighted.add(gram.signature);
      this.settleSequence(gram.signature, true, gram.parts.join(' → '), gram.parts.length);
    }
    this.currentSession = null;
    const steps: CallStep[] = calls.map((c, i) => ({
      signature: signatures[i] ?? null,
      toolName: c.tool_name,
      exitCode: c.exit_code,
      isError: c.is_error === null ? null : c.is_error === 1,
    }));
    for (const loop of detectFixLoops(steps)) {
      const fail = calls[loop.failIndex];
      const pass = calls[loop.passIndex];
      if (!fail || !pass) continue;
      // the loop's cost includes every call in it (reads and searches too), not only commands and edits
      const inLoop = this.store.toolCalls.sessionCallsBetween(sessionId, fail, pass);
      let tokens = 0;
      let cost = 0;
      for (const c of inLoop) {
        const u = llmUseCost({
          model: c.model,
          inputBytes: c.input_bytes,
          responseBytes: c.response_bytes,
          turn: null,
        });
        tokens += u.tokens;
        cost += u.costUsd;
      }
      const dur = fail.ts_ms !== null && pass.ts_ms !== null ? pass.ts_ms - fail.ts_ms + (pass.duration_ms ?? 0) : null;
      this.recordUse({
        signature: loop.signature,
        kind: 'fix_loop',
        occurrenceKey: `fix:${sessionId}:${fail.call_key}`,
        sessionKey: sessionId,
        toolCallId: fail.id,
        ts: fail.started_at ?? fail.ended_at ?? ts,
        cost: { tokens, costUsd: cost, basis: 'estimated' },
        toolTokensEst: toolUseTokensEstimate(pass.response_bytes),
        durationMs: dur,
        ok: true,
        example: `${fail.command ?? loop.signature} (failed, ${loop.edits} edit(s), then passed)`,
        model: fail.model,
      });
    }
    return sighted;
  }

  private flushChanged(): void {
    if (this.changed.size === 0) return;
    const ids = [...this.changed];
    this.changed.clear();
    this.hub.publish('pattern', `${ids.length} pattern${ids.length === 1 ? '' : 's'} updated`);
    this.onPatternsChanged?.(ids);
  }

  close(): void {
    this.closed = true;
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.sessionTimer = null;
    this.pendingTimer = null;
  }
}
