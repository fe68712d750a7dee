/**
 * The patterns a whole session shows: the sequences of operations it runs (a pattern once seen in
 * SEQUENCE_MIN_SESSIONS sessions) and its fix loops. A session is derived again from all its calls
 * whenever they change: what an earlier, partial view of it produced is removed first.
 */
import {
  detectFixLoops,
  fixLoopUse,
  type CallStep,
  type FixLoop,
  type LoopRun,
} from '../../core/learning/fix-loops.js';
import {
  SEQUENCE_MIN_SESSIONS,
  sequenceUse,
  sessionSequenceSightings,
  type SequenceSighting,
} from '../../core/learning/sequences.js';
import type { LearnSessions } from '../store/pattern-fold.js';
import type { Store } from '../store/store.js';
import type { LearnCallRow } from '../store/tool-calls-repo.js';
import type { OperationMemo } from './operation-memo.js';
import type { PatternUses } from './pattern-uses.js';

/** A session's calls with the operation of each (null: not one), alongside rather than copied into the rows. */
interface SessionCalls {
  sessionId: string;
  calls: LearnCallRow[];
  signatures: (string | null)[];
}

const startOf = (c: Pick<LearnCallRow, 'started_at' | 'ended_at'>): string | null => c.started_at ?? c.ended_at;

const loopRun = (c: LearnCallRow): LoopRun => ({
  command: c.command,
  tsMs: c.ts_ms,
  durationMs: c.duration_ms,
  responseBytes: c.response_bytes,
});

export class SessionPatterns {
  constructor(
    private readonly store: Store,
    private readonly uses: PatternUses,
    private readonly operations: OperationMemo,
    private readonly queue: LearnSessions,
  ) {}

  /** Derives the session again and takes it off the queue (in the caller's transaction). */
  learnAgain(sessionId: string): void {
    const { patternIds, signatures } = this.queue.clearDerived(sessionId);
    this.uses.touch(patternIds);
    const sighted = this.learn(sessionId);
    // sequences this session no longer shows may have dropped below the sessions a pattern needs
    for (const sig of signatures) if (!sighted.has(sig)) this.settleSequence(sig, null);
    this.queue.done(sessionId);
  }

  /** Derives the session's sequences and fix loops; returns the sequences it shows. */
  private learn(sessionId: string): Set<string> {
    const calls = this.store.toolCalls.sessionForLearning(sessionId);
    const session: SessionCalls = {
      sessionId,
      calls,
      signatures: calls.map((c) => this.operations.of(c)?.signature ?? null),
    };
    const first = calls.find((_, i) => session.signatures[i] !== null);
    if (first === undefined) return new Set();
    const ts = startOf(first) ?? new Date(0).toISOString();
    const sighted = this.sightSequences(session, Date.parse(ts) || 0);
    this.learnFixLoops(session, ts);
    return sighted;
  }

  /**
   * Sights every sequence of the session with its cost here (at `tsMs`, its first operation);
   * those seen in enough sessions are patterns.
   */
  private sightSequences(s: SessionCalls, tsMs: number): Set<string> {
    const sightings = sessionSequenceSightings(
      s.calls.map((c, i) => ({
        signature: s.signatures[i] ?? null,
        model: c.model,
        inputBytes: c.input_bytes,
        responseBytes: c.response_bytes,
      })),
    );
    this.store.patterns.sightAll(sightings, s.sessionId, tsMs);
    for (const seen of sightings) this.settleSequence(seen.signature, s.sessionId, seen);
    return new Set(sightings.map((seen) => seen.signature));
  }

  /**
   * A sequence is a pattern while seen in SEQUENCE_MIN_SESSIONS sessions or more: its uses are its
   * sightings, each priced from its own session. `grownBy`: the session whose sighting was just
   * added (`seen`), null when the sequence is settled because a session no longer shows it.
   */
  private settleSequence(signature: string, grownBy: string | null, seen?: SequenceSighting): void {
    const sightings = this.store.patterns.sightings(signature);
    const existing = this.store.patterns.bySignature(signature);
    if (sightings.length < SEQUENCE_MIN_SESSIONS) {
      if (existing) this.uses.clear(existing.id);
      return;
    }
    // a pattern already complete needs only this session's use; one just promoted needs them all
    const complete =
      existing !== null && grownBy !== null && this.uses.occurrenceCount(existing.id) >= sightings.length - 1;
    // the signature is `seq:` + the operations joined by `>`
    const ops = signature.slice(signature.indexOf(':') + 1).split('>');
    const label = seen ? seen.parts.join(' → ') : ops.join(' → ');
    const steps = seen ? seen.parts.length : ops.length;
    for (const s of sightings) {
      if (complete && s.session_key !== grownBy) continue;
      this.uses.record({
        signature,
        kind: 'sequence',
        occurrenceKey: `seq:${s.session_key}`,
        sessionKey: s.session_key,
        toolCallId: null,
        ts: new Date(s.ts_ms).toISOString(),
        tsMs: s.ts_ms,
        ...sequenceUse({ tokens: s.llm_tokens, cost: s.llm_cost }, steps),
        durationMs: null,
        ok: null,
        example: label,
        model: null,
      });
    }
  }

  /** Records each fix loop of the session (`ts`: the session's first operation, for a failing run without a time). */
  private learnFixLoops(s: SessionCalls, ts: string): void {
    const steps: CallStep[] = s.calls.map((c, i) => ({
      signature: s.signatures[i] ?? null,
      toolName: c.tool_name,
      exitCode: c.exit_code,
      isError: c.is_error === null ? null : c.is_error === 1,
    }));
    for (const loop of detectFixLoops(steps)) {
      const fail = s.calls[loop.failIndex];
      const pass = s.calls[loop.passIndex];
      if (fail && pass) this.recordFixLoop(s.sessionId, loop, fail, pass, ts);
    }
  }

  private recordFixLoop(sessionId: string, loop: FixLoop, fail: LearnCallRow, pass: LearnCallRow, ts: string): void {
    const inLoop = this.store.toolCalls
      .sessionCallsBetween(sessionId, fail, pass)
      .map((c) => ({ model: c.model, inputBytes: c.input_bytes, responseBytes: c.response_bytes }));
    const use = fixLoopUse(loop, loopRun(fail), loopRun(pass), inLoop);
    this.uses.record({
      signature: loop.signature,
      kind: 'fix_loop',
      occurrenceKey: `fix:${sessionId}:${fail.call_key}`,
      sessionKey: sessionId,
      toolCallId: fail.id,
      ts: startOf(fail) ?? ts,
      cost: use.cost,
      toolTokensEst: use.toolTokensEst,
      durationMs: use.durationMs,
      ok: true,
      example: use.example,
      model: fail.model,
    });
  }
}
