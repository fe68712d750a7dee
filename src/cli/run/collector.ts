/**
 * Where a run's output goes as it arrives: every byte to the kept log (written through, so a 50 MB
 * output is never held in memory), and at most HEAD_BYTES from its start plus TAIL_BYTES from its end
 * kept in memory for compaction. When the middle is left out, the text says so.
 */
import { closeSync, writeSync } from 'node:fs';

export const HEAD_BYTES = 1024 * 1024;
export const TAIL_BYTES = 1024 * 1024;

export interface Collected {
  /** what compaction reads: the whole output, or its head and tail around a note */
  text: string;
  rawBytes: number;
  /** bytes in the middle not read for compaction (0: the text is the whole output) */
  leftOut: number;
  /** why the kept log is incomplete, null when it holds everything */
  logProblem: string | null;
}

export class OutputCollector {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private readonly tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;
  private logProblem: string | null = null;

  constructor(
    private logFd: number | null,
    private readonly headMax = HEAD_BYTES,
    private readonly tailMax = TAIL_BYTES,
  ) {}

  add(chunk: Buffer): void {
    this.total += chunk.length;
    this.write(chunk);
    let rest = chunk;
    if (this.headBytes < this.headMax) {
      const take = rest.subarray(0, this.headMax - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      rest = rest.subarray(take.length);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    // drop whole chunks from the front while the rest still covers the tail
    while (this.tail.length > 1 && this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailMax)
      this.tailBytes -= this.tail.shift()?.length ?? 0;
  }

  private write(chunk: Buffer): void {
    if (this.logFd === null) return;
    try {
      let off = 0;
      while (off < chunk.length) off += writeSync(this.logFd, chunk, off, chunk.length - off);
    } catch (e) {
      this.logProblem = `writing the log failed after ${this.total - chunk.length} bytes: ${(e as Error).message}`;
      this.close();
    }
  }

  /** Closes the log; the output so far stays readable with finish(). */
  close(): void {
    if (this.logFd === null) return;
    try {
      closeSync(this.logFd);
    } catch {
      // closed already
    }
    this.logFd = null;
  }

  finish(): Collected {
    this.close();
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailMax) tail = tail.subarray(tail.length - this.tailMax);
    const leftOut = this.total - head.length - tail.length;
    if (leftOut === 0) return this.result(Buffer.concat([head, tail]).toString('utf8'), 0);
    // start the tail on a line of its own
    const nl = tail.indexOf(0x0a);
    const from = nl >= 0 && nl < 4096 ? nl + 1 : 0;
    const skipped = leftOut + from;
    const note = `\n[outloop: ${skipped} bytes in the middle of the output were not read for this summary; the log has all of them]\n`;
    return this.result(`${head.toString('utf8')}${note}${tail.subarray(from).toString('utf8')}`, skipped);
  }

  private result(text: string, leftOut: number): Collected {
    return { text, rawBytes: this.total, leftOut, logProblem: this.logProblem };
  }
}
