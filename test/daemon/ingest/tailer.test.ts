import { appendFileSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../../src/daemon/store/offsets-repo.js';
import { tailLines, type TailBatch, type TailOptions } from '../../../src/daemon/ingest/tailer.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
afterEach(() => dirs.removeAll());

/** Tails like the engine does: each batch "commits" by replacing the checkpoint. */
function tail(path: string, prev: Checkpoint | null, opts: TailOptions = {}) {
  const batches: TailBatch[] = [];
  let cp = prev;
  const r = tailLines(
    path,
    'hook-jsonl',
    prev,
    (b) => {
      batches.push(b);
      cp = b.checkpoint;
    },
    opts,
  );
  return { r, cp, lines: batches.flatMap((b) => b.lines), oversized: batches.flatMap((b) => b.oversized), batches };
}

const line = (i: number): string => `${JSON.stringify({ i, pad: 'x'.repeat(i % 7) })}\n`;

describe('tailLines', () => {
  it('reads complete lines and resumes from the checkpoint', () => {
    const path = join(dirs.make(), 'a.jsonl');
    writeFileSync(path, line(1) + line(2));
    const a = tail(path, null);
    expect(a.lines.map((l) => JSON.parse(l.text).i)).toEqual([1, 2]);
    expect(a.cp?.offset).toBe(Buffer.byteLength(line(1) + line(2)));
    appendFileSync(path, line(3));
    const b = tail(path, a.cp);
    expect(b.r.reason).toBe('resume');
    expect(b.lines.map((l) => JSON.parse(l.text).i)).toEqual([3]);
    expect(b.lines[0]?.offset).toBe(a.cp?.offset);
    const c = tail(path, b.cp);
    expect(c.lines).toEqual([]);
    expect(c.batches).toEqual([]); // nothing new: no checkpoint write either
  });

  it('leaves a partial last line for its newline, and never checkpoints inside it', () => {
    const path = join(dirs.make(), 'a.jsonl');
    writeFileSync(path, `${line(1)}{"i":2,`);
    const a = tail(path, null);
    expect(a.lines).toHaveLength(1);
    expect(a.r.pendingTail).toBe(7);
    expect(a.cp?.offset).toBe(Buffer.byteLength(line(1)));
    appendFileSync(path, '"pad":""}\n');
    const b = tail(path, a.cp);
    expect(b.lines.map((l) => JSON.parse(l.text).i)).toEqual([2]);
    expect(b.r.pendingTail).toBe(0);
  });

  it('with final, takes a partial last line that is whole JSON, and only that', () => {
    const path = join(dirs.make(), 'a.jsonl');
    writeFileSync(path, `${line(1)}{"i":2}`);
    const a = tail(path, null, { final: true });
    expect(a.lines.map((l) => JSON.parse(l.text).i)).toEqual([1, 2]);
    expect(a.cp?.offset).toBe(Buffer.byteLength(`${line(1)}{"i":2}`));
    // the newline that follows later is an empty line, not a second copy
    appendFileSync(path, `\n${line(3)}`);
    const b = tail(path, a.cp);
    expect(
      b.lines
        .map((l) => l.text.trim())
        .filter(Boolean)
        .map((t) => JSON.parse(t).i),
    ).toEqual([3]);
    const torn = join(dirs.make(), 'b.jsonl');
    writeFileSync(torn, `${line(1)}{"i":2,"pa`);
    const c = tail(torn, null, { final: true });
    expect(c.lines).toHaveLength(1);
    expect(c.r.pendingTail).toBeGreaterThan(0);
  });

  it('starts over after truncation', () => {
    const path = join(dirs.make(), 'a.jsonl');
    writeFileSync(path, line(1) + line(2) + line(3));
    const a = tail(path, null);
    truncateSync(path, 0);
    writeFileSync(path, line(9));
    const b = tail(path, a.cp);
    expect(b.r.reason).toBe('truncated');
    expect(b.lines.map((l) => JSON.parse(l.text).i)).toEqual([9]);
  });

  it('starts over when the path is a new file (rotation, deletion and re-creation)', () => {
    const dir = dirs.make();
    const path = join(dir, 'a.jsonl');
    writeFileSync(path, line(1) + line(2));
    const a = tail(path, null);
    renameSync(path, join(dir, 'a.1.jsonl'));
    writeFileSync(path, line(3) + line(4) + line(5));
    const b = tail(path, a.cp);
    expect(b.r.reason).toBe('rotated');
    expect(b.lines.map((l) => JSON.parse(l.text).i)).toEqual([3, 4, 5]);
    unlinkSync(path);
    writeFileSync(path, line(6) + line(7) + line(8) + line(9));
    const c = tail(path, b.cp);
    expect(['rotated', 'rewritten']).toContain(c.r.reason); // inode numbers can be reused
    expect(c.lines.map((l) => JSON.parse(l.text).i)).toEqual([6, 7, 8, 9]);
  });

  it('starts over when the content before the checkpoint was rewritten in place', () => {
    const path = join(dirs.make(), 'a.jsonl');
    writeFileSync(path, line(1) + line(2));
    const a = tail(path, null);
    writeFileSync(path, line(5) + line(6) + line(7)); // same inode, longer, different start
    const b = tail(path, a.cp);
    expect(b.r.reason).toBe('rewritten');
    expect(b.lines.map((l) => JSON.parse(l.text).i)).toEqual([5, 6, 7]);
  });

  it('does not take a file that grew past 1 KB for a rewritten one', () => {
    const path = join(dirs.make(), 'a.jsonl');
    writeFileSync(path, line(1));
    let cp = tail(path, null).cp;
    for (let i = 2; i < 200; i++) {
      appendFileSync(path, line(i));
      const t = tail(path, cp);
      expect(t.r.reason).toBe('resume');
      expect(t.lines.map((l) => JSON.parse(l.text).i)).toEqual([i]);
      cp = t.cp;
    }
  });

  it('batches big files and never checkpoints inside a line', () => {
    const path = join(dirs.make(), 'a.jsonl');
    let text = '';
    for (let i = 0; i < 500; i++) text += line(i);
    writeFileSync(path, text);
    const a = tail(path, null, { chunkBytes: 1000 });
    expect(a.batches.length).toBeGreaterThan(5);
    expect(a.lines.map((l) => JSON.parse(l.text).i)).toEqual([...Array(500).keys()]);
    for (const b of a.batches) expect(text[b.checkpoint.offset - 1]).toBe('\n');
    // maxBytes stops early at a line boundary; the rest comes on the next call
    const b = tail(path, null, { chunkBytes: 1000, maxBytes: 3000 });
    expect(b.r.reachedEnd).toBe(false);
    const c = tail(path, b.cp, { chunkBytes: 1000 });
    expect([...b.lines, ...c.lines].map((l) => JSON.parse(l.text).i)).toEqual([...Array(500).keys()]);
  });

  it('reads a line longer than a chunk whole, and skips one longer than the limit', () => {
    const path = join(dirs.make(), 'a.jsonl');
    const long = JSON.stringify({ big: 'y'.repeat(5000) });
    const huge = JSON.stringify({ huge: 'z'.repeat(50_000) });
    writeFileSync(path, `${line(1)}${long}\n${huge}\n${line(2)}`);
    const a = tail(path, null, { chunkBytes: 1024, maxLineBytes: 20_000, maxBytes: 2048 });
    const b = a.r.reachedEnd ? a : tail(path, a.cp, { chunkBytes: 1024, maxLineBytes: 20_000 });
    const all = a === b ? a.lines : [...a.lines, ...b.lines];
    expect(all.map((l) => l.text.length)).toEqual([line(1).length - 1, long.length, line(2).length - 1]);
    const over = [...a.oversized, ...(a === b ? [] : b.oversized)];
    expect(over).toHaveLength(1);
    expect(over[0]?.offset).toBe(line(1).length + long.length + 1);
    expect(over[0]?.length).toBe(huge.length + 1);
    expect(over[0]?.excerpt.toString()).toBe(huge.slice(0, 200));
  });

  it('keeps invalid UTF-8 lines (decoded with replacement characters) and their offsets', () => {
    const path = join(dirs.make(), 'a.jsonl');
    const bad = Buffer.concat([Buffer.from('{"s":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}\n')]);
    writeFileSync(path, Buffer.concat([Buffer.from(line(1)), bad, Buffer.from(line(2))]));
    const a = tail(path, null);
    expect(a.lines).toHaveLength(3);
    expect(JSON.parse(a.lines[1]?.text ?? '').s).toContain('\ufffd');
    expect(a.lines[2]?.offset).toBe(line(1).length + bad.length);
  });

  it('finishes reading a file deleted while being read (the open descriptor still reads)', () => {
    const path = join(dirs.make(), 'a.jsonl');
    let text = '';
    for (let i = 0; i < 300; i++) text += line(i);
    writeFileSync(path, text);
    let first = true;
    const seen: number[] = [];
    tailLines(
      path,
      'hook-jsonl',
      null,
      (b) => {
        if (first) rmSync(path);
        first = false;
        seen.push(...b.lines.map((l) => JSON.parse(l.text).i as number));
      },
      { chunkBytes: 512 },
    );
    expect(seen).toEqual([...Array(300).keys()]);
  });

  it('refuses to open something that is not a regular file', () => {
    expect(() => tailLines(dirs.make(), 'hook-jsonl', null, () => undefined)).toThrow();
  });
});
