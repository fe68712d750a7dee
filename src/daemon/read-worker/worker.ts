/**
 * The read thread: answers the read methods (messages.ts) over its own read-only connection to the
 * store, so a long report never holds up the main thread's event loop. One request at a time, in
 * order; an AppError goes back as such (the caller gets the same error the main thread would give).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, getErrorMessage } from '../../core/errors.js';
import { ContextProfiler } from '../learn/context-profiler.js';
import { Store } from '../store/store.js';
import type { ReadReply, ReadRequest, ReadWorkerData } from './messages.js';
import { readAnswers, type ReadAnswers } from './reads.js';

const port = parentPort;
const { dbPath } = workerData as ReadWorkerData;
const store = Store.openReadOnly(dbPath);
// no reuse (its stamps cannot see the daemon's writes) and no kept state (that is a write)
const profiler = new ContextProfiler(store, { keepStateMinCalls: Number.POSITIVE_INFINITY, cacheSize: 0 });
const answers = readAnswers(store, profiler);

function answer(req: ReadRequest): ReadReply {
  try {
    const fn = answers[req.method] as (params: unknown, now: Date) => ReturnType<ReadAnswers[typeof req.method]>;
    return { id: req.id, ok: true, result: fn(req.params, new Date(req.nowMs)) };
  } catch (e) {
    if (e instanceof AppError) {
      return {
        id: req.id,
        ok: false,
        error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
      };
    }
    return { id: req.id, ok: false, error: null, message: getErrorMessage(e) };
  }
}

port?.on('message', (req: ReadRequest) => port.postMessage(answer(req)));
port?.on('close', () => store.db.close());
