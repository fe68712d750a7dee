import { StringDecoder } from 'node:string_decoder';

/**
 * Largest request line the daemon reads, in bytes (UTF-8) of the line without its newline; a
 * longer one closes that connection. The one limit on what a client may make the daemon hold.
 */
export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Largest answer line a client reads from the daemon (a long pattern list or usage report is
 * legitimately bigger than a request); past it the client drops the connection.
 */
export const MAX_ANSWER_LINE_BYTES = 64 * MAX_LINE_BYTES;

export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`message line exceeds ${limit} bytes`);
    this.name = 'LineTooLongError';
  }
}

/**
 * Splits a byte stream into lines. Handles several messages per chunk, a message split across
 * chunks, and a multi-byte character split across chunks (StringDecoder keeps the partial bytes).
 */
export class NdjsonDecoder {
  private readonly decoder = new StringDecoder('utf8');
  private parts: string[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  /** Feeds a chunk; returns the complete lines in it. Throws LineTooLongError past the limit. */
  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      const piece = text.slice(start, nl);
      this.checkLength(piece);
      this.parts.push(piece);
      const line = this.parts.length === 1 ? piece : this.parts.join('');
      this.parts = [];
      this.pendingBytes = 0;
      lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = nl + 1;
    }
    if (start < text.length) {
      const rest = text.slice(start);
      this.checkLength(rest);
      this.parts.push(rest);
    }
    return lines;
  }

  private checkLength(piece: string): void {
    // Exact UTF-8 size: a line of 3-byte characters must not pass at three times the limit.
    this.pendingBytes += piece.length === 0 ? 0 : Buffer.byteLength(piece);
    if (this.pendingBytes > this.maxLineBytes) {
      this.parts = [];
      this.pendingBytes = 0;
      throw new LineTooLongError(this.maxLineBytes);
    }
  }

  /** Bytes buffered in an incomplete line. */
  get buffered(): number {
    return this.pendingBytes;
  }
}

export function encodeMessage(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}
