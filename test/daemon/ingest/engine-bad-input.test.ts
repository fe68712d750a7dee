/**
 * Bad input never stops ingestion: each case ends as rows, a quarantine row, or a warning (what
 * `outloop status` shows), and the engine goes on with the next file.
 *
 * Not testable here: a permission-denied file. Tests run as root, and chmod 000 does not stop
 * root from reading. The engine reports any open/read error (EACCES included) as a warning with
 * the file's path; the FIFO and dangling-symlink cases below cover files that cannot be read.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { all, count, one, testEngines } from '../../helpers/ingest.js';

const { dirs, engine } = testEngines();

const SESSION = '22222222-3333-4444-8555-666666666666';
const prompt = (p: string): string =>
  `${JSON.stringify({ session_id: SESSION, hook_event_name: 'UserPromptSubmit', prompt: p })}\n`;

function transcriptPair(id: string, content: string, ts = '2026-03-02T09:14:20.000Z'): string {
  const base = { sessionId: SESSION, cwd: '/w', isSidechain: false, version: '2.1.63' };
  const a = {
    ...base,
    type: 'assistant',
    timestamp: ts,
    requestId: `req_${id}`,
    message: {
      id: `msg_${id}`,
      model: 'claude-sonnet-4-5',
      role: 'assistant',
      content: [{ type: 'tool_use', id: `toolu_${id}`, name: 'Read', input: { file_path: '/w/big.txt' } }],
      usage: { input_tokens: 3, output_tokens: 10 },
    },
  };
  const u = {
    ...base,
    type: 'user',
    timestamp: ts,
    message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${id}`, content }] },
  };
  return `${JSON.stringify(a)}\n${JSON.stringify(u)}\n`;
}

describe('bad input', () => {
  it('a 20 MB single line is ingested whole, and the lines after it too', async () => {
    const e = engine();
    const dir = join(dirs.make(), 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${SESSION}.jsonl`);
    writeFileSync(path, transcriptPair('big', 'x'.repeat(20 * 1024 * 1024)) + transcriptPair('after', 'small'));
    const c = await e.ingest(dir);
    expect(c.quarantined).toBe(0);
    expect(c.toolCalls).toBe(2);
    expect(
      Number(one(e.store, "SELECT response_bytes FROM tool_calls WHERE tool_use_id = 'toolu_big'")?.['response_bytes']),
    ).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    expect(c.bytes).toBeGreaterThan(20 * 1024 * 1024);
  });

  it('invalid UTF-8: valid JSON around bad bytes becomes rows (U+FFFD), binary garbage a quarantine row', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    const path = join(logs, 'hooks.jsonl');
    const bad = Buffer.concat([
      Buffer.from(prompt('caf').slice(0, -3)),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}\n'),
    ]);
    const binary = Buffer.from([0x00, 0x9f, 0x92, 0x96, 0xff, 0xfe, 0x0a]);
    writeFileSync(path, Buffer.concat([Buffer.from(prompt('one')), bad, binary, Buffer.from(prompt('two'))]));
    const c = await e.ingest(logs);
    expect(c.hookEvents).toBe(3);
    expect(c.quarantined).toBe(1);
    expect(
      all(e.store, 'SELECT payload FROM hook_events ORDER BY id').map((r) => JSON.parse(String(r['payload'])).prompt),
    ).toEqual(['one', 'caf\ufffd(\ufffd', 'two']);
    const q = one(e.store, 'SELECT offset, reason FROM quarantine');
    expect(q?.['offset']).toBe(Buffer.byteLength(prompt('one')) + bad.length);
  });

  it('a file replaced by a directory: a warning, and the next files still go in', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    const path = join(logs, 'hooks.jsonl');
    writeFileSync(path, prompt('a'));
    await e.engine.ingestFiles([path]);
    rmSync(path);
    mkdirSync(path);
    writeFileSync(join(logs, 'other.jsonl'), prompt('b'));
    const c = await e.engine.ingestFiles([path, join(logs, 'other.jsonl')]);
    expect(c.hookEvents).toBe(1);
    expect(e.warnings.list().some((w) => w.includes(`${path} is a directory`))).toBe(true);
  });

  it('a file deleted before or while being read: no error, its rows so far stay', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    const gone = join(logs, 'gone.jsonl');
    writeFileSync(gone, prompt('x'));
    e.engine.enqueue(gone);
    rmSync(gone); // before the engine got to it
    const kept = join(logs, 'kept.jsonl');
    writeFileSync(kept, prompt('y'));
    await e.engine.ingestFiles([kept]);
    expect(count(e.store, 'hook_events')).toBe(1);
    expect(e.warnings.list()).toEqual([]);
  });

  it('a symlink loop and a dangling symlink: reported, never followed', async () => {
    const e = engine();
    const root = join(dirs.make(), 'logs');
    mkdirSync(join(root, 'sub'), { recursive: true });
    symlinkSync(root, join(root, 'sub', 'loop'));
    symlinkSync(join(root, 'nowhere.jsonl'), join(root, 'dangling.jsonl'));
    writeFileSync(join(root, 'real.jsonl'), prompt('r'));
    const c = await e.ingest(root);
    expect(c.hookEvents).toBe(1);
    expect(e.problems.some((p) => p.includes('loop') && p.includes('symbolic link'))).toBe(true);
    expect(e.problems.some((p) => p.includes('dangling.jsonl') && p.includes('symbolic link'))).toBe(true);
    // the watcher may report the link itself: the engine warns instead of following it
    e.engine.enqueue(join(root, 'dangling.jsonl'));
    await vi.waitFor(
      () => expect(e.warnings.list().some((w) => w.includes('dangling.jsonl is a symbolic link'))).toBe(true),
      { timeout: 5000, interval: 10 },
    );
  });

  it('a FIFO named like a log: a warning, no hang (nothing writes to it)', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    const fifo = join(logs, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(join(logs, 'real.jsonl'), prompt('r'));
    e.engine.enqueue(fifo);
    const c = await e.ingest(logs);
    expect(c.hookEvents).toBe(1);
    expect(e.problems.some((p) => p.includes('pipe.jsonl') && p.includes('FIFO'))).toBe(true);
    await vi.waitFor(() => expect(e.warnings.list().some((w) => w.includes('pipe.jsonl is a FIFO'))).toBe(true), {
      timeout: 5000,
      interval: 10,
    });
  });

  it('a clock far in the future: the rows go in, with a warning', async () => {
    const e = engine();
    const dir = join(dirs.make(), 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${SESSION}.jsonl`), transcriptPair('future', 'ok', '2999-01-01T00:00:00.000Z'));
    const c = await e.ingest(dir);
    expect(c.usageRecords).toBe(1);
    expect(one(e.store, 'SELECT day FROM usage_records')?.['day']).toBe('2999-01-01');
    expect(e.warnings.list().some((w) => w.includes('ahead of this clock') && w.includes('2999-01-01'))).toBe(true);
  });

  it('lines that do not parse go to quarantine with file, offset, reason and first 200 bytes; the rest goes on', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    const path = join(logs, 'hooks.jsonl');
    const garbage = `{"broken": ${'z'.repeat(500)}\n`;
    writeFileSync(path, prompt('a') + garbage + '[1,2]\n' + prompt('b'));
    const c = await e.ingest(logs);
    expect(c.hookEvents).toBe(2);
    expect(c.quarantined).toBe(2);
    const q = all(e.store, 'SELECT path, offset, reason, excerpt FROM quarantine ORDER BY offset');
    expect(q[0]).toMatchObject({ path, offset: Buffer.byteLength(prompt('a')), reason: 'hook payload: invalid-json' });
    expect((q[0]?.['excerpt'] as Buffer).length).toBe(200);
    expect((q[0]?.['excerpt'] as Buffer).toString()).toBe(garbage.slice(0, 200));
    expect(q[1]?.['reason']).toBe('hook payload: not-an-object');
  });
});
