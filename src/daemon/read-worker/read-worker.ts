/**
 * The main thread's side of the read thread (worker.ts): the read methods are posted to it and
 * answered there, over its own read-only connection, while the main thread keeps serving
 * `daemon/status`, `route`, `preflight` and the status line.
 *
 * The thread starts on the first request. When it dies (an uncaught error, out of memory), every
 * request it held is answered with an `unavailable` error and the next request starts a new one.
 * `close()` terminates it; requests after that are refused.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../core/errors.js';
import type { Logger } from '../logger.js';
import { workerScriptNextTo, type WorkerScript } from '../worker-script.js';
import type { ReadCall, ReadParams, ReadReply, ReadRequest, ReadResult, ReadWorkerData } from './messages.js';

/** The read thread's script (worker.ts beside this module), or null when it is not there. */
export function readWorkerScript(): WorkerScript | null {
  return workerScriptNextTo(import.meta.url, 'worker');
}

interface Pending {
  resolve(result: unknown): void;
  reject(e: unknown): void;
}

export class ReadWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** threads started so far (the first and every restart) */
  starts = 0;

  constructor(
    private readonly data: ReadWorkerData,
    private readonly logger: Logger,
    private readonly script: WorkerScript,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Answers one read on the read thread. */
  call<K extends ReadCall>(method: K, params: ReadParams<K>): Promise<ReadResult<K>> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'the daemon is shutting down'));
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    return new Promise<ReadResult<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      const req: ReadRequest<K> = { id, method, params, nowMs: this.clock().getTime() };
      worker.postMessage(req);
    });
  }

  /** Starts the thread ahead of the first read (its start costs the first reader otherwise). */
  warm(): void {
    if (!this.closed && this.worker === null) this.spawn();
  }

  /** Terminates the thread; what it still held is answered as unavailable. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll('the daemon is shutting down');
    if (worker) await worker.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(this.script.script, { workerData: this.data, eval: this.script.eval });
    this.starts++;
    // the daemon's own handles keep it alive; this thread alone must not
    worker.unref();
    worker.on('message', (reply: ReadReply) => this.receive(reply));
    worker.on('error', (e) => this.logger.error('the read thread failed', e));
    worker.once('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.logger.warn(`the read thread stopped (exit code ${code}); the next read starts a new one`);
      this.failAll('the read thread stopped while answering; ask again');
    });
    this.worker = worker;
    return worker;
  }

  private receive(reply: ReadReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.result);
    else if (reply.error !== null) p.reject(new AppError(reply.error.code, reply.error.message, reply.error.details));
    else p.reject(new Error(`read thread: ${reply.message}`));
  }

  private failAll(message: string): void {
    const held = [...this.pending.values()];
    this.pending.clear();
    for (const p of held) p.reject(new AppError('unavailable', message));
  }
}
