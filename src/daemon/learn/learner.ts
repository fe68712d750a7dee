import { addUse, confidence } from '../../core/confidence.js';
import { getErrorMessage } from '../../core/errors.js';
import { detectFixLoops, type CallStep } from '../../core/fix-loops.js';
import { operationForTool, type Operation } from '../../core/operation.js';
import {
  llmUseCost,
  toolUseTokensEstimate,
  TURN_WINDOW_MS,
  type TurnUsage,
  type UseCost,
} from '../../core/pattern-economics.js';
import { SEQUENCE_MIN_SESSIONS, sessionSequenceGrams, type SessionSequence } from '../../core/sequences.js';
import type { PatternKind, WorkflowRun } from '../../core/types.js';
import { workflowSignature } from '../../core/workflow-signature.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import { statsOf, type PatternRow, type Sighting, type UseAggregate } from '../store/patterns-repo.js';
import type { Store } from '../store/store.js';
import type { LearnCallRow } from '../store/tool-calls-repo.js';

const BATCH = 2000;
const SESSION_SETTLE_MS = 2000;
const SESSION_CHUNK = 1000;
const SEEN_SESSIONS = 200_000;
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
  /** uses folded in memory during the current transaction, written once per pattern at its end */
  private readonly pending = new Map<string, { row: PatternRow; agg: UseAggregate }>();
  private readonly operations = new Map<string, Operation | null>();
  /**
   * The signatures of the sequences that are patterns, as committed, read once: only the learner
   * creates patterns, and a transaction that created some adds them when it commits.
   */
  private sequencePatterns: Set<string> | null = null;
  /** signatures this transaction folded uses into (patterns once it commits) */
  private readonly txSignatures: string[] = [];
  /** `patternId NUL sessionKey` pairs known to have an occurrence (committed), and this transaction's */
  private readonly seenSessions = new Set<string>();
  private readonly txSeenSessions = new Set<string>();
  /** per session, the last turn found (valid during one learnPending: usage rows do not change there) */
  private readonly turns = new Map<string, { tsMs: number; end: number; turn: TurnUsage; model: string }>();

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly logger: Logger,
    /** true while ingestion has work queued: session patterns wait for it (a backfill keeps sessions changing) */
    private readonly busy: () => boolean = () => false,
  ) {}

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
    if (!op) return;
    const ts = r.started_at ?? r.ended_at ?? new Date(0).toISOString();
    this.recordUse({
      signature: op.signature,
      kind: 'command',
      occurrenceKey: `call:${r.call_key}`,
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

  /** Adds one use to a pattern (creating it), unless this occurrence key was counted before. */
  recordUse(u: UseInput): void {
    let p = this.pending.get(u.signature);
    if (!p) {
      const { row, created } = this.store.patterns.ensure(u.signature, u.kind, u.ts, u.model);
      if (created) {
        this.store.counts.add('patterns', 1);
        this.hub.publish('pattern', `new pattern ${u.signature}`, { patternId: row.id });
      }
      p = {
        row,
        agg: {
          stats: statsOf(row),
          llmTokens: 0,
          llmCost: 0,
          measuredUses: 0,
          toolTokensEst: 0,
          examples: [],
          firstTs: u.ts,
          lastTs: u.ts,
          model: u.model,
          confidence: row.confidence,
        },
      };
      this.pending.set(u.signature, p);
    }
    // a caller that knows the session is new (one occurrence key per session) never asks again
    const seenKey = u.sessionIsNew === true ? null : `${p.row.id}\u0000${u.sessionKey}`;
    let sessionSeen: boolean | null = null; // null: the store looks
    if (seenKey === null) sessionSeen = false;
    else if (this.seenSessions.has(seenKey) || this.txSeenSessions.has(seenKey)) sessionSeen = true;
    const added = this.store.patterns.addOccurrence(
      {
        patternId: p.row.id,
        occurrenceKey: u.occurrenceKey,
        sessionKey: u.sessionKey,
        toolCallId: u.toolCallId,
        ts: u.ts,
        tsMs: u.tsMs,
        llmTokens: u.cost.tokens,
        llmCost: u.cost.costUsd,
        basis: u.cost.basis,
        durationMs: u.durationMs,
        ok: u.ok,
      },
      sessionSeen,
    );
    if (!added) return;
    if (seenKey !== null) this.txSeenSessions.add(seenKey);
    const a = p.agg;
    a.stats = addUse(a.stats, { durationMs: u.durationMs, ok: u.ok, newOccurrence: added.newSession });
    a.llmTokens += u.cost.tokens;
    a.llmCost += u.cost.costUsd;
    if (u.cost.basis === 'measured') a.measuredUses++;
    a.toolTokensEst += u.toolTokensEst;
    if (u.example && !a.examples.includes(u.example)) a.examples.unshift(u.example);
    if (a.examples.length > 5) a.examples.length = 5;
    if (u.ts < a.firstTs) a.firstTs = u.ts;
    if (u.ts > a.lastTs) a.lastTs = u.ts;
    a.model = u.model ?? a.model;
  }

  /** Writes what recordUse folded, one UPDATE per pattern; runs inside the same transaction. */
  private writePending(): void {
    for (const [signature, { row, agg }] of this.pending) {
      this.txSignatures.push(signature);
      if (agg.stats.uses === row.uses) continue;
      this.store.patterns.applyUses(row, { ...agg, confidence: confidence(agg.stats) });
      this.changed.add(row.id);
    }
    this.pending.clear();
  }

  /** Runs fn and writePending in one transaction; on failure nothing is kept in memory either. */
  private inTx(fn: () => void): void {
    try {
      this.store.tx(() => {
        fn();
        this.writePending();
      });
      // committed: these sessions have occurrences of these patterns for good
      if (this.seenSessions.size + this.txSeenSessions.size > SEEN_SESSIONS) this.seenSessions.clear();
      for (const k of this.txSeenSessions) this.seenSessions.add(k);
      if (this.sequencePatterns) for (const sig of this.txSignatures) this.sequencePatterns.add(sig);
    } finally {
      this.pending.clear();
      this.txSeenSessions.clear();
      this.txSignatures.length = 0;
    }
  }

  /** A finished ADW run: its signature (never a whole SDLC run) becomes a workflow pattern use. */
  learnWorkflow(run: WorkflowRun): void {
    if (run.status === 'incomplete') return;
    const sig = workflowSignature(run.workflowType, run.nlInput);
    this.inTx(() => this.learnWorkflowIn(run, sig));
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

  /** Whether a sequence is a pattern already (patterns are never deleted). */
  private isSequencePattern(signature: string): boolean {
    if (this.pending.has(signature)) return true;
    this.sequencePatterns ??= new Set(this.store.patterns.signaturesOf('sequence'));
    return this.sequencePatterns.has(signature);
  }

  /** Sequences and fix loops of the sessions that changed. */
  learnSessions(): void {
    const due = [...this.dirtySessions.keys()];
    this.dirtySessions.clear();
    // One transaction (and one update per pattern) per SESSION_CHUNK sessions; when a chunk
    // fails, its sessions are retried one by one so only the failing one is left out.
    for (let i = 0; i < due.length && !this.closed; i += SESSION_CHUNK) {
      const chunk = due.slice(i, i + SESSION_CHUNK);
      try {
        this.inTx(() => {
          for (const sessionId of chunk) this.learnSession(sessionId);
        });
      } catch {
        for (const sessionId of chunk) {
          try {
            this.inTx(() => this.learnSession(sessionId));
          } catch (e) {
            this.logger.warn(`session patterns for ${sessionId}: ${getErrorMessage(e)}`);
          }
        }
      }
    }
    this.flushChanged();
  }

  private learnSession(sessionId: string): void {
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
    if (first === undefined) return;
    const ts = first.started_at ?? first.ended_at ?? new Date(0).toISOString();
    const tsMs = Date.parse(ts) || 0;
    // A sequence that is a pattern already adds this session as a use (its occurrence key, one per
    // session, makes a session learned again count once). The others wait as sightings, one per
    // session, until seen in enough sessions: then every sighting so far is a use.
    const promoted: SessionSequence[] = [];
    const waiting: SessionSequence[] = [];
    for (const gram of sessionSequenceGrams(ops)) {
      (this.isSequencePattern(gram.signature) ? promoted : waiting).push(gram);
    }
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
    const fresh = this.store.patterns.sightAll(
      waiting.map((gram) => ({ signature: gram.signature, ...costHere(gram.parts), gram })),
      sessionId,
      tsMs,
    );
    const here: Sighting = { session_key: sessionId, ts_ms: tsMs, llm_tokens: null, llm_cost: null };
    const due: { gram: SessionSequence; uses: Sighting[] }[] = promoted.map((gram) => ({ gram, uses: [here] }));
    for (const { seen, sessions } of fresh) {
      if (sessions >= SEQUENCE_MIN_SESSIONS)
        due.push({ gram: seen.gram, uses: this.store.patterns.sightings(seen.signature) });
    }
    const tsIso = new Date(tsMs).toISOString();
    const isoOf = (ms: number): string => (ms === tsMs ? tsIso : new Date(ms).toISOString());
    for (const { gram, uses } of due) {
      const { signature: seq, parts } = gram;
      const { tokens, cost } = costHere(parts);
      const example = parts.join(' → ');
      for (const s of uses) {
        this.recordUse({
          signature: seq,
          kind: 'sequence',
          occurrenceKey: `seq:${s.session_key}`,
          sessionKey: s.session_key,
          toolCallId: null,
          ts: isoOf(s.ts_ms),
          tsMs: s.ts_ms,
          // each session's use priced from that session (sightings from before migration 8: from this one)
          cost: { tokens: s.llm_tokens ?? tokens, costUsd: s.llm_cost ?? cost, basis: 'estimated' },
          toolTokensEst: toolUseTokensEstimate(0) * parts.length,
          durationMs: null,
          ok: null,
          example,
          model: first.model,
          // one occurrence key per session: when the insert is not ignored, the session is new
          sessionIsNew: true,
        });
      }
    }
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
