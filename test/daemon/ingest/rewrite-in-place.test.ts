/**
 * A line file rewritten in place (same inode, same first KiB, changed further in, then grown) is
 * read again from the start: every record of the new content lands once, and resuming at the old
 * offset (the middle of some new line) never quarantines a broken line.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { all, count, makeEngine, type TestEngine } from '../../helpers/ingest.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
const engines: TestEngine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
  dirs.removeAll();
});

const SESSION = '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c';

/** A first line longer than the 1 KiB prefix the checkpoint always hashed. */
const header = (): string =>
  JSON.stringify({ type: 'summary', summary: 'x'.repeat(1500), leafUuid: 'b9c8d7e6-2222-4f1a-9b3c-5d6e7f8a9b0c' });

function assistant(id: string, outputTokens: number, pad = 0): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    cwd: '/home/ana/src/shop-api',
    sessionId: SESSION,
    type: 'assistant',
    requestId: `req_${id}`,
    uuid: `u-${id}`,
    timestamp: '2026-03-02T09:14:05.112Z',
    message: {
      model: 'claude-sonnet-4-5-20250929',
      id: `msg_${id}`,
      role: 'assistant',
      type: 'message',
      content: [{ type: 'text', text: `reply ${id} ${'.'.repeat(pad)}` }],
      usage: {
        input_tokens: 10,
        output_tokens: outputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  });
}

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

/** Writes `text` at position 0 of the existing file: same inode, nothing truncated. */
function writeInPlace(path: string, text: string): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, text, 0, 'utf8');
  } finally {
    closeSync(fd);
  }
}

describe.each([true, false])('a line file rewritten in place (parse in worker: %s)', (parseInWorker) => {
  function engine(): TestEngine {
    const e = makeEngine(dirs, { parseInWorker });
    engines.push(e);
    return e;
  }

  function transcriptPath(): string {
    const dir = join(dirs.make('ol-rw-'), '-home-ana-src-shop-api');
    mkdirSync(dir);
    return join(dir, `${SESSION}.jsonl`);
  }

  it('after its first KiB and grown: read again from the start, every record once, nothing quarantined', async () => {
    const e = engine();
    const path = transcriptPath();
    const before = [header(), assistant('a1', 11), assistant('a2', 12), assistant('a3', 13), assistant('a4', 14)];
    writeFileSync(path, lines(...before));
    const ino = statSync(path).ino;
    await e.ingest(path);
    expect(count(e.store, 'usage_records')).toBe(4);

    // the middle changes: three new records before the old offset (longer than what they replace),
    // then the old ones, so the file grows and the old offset falls inside a line
    const after = [
      header(),
      assistant('a1', 11),
      assistant('b1', 21, 40),
      assistant('b2', 22, 40),
      assistant('b3', 23, 40),
      assistant('a2', 12),
      assistant('a3', 13),
      assistant('a4', 14),
    ];
    writeInPlace(path, lines(...after));
    expect(statSync(path).ino).toBe(ino);
    await e.ingest(path);

    const ids = all(e.store, 'SELECT message_id, output_tokens FROM usage_records ORDER BY message_id');
    expect(ids).toEqual([
      { message_id: 'msg_a1', output_tokens: 11 },
      { message_id: 'msg_a2', output_tokens: 12 },
      { message_id: 'msg_a3', output_tokens: 13 },
      { message_id: 'msg_a4', output_tokens: 14 },
      { message_id: 'msg_b1', output_tokens: 21 },
      { message_id: 'msg_b2', output_tokens: 22 },
      { message_id: 'msg_b3', output_tokens: 23 },
    ]);
    expect(count(e.store, 'quarantine')).toBe(0);
    // a third read adds nothing
    const again = await e.ingest(path);
    expect(again.usageRecords).toBe(0);
    expect(count(e.store, 'usage_records')).toBe(7);
  });

  it('same size, changed before the offset: the changed records are read', async () => {
    const e = engine();
    const path = transcriptPath();
    writeFileSync(path, lines(header(), assistant('a1', 11), assistant('a2', 12), assistant('a3', 13)));
    await e.ingest(path);
    // same length lines with other ids and counts
    writeInPlace(path, lines(header(), assistant('a1', 11), assistant('c2', 32), assistant('c3', 33)));
    await e.ingest(path);
    const ids = all(e.store, 'SELECT message_id FROM usage_records ORDER BY message_id').map((r) => r['message_id']);
    expect(ids).toEqual(['msg_a1', 'msg_a2', 'msg_a3', 'msg_c2', 'msg_c3']);
    expect(count(e.store, 'quarantine')).toBe(0);
  });

  it('an append alone resumes at the offset (nothing read twice)', async () => {
    const e = engine();
    const path = transcriptPath();
    writeFileSync(path, lines(header(), assistant('a1', 11)));
    const first = await e.ingest(path);
    writeFileSync(path, lines(assistant('a2', 12)), { flag: 'a' });
    const second = await e.ingest(path);
    expect(second.bytes).toBeLessThan(first.bytes);
    expect(second.usageRecords).toBe(1);
  });
});
