import { METHODS } from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import type { ContextProfiler } from '../learn/context-profiler.js';
import type { ReadWorker } from '../read-worker/read-worker.js';
import type { HandlerMap } from '../server.js';
import { contextHandlers } from './context-efficiency.js';
import { usageHandlers } from './usage.js';

/**
 * `usage/report`, `context/efficiency` and `context/profile`: answered on the read thread, so a
 * report over long history never holds up the main thread; on the main thread when there is none.
 */
export function readHandlers(deps: DaemonDeps, profiler: ContextProfiler, reads: ReadWorker | null): HandlerMap {
  if (reads === null) return { ...usageHandlers(deps), ...contextHandlers(deps, profiler) };
  return {
    [METHODS.usageReport]: (params) => reads.call(METHODS.usageReport, params),
    [METHODS.contextEfficiency]: (params) => reads.call(METHODS.contextEfficiency, params),
    [METHODS.contextProfile]: (params) => reads.call(METHODS.contextProfile, params),
  };
}
