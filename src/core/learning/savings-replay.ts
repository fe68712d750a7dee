/**
 * The savings replay: the compactors run over Bash outputs the agent really read, to measure what
 * offloading those calls would have saved. Pure: the store hands in the recorded calls, this adds up.
 *
 * Per call: raw tokens (the whole output, ceil(bytes / 4)) against compact tokens (what `compact()`
 * answers for it), the difference priced at the input price of the model that read the output. The
 * carry-over: after the request that first read an output, every later request of the same agent in
 * the session re-reads it from the cache until the session is compacted (Claude Code's compact
 * boundary), else until its last recorded request; those re-reads are priced at the cache-read price
 * and reported apart.
 */
import { COMPACTORS } from '../compact/registry.js';
import { compact } from '../compact/index.js';
import type { CompactFamily } from '../compact/types.js';
import { operationForTool } from './operation.js';
import { emptyTokens, inputTokensCostUsd, priceUsage } from '../usage/pricing.js';
import { roundUsd } from './savings.js';
import { VERSION } from '../version.js';

/** What a cached replay was worked out with: a replay under another key is done again. */
export const REPLAY_KEY = `${VERSION}:${COMPACTORS.map((c) => c.id).join(',')}`;

/** What the compactors make of one recorded output. */
export interface OutputReplay {
  family: CompactFamily;
  /** the compactor that answered */
  tool: string;
  /** the call's operation signature (null when the command runs no operation) */
  signature: string | null;
  rawTokens: number;
  compactTokens: number;
}

/**
 * Replays one output. `rawBytes` is the whole output's size: a kept output cut to its head and tail
 * counts its whole size as raw, and its compact form is that of the part kept (the compactors keep
 * failures and the summary, which sit in the head and tail).
 */
export function replayOutput(o: {
  command: string;
  cwd: string | null;
  exitCode: number | null;
  output: string;
  rawBytes: number;
}): OutputReplay {
  const r = compact(o.command, o.output, o.exitCode);
  return {
    family: r.family,
    tool: r.tool,
    signature: operationForTool('Bash', o.command, o.cwd)?.signature ?? null,
    rawTokens: Math.max(r.rawTokens, Math.ceil(o.rawBytes / 4)),
    compactTokens: r.compactTokens,
  };
}

/** One replayed call as the summary reads it. */
export interface ReplayedCall extends OutputReplay {
  /** the model that read the output (the call's, else the session's at the time); null: not priced */
  model: string | null;
  /**
   * requests of the same agent in the session after the call, up to its next compaction; null when
   * the session's requests are not known (no session, or none recorded after the call)
   */
  laterRequests: number | null;
}

/** Figures of a group of replayed calls (a family, a pattern, or all). Every figure is measured (replay). */
export interface ReplayFigures {
  calls: number;
  rawTokens: number;
  compactTokens: number;
  /** rawTokens - compactTokens (negative when compacting would have added tokens) */
  savedTokens: number;
  /** savedTokens / rawTokens in percent, one decimal; null without raw tokens */
  reductionPct: number | null;
  /** savedTokens at the input price of the model that read each output */
  savedUsd: number;
  /** calls whose model has no price (their dollars count 0) */
  unpricedCalls: number;
  /** the saved tokens re-read as cache reads by later requests (see carryOverLabel) */
  carryOverTokens: number;
  carryOverUsd: number;
  /** calls whose session's later requests are known */
  carryOverCalls: number;
}

export interface ReplayGroup extends ReplayFigures {
  key: string;
  family: CompactFamily;
}

export interface ReplaySummary {
  totals: ReplayFigures;
  byFamily: ReplayGroup[];
  byPattern: ReplayGroup[];
}

export const REPLAY_BASIS = 'measured (replay)';

export const CARRY_OVER_LABEL =
  'carry-over (cache reads): the saved tokens re-read by each later request of the same agent in the session, ' +
  "until the session's next compact boundary, else until its last recorded request";

function emptyFigures(): ReplayFigures {
  return {
    calls: 0,
    rawTokens: 0,
    compactTokens: 0,
    savedTokens: 0,
    reductionPct: null,
    savedUsd: 0,
    unpricedCalls: 0,
    carryOverTokens: 0,
    carryOverUsd: 0,
    carryOverCalls: 0,
  };
}

/** Re-reads after the first reading: that one is the input read, the rest are cache reads. */
export function cacheReReads(laterRequests: number | null): number {
  return laterRequests === null ? 0 : Math.max(0, laterRequests - 1);
}

/** The cost of `tokens` read from the cache by `model` (0 when the model has no price). */
export function cacheReadCostUsd(model: string | null, tokens: number): number {
  return model ? priceUsage(model, { ...emptyTokens(), cacheReadTokens: tokens }).costUsd : 0;
}

function addCall(f: ReplayFigures, c: ReplayedCall): void {
  const saved = c.rawTokens - c.compactTokens;
  f.calls++;
  f.rawTokens += c.rawTokens;
  f.compactTokens += c.compactTokens;
  f.savedTokens += saved;
  f.savedUsd += inputTokensCostUsd(c.model, saved);
  if (c.model === null || priceUsage(c.model, emptyTokens()).priced === false) f.unpricedCalls++;
  if (c.laterRequests !== null) {
    const reReads = cacheReReads(c.laterRequests);
    f.carryOverCalls++;
    f.carryOverTokens += saved * reReads;
    f.carryOverUsd += cacheReadCostUsd(c.model, saved * reReads);
  }
}

function finish(f: ReplayFigures): ReplayFigures {
  f.reductionPct = f.rawTokens > 0 ? Math.round((f.savedTokens / f.rawTokens) * 1000) / 10 : null;
  f.savedUsd = roundUsd(f.savedUsd);
  f.carryOverUsd = roundUsd(f.carryOverUsd);
  return f;
}

/** Folds replayed calls into totals, per family and per pattern (by signature), largest saving first. */
export class ReplayTally {
  private readonly totals = emptyFigures();
  private readonly families = new Map<string, ReplayGroup>();
  private readonly patterns = new Map<string, ReplayGroup>();

  add(c: ReplayedCall): void {
    addCall(this.totals, c);
    addCall(this.group(this.families, c.family, c.family), c);
    if (c.signature !== null) addCall(this.group(this.patterns, c.signature, c.family), c);
  }

  private group(m: Map<string, ReplayGroup>, key: string, family: CompactFamily): ReplayGroup {
    let g = m.get(key);
    if (g === undefined) {
      g = { key, family, ...emptyFigures() };
      m.set(key, g);
    }
    return g;
  }

  summary(): ReplaySummary {
    const order = (a: ReplayGroup, b: ReplayGroup): number =>
      b.savedTokens - a.savedTokens || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    const rows = (m: Map<string, ReplayGroup>): ReplayGroup[] =>
      [...m.values()].map((g) => Object.assign(g, finish(g))).sort(order);
    return { totals: finish({ ...this.totals }), byFamily: rows(this.families), byPattern: rows(this.patterns) };
  }
}

/** A share in percent of a whole, one decimal; null without a whole. */
export function sharePct(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}
