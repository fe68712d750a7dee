/**
 * The parser thread: reads line sources from their checkpoints and parses them (JSON and the
 * core parsers are most of the cost of ingesting), while the main thread writes rows. Batches go
 * back in order; the thread waits when more than WINDOW batches are not yet committed, so a slow
 * writer bounds the memory used.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { getErrorMessage, isNodeError } from '../../core/errors.js';
import type { Checkpoint } from '../store/offsets-repo.js';
import { lineParser, type LineSource } from './line-parse.js';
import { tailLines } from './tailer.js';
import type { ParseReply, ParseRequest } from './parser-pool.js';

const WINDOW = 8;

const port = parentPort;
const acked = new Int32Array((workerData as { acks: SharedArrayBuffer }).acks);
let posted = 0;

function post(msg: ParseReply): void {
  port?.postMessage(msg);
}

function waitForAcks(): void {
  // the main thread adds one per committed batch and notifies
  for (;;) {
    const done = Atomics.load(acked, 0);
    if (posted - done <= WINDOW) return;
    Atomics.wait(acked, 0, done, 1000);
  }
}

function run(req: ParseRequest): void {
  const src: LineSource = req.src;
  const parse = lineParser(src);
  try {
    const result = tailLines(
      src.path,
      src.kind,
      req.prev as Checkpoint | null,
      (batch, plan) => {
        const items = parse(batch.lines);
        posted++;
        post({
          type: 'batch',
          id: req.id,
          start: plan.start,
          batch: { checkpoint: batch.checkpoint, oversized: batch.oversized, items },
        });
        waitForAcks();
      },
      { final: req.final, maxBytes: req.maxBytes },
    );
    post({ type: 'done', id: req.id, result });
  } catch (e) {
    post({ type: 'error', id: req.id, code: isNodeError(e) ? (e.code ?? null) : null, message: getErrorMessage(e) });
  }
}

port?.on('message', (req: ParseRequest) => run(req));
