/** The messages between the main thread and the read thread (see read-worker.ts). */
import type { AppErrorCode } from '../../core/errors.js';
import { METHODS, type ParamsOf, type PatternSummary, type ResultOf } from '../../rpc/protocol.js';

/** The methods answered on the read thread: reads only, over the thread's own read-only connection. */
export const READ_METHODS = [METHODS.usageReport, METHODS.contextEfficiency, METHODS.contextProfile] as const;

export type ReadMethod = (typeof READ_METHODS)[number];

/** What the read thread answers: the read methods, and the candidates of a discovery run. */
export interface ReadCalls {
  selectCandidates: { params: { sinceMs: number }; result: PatternSummary[] };
}

export type ReadCall = ReadMethod | keyof ReadCalls;
export type ReadParams<K extends ReadCall> = K extends ReadMethod
  ? ParamsOf<K>
  : K extends keyof ReadCalls
    ? ReadCalls[K]['params']
    : never;
export type ReadResult<K extends ReadCall> = K extends ReadMethod
  ? ResultOf<K>
  : K extends keyof ReadCalls
    ? ReadCalls[K]['result']
    : never;

export interface ReadRequest<K extends ReadCall = ReadCall> {
  id: number;
  method: K;
  params: ReadParams<K>;
  /** the main thread's clock when the request came (reports relative to "now" use it) */
  nowMs: number;
}

export type ReadReply =
  | { id: number; ok: true; result: ReadResult<ReadCall> }
  | { id: number; ok: false; error: { code: AppErrorCode; message: string; details?: Record<string, unknown> } }
  | { id: number; ok: false; error: null; message: string };

/** What the thread is started with. */
export interface ReadWorkerData {
  dbPath: string;
}
