/**
 * One completed call folded into the pattern of the operation it ran: priced from the turn that
 * issued it when the session's usage records are known, else from its sizes.
 */
import {
  llmUseCost,
  toolUseTokensEstimate,
  TURN_WINDOW_MS,
  type TurnUsage,
  type UseCost,
} from '../../core/learning/pattern-economics.js';
import type { Store } from '../store/store.js';
import type { LearnCallRow } from '../store/tool-calls-repo.js';
import type { OperationMemo } from './operation-memo.js';
import type { PatternUses } from './pattern-uses.js';

/** A session's turn found last: the calls up to the next usage record share it. */
interface FoundTurn {
  tsMs: number;
  end: number;
  turn: TurnUsage;
  model: string;
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

export class CallPatterns {
  /** per session, the last turn found (valid during one batch: usage rows do not change there) */
  private readonly turns = new Map<string, FoundTurn>();

  constructor(
    private readonly store: Store,
    private readonly uses: PatternUses,
    private readonly operations: OperationMemo,
  ) {}

  /** Folds one call into its pattern (nothing when it is not an operation). */
  learn(r: LearnCallRow): void {
    const op = this.operations.of(r);
    const key = `call:${r.call_key}`;
    // a call belongs to one pattern at most: learned before with another command or cwd, it moves
    const ts = r.started_at ?? r.ended_at ?? new Date(0).toISOString();
    const keep = op ? this.uses.patternIdOf(op.signature, 'command', ts, r.model) : null;
    this.uses.moveKey(key, keep);
    if (!op) return;
    this.uses.record({
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

  /** Forgets the turns found: the next batch may see usage records this one did not. */
  endBatch(): void {
    this.turns.clear();
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
  private turnOf(sessionId: string, tsMs: number): FoundTurn | null {
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
}
