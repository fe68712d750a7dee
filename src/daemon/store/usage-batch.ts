/**
 * The usage records read in one transaction, their copies merged in memory by the rule of
 * core/usage/usage-merge, then each record written once and the roll-ups changed once per bucket.
 * No SQL here: the repository reads and writes rows.
 */
import type { UsageRecord } from '../../core/types.js';
import { mergeUsageCopies, sameUsageRecord } from '../../core/usage/usage-merge.js';

const HOUR = 3_600_000;

export interface UsageRow {
  id: number;
  dedup_key: string;
  message_id: string | null;
  request_id: string | null;
  session_id: string | null;
  agent_id: string | null;
  project: string | null;
  model: string;
  ts: string;
  ts_ms: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_tokens: number;
  cache_5m_tokens: number;
  cache_1h_tokens: number;
  cache_read_tokens: number;
  cost_usd: number;
  priced: number;
  is_sidechain: number;
  speed: string | null;
  inference_geo: string | null;
  web_search_requests: number;
  undated: number;
}

export function rowToRecord(r: UsageRow): UsageRecord {
  return {
    dedupKey: r.dedup_key,
    messageId: r.message_id,
    requestId: r.request_id,
    sessionId: r.session_id,
    agentId: r.agent_id,
    project: r.project,
    model: r.model,
    ts: r.ts,
    isSidechain: r.is_sidechain === 1,
    speed: r.speed,
    inferenceGeo: r.inference_geo,
    webSearchRequests: r.web_search_requests,
    ...(r.undated === 1 ? { undated: true } : {}),
    costUsd: r.cost_usd,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cacheCreationTokens: r.cache_creation_tokens,
    cacheCreation5mTokens: r.cache_5m_tokens,
    cacheCreation1hTokens: r.cache_1h_tokens,
    cacheReadTokens: r.cache_read_tokens,
  };
}

/** What UsageBatch needs of the repository (the SQL stays there). */
export interface UsageStore {
  row(dedupKey: string): UsageRow | null;
  writeRow(next: UsageRecord, sourcePath: string, priced: boolean, tsMs: number, insert: boolean): void;
  addHourly(d: Delta): void;
  addSession(d: Delta): void;
}

export interface UsageUpsertResult {
  created: boolean;
  changed: boolean;
  record: UsageRecord;
}

export interface Delta {
  model: string;
  entries: number;
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  cost: number;
  firstTsMs: number;
  lastTsMs: number;
  /** entries, tokens (all four kinds) and cost of undated records, which never feed a rate */
  undatedEntries: number;
  undatedTokens: number;
  undatedCost: number;
  /** first and last time of the dated records added (null: none) */
  datedFirstTsMs: number | null;
  datedLastTsMs: number | null;
  sessionId?: string;
  project?: string | null;
  hourMs?: number;
}

/**
 * Copies of API responses from one transaction merged in memory (stream-json repeats `usage` on
 * every content block), then each record written once and the roll-ups changed once per bucket.
 */
export class UsageBatch {
  private readonly recs = new Map<
    string,
    { prevRow: UsageRow | null; prev: UsageRecord | null; next: UsageRecord; priced: boolean; sourcePath: string }
  >();

  constructor(private readonly repo: UsageStore) {}

  add(rec: UsageRecord, sourcePath: string, priced: boolean): void {
    const cur = this.recs.get(rec.dedupKey);
    if (cur) {
      cur.next = mergeUsageCopies(cur.next, rec);
      cur.priced ||= priced;
      return;
    }
    const prevRow = this.repo.row(rec.dedupKey);
    const prev = prevRow ? rowToRecord(prevRow) : null;
    this.recs.set(rec.dedupKey, {
      prevRow,
      prev,
      next: prev ? mergeUsageCopies(prev, rec) : rec,
      priced: priced || prevRow?.priced === 1,
      sourcePath,
    });
  }

  flush(): UsageUpsertResult[] {
    const out: UsageUpsertResult[] = [];
    const hourly = new Map<string, Delta>();
    const sessions = new Map<string, Delta>();
    const apply = (r: UsageRecord, tsMs: number, sign: 1 | -1): void => {
      const hourMs = Math.floor(tsMs / HOUR) * HOUR;
      addDelta(hourly, `${hourMs}\u0000${r.model}`, r, tsMs, sign, { hourMs });
      if (r.sessionId)
        addDelta(sessions, `${r.sessionId}\u0000${r.model}`, r, tsMs, sign, {
          sessionId: r.sessionId,
          project: r.project,
        });
    };
    for (const e of this.recs.values()) {
      const tsMs = safeTsMs(e.next.ts);
      if (e.prevRow && e.prev) {
        if (sameUsageRecord(e.prev, e.next) && e.prevRow.ts_ms === tsMs && (e.priced ? 1 : 0) === e.prevRow.priced) {
          out.push({ created: false, changed: false, record: e.next });
          continue;
        }
        this.repo.writeRow(e.next, e.sourcePath, e.priced, tsMs, false);
        apply(e.prev, e.prevRow.ts_ms, -1);
        apply(e.next, tsMs, 1);
        out.push({ created: false, changed: true, record: e.next });
      } else {
        this.repo.writeRow(e.next, e.sourcePath, e.priced, tsMs, true);
        apply(e.next, tsMs, 1);
        out.push({ created: true, changed: true, record: e.next });
      }
    }
    for (const d of hourly.values()) this.repo.addHourly(d);
    for (const d of sessions.values()) this.repo.addSession(d);
    this.recs.clear();
    return out;
  }
}

function safeTsMs(ts: string): number {
  const t = Date.parse(ts);
  return Number.isFinite(t) ? t : 0;
}

function addDelta(
  map: Map<string, Delta>,
  key: string,
  r: UsageRecord,
  tsMs: number,
  sign: 1 | -1,
  extra: Partial<Delta>,
): void {
  let d = map.get(key);
  if (!d) {
    d = {
      model: r.model,
      entries: 0,
      input: 0,
      output: 0,
      cacheCreation: 0,
      cacheRead: 0,
      cost: 0,
      firstTsMs: tsMs,
      lastTsMs: tsMs,
      undatedEntries: 0,
      undatedTokens: 0,
      undatedCost: 0,
      datedFirstTsMs: null,
      datedLastTsMs: null,
      ...extra,
    };
    map.set(key, d);
  }
  d.entries += sign;
  d.input += sign * r.inputTokens;
  d.output += sign * r.outputTokens;
  d.cacheCreation += sign * r.cacheCreationTokens;
  d.cacheRead += sign * r.cacheReadTokens;
  d.cost += sign * r.costUsd;
  if (r.undated === true) {
    d.undatedEntries += sign;
    d.undatedTokens += sign * (r.inputTokens + r.outputTokens + r.cacheCreationTokens + r.cacheReadTokens);
    d.undatedCost += sign * r.costUsd;
  }
  if (sign > 0) {
    d.firstTsMs = Math.min(d.firstTsMs, tsMs);
    d.lastTsMs = Math.max(d.lastTsMs, tsMs);
    if (r.undated !== true) {
      d.datedFirstTsMs = Math.min(d.datedFirstTsMs ?? tsMs, tsMs);
      d.datedLastTsMs = Math.max(d.datedLastTsMs ?? tsMs, tsMs);
    }
    if (extra.project !== undefined && d.project == null) d.project = extra.project;
  }
}
