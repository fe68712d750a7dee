/**
 * ccusage's 5-hour session blocks, computed exactly as `ccusage blocks --json` does,
 * with `now` passed in instead of read from the clock:
 * - the first entry opens a block at its timestamp floored to the UTC hour;
 * - a later entry closes the block when it is more than L after the block start or more than L after
 *   the previous entry (strictly greater); in the second case a gap block runs from
 *   `previous entry + L` to the entry (`id = "gap-" + ISO`); the next block opens at the entry's hour;
 * - `isActive = now − lastEntry < L && now < endTime`;
 * - burn rate over first → last entry (none for a single entry or a zero span);
 *   departing from ccusage, only entries with a time of their own count (undated ones, stamped with
 *   their file's time, count in totals and in `undatedEntries`), and a span under MIN_RATE_SPAN_MS
 *   gives no rate: records written within seconds of each other make no believable rate;
 * - projection only for active blocks with a burn rate: remaining minutes are not rounded for the
 *   arithmetic, only in the output; tokens rounded, cost rounded to cents.
 * Models exclude `<synthetic>`. Rows whose `ts` does not parse are ignored; unsorted input is sorted.
 */
import { SYNTHETIC_MODEL, type UsageRow } from './usage-report.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, floorToHour, parseTimestamp, toIso } from '../time.js';

export const DEFAULT_SESSION_HOURS = 5;
/** The shortest span of dated entries a burn rate (and so a projection) is computed over. */
export const MIN_RATE_SPAN_MS = 5 * MS_PER_MINUTE;

export interface BlockTokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

export interface BlockBurnRate {
  /** all four token kinds per minute */
  tokensPerMinute: number;
  /** input + output only, for the HIGH/MODERATE/NORMAL indicator */
  tokensPerMinuteForIndicator: number;
  costPerHour: number;
}

export interface BlockProjection {
  totalTokens: number;
  totalCost: number;
  remainingMinutes: number;
}

export interface Block {
  id: string;
  startTime: string;
  endTime: string;
  /** last entry's time; null for gap blocks */
  actualEndTime: string | null;
  isActive: boolean;
  isGap: boolean;
  entries: number;
  /** records in the block without a time of their own: in the totals, not in the burn rate */
  undatedEntries: number;
  tokenCounts: BlockTokenCounts;
  totalTokens: number;
  costUSD: number;
  models: string[];
  burnRate: BlockBurnRate | null;
  projection: BlockProjection | null;
}

/** `blocks` in the JSON shape of `ccusage blocks --json`. */
export interface BlocksReport {
  blocks: Block[];
}

interface Timed {
  ms: number;
  row: UsageRow;
}

