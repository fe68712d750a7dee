/**
 * The read methods as the read thread answers them: the same functions the handlers use, over a
 * store opened read-only, so an answer is the one the main thread would give.
 */
import { METHODS } from '../../rpc/protocol.js';
import { contextEfficiency, contextProfile } from '../handlers/context-efficiency.js';
import { usageReport } from '../handlers/usage.js';
import type { ContextProfiler } from '../learn/context-profiler.js';
import { candidateSelector } from '../discovery/select.js';
import type { Store } from '../store/store.js';
import type { ReadCall, ReadParams, ReadResult } from './messages.js';

export type ReadAnswers = { [K in ReadCall]: (params: ReadParams<K>, now: Date) => ReadResult<K> };

export function readAnswers(store: Store, profiler: ContextProfiler): ReadAnswers {
  const select = candidateSelector(store);
  return {
    selectCandidates: ({ sinceMs }) => select(sinceMs),
    [METHODS.usageReport]: (params, now) => usageReport(store, params, now),
    [METHODS.contextEfficiency]: (params) => contextEfficiency(profiler, params),
    [METHODS.contextProfile]: (params) => contextProfile(store, params.signature),
  };
}
