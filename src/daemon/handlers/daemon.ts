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

export function daemonHandlers(deps: DaemonDeps): HandlerMap {
  return {
    [METHODS.daemonStatus]: () => ({
      running: true,
      pid: process.pid,
      version: VERSION,
      protocolVersion: PROTOCOL_VERSION,
      instanceId: deps.hub.instanceId,
      socket: deps.socketPath,
      stateDir: deps.stateDir,
      dbPath: deps.dbPath,
      startedAt: deps.startedAt.toISOString(),
      uptimeS: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
      counts: toTableCounts(deps.store.counts.snapshot()),
      unpricedModels: deps.store.counts.unpricedModels.size,
      unpricedModelNames: [...deps.store.counts.unpricedModels].sort(),
      warnings: deps.warnings.list(),
      ingest: deps.ingestStatus(),
      offloadEnabled: deps.store.offload.enabled(),
    }),
    [METHODS.daemonShutdown]: () => {
      // Reply first, then shut down.
      setImmediate(() => deps.shutdown('daemon/shutdown request'));
      return { ok: true };
    },
  };
}
