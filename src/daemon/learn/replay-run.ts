/**
 * Runs the savings replay over the store in turns of about REPLAY_TURN_MS: each turn reads up to a
 * slice of recorded outputs, replays those without a current cached replay (and caches them, in one
 * transaction), then yields to the event loop so `daemon/status` and ingestion stay responsive
 * during a long replay. (A worker thread with its own read-only connection could not write the cache.)
 */
import {
  REPLAY_BASIS,
  REPLAY_KEY,
  replayOutput,
  ReplayTally,
  CARRY_OVER_LABEL,
  sharePct,
} from '../../core/learning/savings-replay.js';
import type { OutputReplay } from '../../core/learning/savings-replay.js';
import type { SavingsReplayResult } from '../../rpc/protocol.js';
import type { Store } from '../store/store.js';
import type { ReplayInputRow } from '../store/replay-repo.js';

export const REPLAY_SLICE = 400;

export interface ReplayPeriod {
  /** inclusive, ms; Number.MIN_SAFE_INTEGER for all history */
  sinceMs: number;
  /** exclusive, ms */
  untilMs: number;
  since: string | null;
  until: string | null;
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function replayed(store: Store, row: ReplayInputRow, fresh: Map<number, OutputReplay>): OutputReplay | null {
  if (row.cached !== null) return row.cached;
  const output = store.outputs.text(row.callId);
  if (output === null) return null;
  const r = replayOutput({
    command: row.command,
    cwd: row.cwd,
    exitCode: row.exitCode,
    output,
    rawBytes: row.rawBytes,
  });
  fresh.set(row.callId, r);
  return r;
}

/** The event loop is handed back after about this much replay work (ms). */
export const REPLAY_TURN_MS = 20;

function saveFresh(store: Store, fresh: Map<number, OutputReplay>): void {
  if (fresh.size === 0) return;
  store.tx(() => {
    for (const [id, r] of fresh) store.replay.saveReplay(id, REPLAY_KEY, r);
  });
  fresh.clear();
}

/** The replay of every recorded Bash output of the period. */
export async function runReplay(
  store: Store,
  period: ReplayPeriod,
  slice = REPLAY_SLICE,
  turnMs = REPLAY_TURN_MS,
): Promise<SavingsReplayResult> {
  const tally = new ReplayTally();
  const fresh = new Map<number, OutputReplay>();
  let truncated = 0;
  let turnStart = performance.now();
  // Each turn reads its rows afresh and writes its replays before handing the loop back: ingestion,
  // which runs between turns, may change an output or a call, and its triggers then drop the replay.
  for (let after = 0; ;) {
    const rows = store.replay.slice(period.sinceMs, period.untilMs, after, slice, REPLAY_KEY);
    let done = 0;
    for (const row of rows) {
      const r = replayed(store, row, fresh);
      if (r !== null) {
        if (row.truncated) truncated++;
        tally.add({ ...r, model: row.model, laterRequests: row.laterRequests });
      }
      after = row.callId;
      done++;
      if (performance.now() - turnStart > turnMs) break;
    }
    saveFresh(store, fresh);
    if (done === rows.length && rows.length < slice) break;
    if (performance.now() - turnStart > turnMs) {
      await nextTick();
      turnStart = performance.now();
    }
  }
  const s = tally.summary();
  const periodTokens = store.replay.periodTokens(period.sinceMs, period.untilMs);
  return {
    basis: REPLAY_BASIS,
    since: period.since,
    until: period.until,
    totals: s.totals,
    byFamily: s.byFamily,
    byPattern: s.byPattern,
    truncatedOutputs: truncated,
    periodTokens,
    savedShareOfPeriodPct: sharePct(s.totals.savedTokens, periodTokens),
    carryOverLabel: CARRY_OVER_LABEL,
  };
}

/**
 * Replays the recorded outputs the cache lacks (all history), in turns like `runReplay`, and caches
 * them; no totals are made. Returns how many outputs it replayed.
 */
export async function fillReplays(
  store: Store,
  slice = REPLAY_SLICE,
  turnMs = REPLAY_TURN_MS,
  stopped: () => boolean = () => false,
): Promise<number> {
  const fresh = new Map<number, OutputReplay>();
  let filled = 0;
  let turnStart = performance.now();
  for (let after = 0; !stopped();) {
    const rows = store.replay.unreplayed(after, slice, REPLAY_KEY);
    let done = 0;
    for (const row of rows) {
      after = row.callId;
      done++;
      const output = store.outputs.text(row.callId);
      if (output !== null) fresh.set(row.callId, replayOutput({ ...row, output }));
      if (performance.now() - turnStart > turnMs) break;
    }
    filled += fresh.size;
    saveFresh(store, fresh);
    if (done === rows.length && rows.length < slice) break;
    if (performance.now() - turnStart > turnMs) {
      await nextTick();
      turnStart = performance.now();
    }
  }
  return filled;
}