/** x, or 0 when it is NaN or infinite. */
function finiteOr0(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

const rowTokens = (r: UsageRow): number =>
  finiteOr0(r.inputTokens) +
  finiteOr0(r.outputTokens) +
  finiteOr0(r.cacheCreationTokens) +
  finiteOr0(r.cacheReadTokens);

/** What a row gives a rate: its tokens and cost less the undated part, and the undated records in it. */
function rateShare(r: UsageRow): { tokens: number; io: number; cost: number; undated: number } {
  if (r.undated === true) return { tokens: 0, io: 0, cost: 0, undated: r.undatedRecords ?? 1 };
  const total = rowTokens(r);
  const tokens = Math.max(0, total - finiteOr0(r.undatedTokens ?? 0));
  const share = total > 0 ? tokens / total : 1;
  return {
    tokens,
    io: (finiteOr0(r.inputTokens) + finiteOr0(r.outputTokens)) * share,
    cost: Math.max(0, finiteOr0(r.costUsd) - finiteOr0(r.undatedCostUsd ?? 0)),
    undated: r.undatedRecords ?? 0,
  };
}

/** Burn rate over the entries with a time of their own, when they span at least MIN_RATE_SPAN_MS. */
function burnRateOf(entries: readonly Timed[]): { rate: BlockBurnRate | null; undated: number } {
  let first: number | null = null;
  let last: number | null = null;
  let tokens = 0;
  let io = 0;
  let cost = 0;
  let undated = 0;
  for (const { ms, row } of entries) {
    const s = rateShare(row);
    undated += s.undated;
    if (row.undated === true) continue;
    first = first === null ? ms : Math.min(first, ms);
    last = last === null ? ms : Math.max(last, ms);
    tokens += s.tokens;
    io += s.io;
    cost += s.cost;
  }
  if (first === null || last === null || last - first < MIN_RATE_SPAN_MS) return { rate: null, undated };
  const durationMin = (last - first) / MS_PER_MINUTE;
  return {
    rate: {
      tokensPerMinute: tokens / durationMin,
      tokensPerMinuteForIndicator: io / durationMin,
      costPerHour: (cost / durationMin) * 60,
    },
    undated,
  };
}

function makeBlock(startMs: number, entries: readonly Timed[], nowMs: number, lengthMs: number): Block {
  const endMs = startMs + lengthMs;
  const last = entries[entries.length - 1];
  const lastMs = last?.ms ?? startMs;
  const isActive = nowMs - lastMs < lengthMs && nowMs < endMs;
  const tokenCounts: BlockTokenCounts = {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
  };
  let costUSD = 0;
  const models = new Set<string>();
  for (const { row } of entries) {
    tokenCounts.inputTokens += finiteOr0(row.inputTokens);
    tokenCounts.outputTokens += finiteOr0(row.outputTokens);
    tokenCounts.cacheCreationInputTokens += finiteOr0(row.cacheCreationTokens);
    tokenCounts.cacheReadInputTokens += finiteOr0(row.cacheReadTokens);
    costUSD += finiteOr0(row.costUsd);
    if (row.model !== SYNTHETIC_MODEL) models.add(row.model);
  }
  const totalTokens =
    tokenCounts.inputTokens +
    tokenCounts.outputTokens +
    tokenCounts.cacheCreationInputTokens +
    tokenCounts.cacheReadInputTokens;

  const { rate: burnRate, undated } = burnRateOf(entries);
  let projection: BlockProjection | null = null;
  if (isActive && burnRate !== null) {
    const remaining = Math.max(0, (endMs - nowMs) / MS_PER_MINUTE);
    projection = {
      totalTokens: Math.round(totalTokens + burnRate.tokensPerMinute * remaining),
      totalCost: Math.round((costUSD + (burnRate.costPerHour / 60) * remaining) * 100) / 100,
      remainingMinutes: Math.round(remaining),
    };
  }
  return {
    id: toIso(startMs),
    startTime: toIso(startMs),
    endTime: toIso(endMs),
    actualEndTime: last === undefined ? null : toIso(lastMs),
    isActive,
    isGap: false,
    entries: entries.length,
    undatedEntries: undated,
    tokenCounts,
    totalTokens,
    costUSD,
    models: [...models],
    burnRate,
    projection,
  };
}

function gapBlock(lastMs: number, nextMs: number, lengthMs: number): Block {
  const startMs = lastMs + lengthMs;
  return {
    id: `gap-${toIso(startMs)}`,
    startTime: toIso(startMs),
    endTime: toIso(nextMs),
    actualEndTime: null,
    isActive: false,
    isGap: true,
    entries: 0,
    undatedEntries: 0,
    tokenCounts: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
    totalTokens: 0,
    costUSD: 0,
    models: [],
    burnRate: null,
    projection: null,
  };
}

/** Groups rows (ideally sorted by ts) into ccusage blocks as of `now`. */
export function sessionBlocks(rows: readonly UsageRow[], now: Date, opts?: { sessionHours?: number }): Block[] {
  const hours = opts?.sessionHours ?? DEFAULT_SESSION_HOURS;
  const lengthMs = hours * MS_PER_HOUR;
  const nowMs = now.getTime();
  const timed: Timed[] = [];
  let sorted = true;
  for (const row of rows) {
    const ms = parseTimestamp(row.ts);
    if (ms === null) continue;
    const prev = timed[timed.length - 1];
    if (prev !== undefined && prev.ms > ms) sorted = false;
    timed.push({ ms, row });
  }
  if (!sorted) timed.sort((a, b) => a.ms - b.ms);

  const blocks: Block[] = [];
  let startMs: number | null = null;
  let current: Timed[] = [];
  for (const t of timed) {
    const last = current[current.length - 1];
    if (startMs === null || last === undefined) {
      startMs = floorToHour(t.ms);
      current = [t];
      continue;
    }
    const sinceLast = t.ms - last.ms;
    if (t.ms - startMs > lengthMs || sinceLast > lengthMs) {
      blocks.push(makeBlock(startMs, current, nowMs, lengthMs));
      if (sinceLast > lengthMs) blocks.push(gapBlock(last.ms, t.ms, lengthMs));
      startMs = floorToHour(t.ms);
      current = [t];
    } else {
      current.push(t);
    }
  }
  if (startMs !== null && current.length > 0) blocks.push(makeBlock(startMs, current, nowMs, lengthMs));
  return blocks;
}

/** The active block, if any (at most one can be active). */
export function activeBlock(blocks: readonly Block[]): Block | null {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i];
    if (b !== undefined && b.isActive) return b;
  }
  return null;
}

/** ccusage's default view: blocks that started within `days` (default 3) of now, or are active. */
export function filterRecentBlocks(blocks: readonly Block[], now: Date, days = 3): Block[] {
  const cutoff = now.getTime() - days * MS_PER_DAY;
  return blocks.filter((b) => Date.parse(b.startTime) >= cutoff || b.isActive);
}

export interface TokenLimitStatus {
  limit: number;
  projectedUsage: number;
  percentUsed: number;
  status: 'ok' | 'warning' | 'exceeds';
}

/** `--token-limit max`: the largest total of any completed (inactive), non-gap block; 0 when none. */
export function maxCompletedBlockTokens(blocks: readonly Block[]): number {
  let max = 0;
  for (const b of blocks) if (!b.isGap && !b.isActive && b.totalTokens > max) max = b.totalTokens;
  return max;
}

/** ccusage's token-limit status: exceeds above the limit, warning above 80 %, else ok. */
export function blockTokenLimitStatus(block: Block, limit: number): TokenLimitStatus | null {
  if (!(limit > 0)) return null;
  const projectedUsage = block.projection?.totalTokens ?? block.totalTokens;
  const status = projectedUsage > limit ? 'exceeds' : projectedUsage > 0.8 * limit ? 'warning' : 'ok';
  return {
    limit,
    projectedUsage,
    percentUsed: Math.round((projectedUsage / limit) * 10_000) / 100,
    status,
  };
}
