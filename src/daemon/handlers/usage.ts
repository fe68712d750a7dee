import { sessionBlocks } from '../../core/usage/blocks.js';
import { invalidArgument } from '../../core/errors.js';
import { MS_PER_DAY, normalizeDateArg } from '../../core/time.js';
import { dailyReport, monthlyReport, sessionReport, type UsageRow } from '../../core/usage/usage-report.js';
import { METHODS, type UsageReportParams, type UsageReportResult } from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import type { HandlerMap } from '../server.js';
import type { Store } from '../store/store.js';
import type { HourlyAggregate } from '../store/usage-repo.js';

/** `blocks` without --since looks this far back (every record is read for exact block edges). */
const BLOCKS_DEFAULT_DAYS = 7;

function hourlyRows(aggs: HourlyAggregate[]): UsageRow[] {
  return aggs.map((a) => ({
    ts: new Date(a.hourMs).toISOString(),
    sessionId: null,
    project: null,
    model: a.model,
    inputTokens: a.inputTokens,
    outputTokens: a.outputTokens,
    cacheCreationTokens: a.cacheCreationTokens,
    cacheReadTokens: a.cacheReadTokens,
    costUsd: a.costUsd,
  }));
}

function rangeMs(params: UsageReportParams): { from: number; to: number; since?: string; until?: string } {
  const since = params.since ? normalizeDateArg(params.since, 'since') : undefined;
  const until = params.until ? normalizeDateArg(params.until, 'until') : undefined;
  if (since !== undefined && until !== undefined && since > until) {
    throw invalidArgument(`since (${since}) is after until (${until}): the range is empty`);
  }
  return {
    from: since ? Date.parse(`${since}T00:00:00Z`) - MS_PER_DAY : 0,
    to: until ? Date.parse(`${until}T00:00:00Z`) + 2 * MS_PER_DAY : Number.MAX_SAFE_INTEGER,
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

/** Answers `usage/report` from the roll-up tables (daily, monthly, session) or records (blocks). */
export function usageReport(store: Store, params: UsageReportParams, now = new Date()): UsageReportResult {
  const r = rangeMs(params);
  const opts = { ...(r.since ? { since: r.since } : {}), ...(r.until ? { until: r.until } : {}) };
  switch (params.kind) {
    case 'daily':
      return { ...dailyReport(hourlyRows(store.usage.hourly(r.from, r.to)), opts) };
    case 'monthly':
      return { ...monthlyReport(hourlyRows(store.usage.hourly(r.from, r.to)), opts) };
    case 'session': {
      const rows: UsageRow[] = store.usage.sessions().map((s) => ({
        ts: new Date(s.lastTsMs).toISOString(),
        sessionId: s.sessionId,
        project: s.project,
        model: s.model,
        inputTokens: s.inputTokens,
        outputTokens: s.outputTokens,
        cacheCreationTokens: s.cacheCreationTokens,
        cacheReadTokens: s.cacheReadTokens,
        costUsd: s.costUsd,
      }));
      return { ...sessionReport(rows, opts) };
    }
    case 'blocks': {
      const from = r.since ? r.from + MS_PER_DAY : now.getTime() - BLOCKS_DEFAULT_DAYS * MS_PER_DAY;
      const records = store.usage.recordsBetween(from, r.to);
      const rows: UsageRow[] = records.map((u) => ({
        ts: u.ts,
        sessionId: u.sessionId,
        project: u.project,
        model: u.model,
        inputTokens: u.inputTokens,
        outputTokens: u.outputTokens,
        cacheCreationTokens: u.cacheCreationTokens,
        cacheReadTokens: u.cacheReadTokens,
        costUsd: u.costUsd,
        ...(u.undated === true ? { undated: true } : {}),
      }));
      const blocks = sessionBlocks(rows, now);
      return { blocks };
    }
  }
}

/** `usage/report` on the main thread (the read thread answers it in the daemon: handlers/reads.ts). */
export function usageHandlers(deps: DaemonDeps): HandlerMap {
  return { [METHODS.usageReport]: (params) => usageReport(deps.store, params) };
}
