import { describe, expect, it } from 'vitest';
import { encodeMessage, LineTooLongError, MAX_LINE_BYTES, NdjsonDecoder } from '../../src/rpc/ndjson.js';

const msg = (id: number): string => JSON.stringify({ jsonrpc: '2.0', id, method: 'daemon/status' });

/** Feeds every chunk and collects the lines in order. */
function feed(decoder: NdjsonDecoder, chunks: (string | Buffer)[]): string[] {
  return chunks.flatMap((c) => decoder.push(typeof c === 'string' ? Buffer.from(c) : c));
}

describe('NdjsonDecoder', () => {
  it('joins one message split over three chunks', () => {
    const line = msg(1);
    const d = new NdjsonDecoder();
    expect(d.push(Buffer.from(line.slice(0, 10)))).toEqual([]);
    expect(d.push(Buffer.from(line.slice(10, 30)))).toEqual([]);
    expect(d.push(Buffer.from(`${line.slice(30)}\n`))).toEqual([line]);
    expect(d.buffered).toBe(0);
  });

  it('splits three messages in one chunk, keeping the partial fourth', () => {
    const d = new NdjsonDecoder();
    expect(d.push(Buffer.from(`${msg(1)}\n${msg(2)}\n${msg(3)}\n${msg(4).slice(0, 5)}`))).toEqual([
      msg(1),
      msg(2),
      msg(3),
    ]);
    expect(d.push(Buffer.from(`${msg(4).slice(5)}\n`))).toEqual([msg(4)]);
  });

  it('keeps a multi-byte character split across chunks', () => {
    const line = JSON.stringify({ text: 'café 🚀 ção' });
    const bytes = Buffer.from(`${line}\n`);
    const rocket = bytes.indexOf(Buffer.from('🚀'));
    const e = bytes.indexOf(Buffer.from('é'));
    // cut inside "é" (2 bytes) and inside the rocket (4 bytes), twice
    const cuts = [e + 1, rocket + 1, rocket + 3, bytes.length];
    const chunks: Buffer[] = [];
    let from = 0;
    for (const cut of cuts) {
      chunks.push(bytes.subarray(from, cut));
      from = cut;
    }
    expect(feed(new NdjsonDecoder(), chunks)).toEqual([line]);
  });

  it('feeds byte by byte', () => {
    const text = `${msg(1)}\n{"a":"ü€"}\n`;
    const bytes = Buffer.from(text);
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(feed(new NdjsonDecoder(), chunks)).toEqual([msg(1), '{"a":"ü€"}']);
  });

  it('strips CR before LF', () => {
    expect(feed(new NdjsonDecoder(), [`${msg(1)}\r\n${msg(2)}\r`, '\n'])).toEqual([msg(1), msg(2)]);
  });

  it('returns empty lines as empty strings and ignores empty chunks', () => {
    expect(feed(new NdjsonDecoder(), ['', '\n', Buffer.alloc(0), 'x\n\n'])).toEqual(['', 'x', '']);
  });

  it('throws LineTooLongError past the limit, across chunks, without waiting for the newline', () => {
    const d = new NdjsonDecoder(100);
    expect(d.push(Buffer.from('a'.repeat(60)))).toEqual([]);
    expect(() => d.push(Buffer.from('a'.repeat(60)))).toThrow(LineTooLongError);
  });

  it('accepts a line of exactly the limit', () => {
    const d = new NdjsonDecoder(100);
    expect(d.push(Buffer.from(`${'a'.repeat(100)}\n`))).toEqual(['a'.repeat(100)]);
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    // 40 three-byte characters: 40 UTF-16 units but 120 bytes
    const d = new NdjsonDecoder(100);
    expect(() => d.push(Buffer.from('€'.repeat(40)))).toThrow(LineTooLongError);
    const ok = new NdjsonDecoder(120);
    expect(ok.push(Buffer.from(`${'€'.repeat(40)}\n`))).toEqual(['€'.repeat(40)]);
  });

  it('limits a line spread over many chunks of a long stream', () => {
    const d = new NdjsonDecoder(MAX_LINE_BYTES);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let thrown: unknown = null;
    let fed = 0;
    try {
      for (let i = 0; i < 40; i++) {
        d.push(chunk);
        fed += chunk.length;
      }
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(LineTooLongError);
    expect(fed).toBeLessThanOrEqual(MAX_LINE_BYTES);
  });

  it('is usable again after an oversize line was rejected', () => {
    const d = new NdjsonDecoder(10);
    expect(() => d.push(Buffer.from('x'.repeat(20)))).toThrow(LineTooLongError);
    expect(d.buffered).toBe(0);
  });
});

describe('encodeMessage', () => {
  it('writes compact JSON and one newline', () => {
    const out = encodeMessage({ jsonrpc: '2.0', id: 1, result: { a: [1, 2], s: 'line\nbreak' } });
    expect(out).toBe('{"jsonrpc":"2.0","id":1,"result":{"a":[1,2],"s":"line\\nbreak"}}\n');
    expect(out.indexOf('\n')).toBe(out.length - 1);
  });

  it('round-trips through the decoder', () => {
    const value = { jsonrpc: '2.0', method: 'events/changed', params: { text: 'ação 🚀\u2028' } };
    expect(new NdjsonDecoder().push(Buffer.from(encodeMessage(value))).map((l) => JSON.parse(l) as unknown)).toEqual([
      value,
    ]);
  });
});
