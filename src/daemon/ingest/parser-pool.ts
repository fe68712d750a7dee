/**
 * The main thread's side of the parser thread: one worker, requests answered in order, each by
 * zero or more `batch` messages and then `done` (or `error`). Every batch must be acknowledged
 * with `ack()` once committed or discarded: the worker waits when it is too far ahead.
 */
import { Worker } from 'node:worker_threads';
import type { Checkpoint } from '../store/offsets-repo.js';
import { workerScriptNextTo, type WorkerScript } from '../worker-script.js';
import type { ParsedBatch } from './file-sources.js';
import type { LineSource } from './line-parse.js';
import type { TailResult } from './tailer.js';

/** The error code of requests the parser thread will never answer (it stopped). */
export const WORKER_GONE = 'EWORKER';

export interface ParseRequest {
  id: number;
  src: LineSource;
  prev: Checkpoint | null;
  final: boolean;
  maxBytes: number;
}

export type ParseReply =
  | { type: 'batch'; id: number; start: number; batch: ParsedBatch }
  | { type: 'done'; id: number; result: TailResult }
  | { type: 'error'; id: number; code: string | null; message: string };

export interface ParseHandlers {
  batch(start: number, batch: ParsedBatch): void;
  done(result: TailResult): void;
  error(code: string | null, message: string): void;
}

export class ParserPool {
  private readonly worker: Worker;
  private readonly acks = new SharedArrayBuffer(4);
  private readonly acked = new Int32Array(this.acks);
  private readonly pending = new Map<number, ParseHandlers>();
  private nextId = 1;
  private dead = false;

  /** Null when the worker script cannot be found (then the engine parses inline). */
  static start(onFailure: (reason: string) => void): ParserPool | null {
    const script = workerScriptNextTo(import.meta.url, 'parse-worker');
    if (!script) return null;
    return new ParserPool(script, onFailure);
  }

  private constructor(script: WorkerScript, onFailure: (reason: string) => void) {
    this.worker = new Worker(script.script, {
      workerData: { acks: this.acks },
      eval: script.eval, // a small young generation: the thread allocates in bursts per batch, and RSS counts
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    this.worker.unref();
    this.worker.on('message', (msg: ParseReply) => this.receive(msg));
    const fail = (reason: string): void => {
      if (this.dead) return;
      this.dead = true;
      const handlers = [...this.pending.values()];
      this.pending.clear();
      for (const h of handlers) h.error(WORKER_GONE, reason);
      onFailure(reason);
    };
    this.worker.on('error', (e) => fail(`the parser thread failed: ${e instanceof Error ? e.message : String(e)}`));
    this.worker.on('exit', (code) => fail(`the parser thread exited (${code})`));
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Files sent and not finished yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  parse(req: Omit<ParseRequest, 'id'>, handlers: ParseHandlers): void {
    if (this.dead) {
      handlers.error(WORKER_GONE, 'the parser thread is not running');
      return;
    }
    const id = this.nextId++;
    this.pending.set(id, handlers);
    this.worker.postMessage({ ...req, id } satisfies ParseRequest);
  }

  /** One batch committed (or discarded): the worker may read on. */
  ack(): void {
    Atomics.add(this.acked, 0, 1);
    Atomics.notify(this.acked, 0);
  }

  private receive(msg: ParseReply): void {
    const h = this.pending.get(msg.id);
    if (!h) {
      if (msg.type === 'batch') this.ack();
      return;
    }
    if (msg.type === 'batch') h.batch(msg.start, msg.batch);
    else {
      this.pending.delete(msg.id);
      if (msg.type === 'done') h.done(msg.result);
      else h.error(msg.code, msg.message);
    }
  }

  async close(): Promise<void> {
    this.dead = true;
    this.pending.clear();
    await this.worker.terminate();
  }
}
