import { VERSION } from '../../core/version.js';
import { METHODS, PROTOCOL_VERSION, type TableCounts } from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import type { HandlerMap } from '../server.js';
import type { RowCounts } from '../store/counts-repo.js';

/** The store's row counts as `daemon/status` shows them. */
function toTableCounts(c: RowCounts): TableCounts {
  return {
    hookEvents: c.hookEvents,
    toolCalls: c.toolCalls,
    usageRecords: c.usageRecords,
    workflowRuns: c.workflowRuns,
    patterns: c.patterns,
    quarantined: c.quarantined,
  };
}

export function daemonHandlers(ctx: DaemonDeps): HandlerMap {
  return {
    [METHODS.daemonStatus]: () => ({
      running: true,
      pid: process.pid,
      version: VERSION,
      protocolVersion: PROTOCOL_VERSION,
      instanceId: ctx.hub.instanceId,
      socket: ctx.socketPath,
      stateDir: ctx.stateDir,
      dbPath: ctx.dbPath,
      startedAt: ctx.startedAt.toISOString(),
      uptimeS: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
      counts: toTableCounts(ctx.store.counts.snapshot()),
      unpricedModels: ctx.store.counts.unpricedModels.size,
      unpricedModelNames: [...ctx.store.counts.unpricedModels].sort(),
      warnings: ctx.warnings.list(),
      ingest: ctx.ingestStatus(),
      offloadEnabled: ctx.store.offload.enabled(),
    }),
    [METHODS.daemonShutdown]: () => {
      // Reply first, then shut down.
      setImmediate(() => ctx.shutdown('daemon/shutdown request'));
      return { ok: true };
    },
  };
}
