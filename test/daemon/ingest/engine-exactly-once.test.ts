/**
 * Exactly once, with a real engine on a real store: re-reading adds nothing, truncation,
 * rotation, deletion and re-creation are noticed, array files add only their new elements, and
 * the rows do not depend on the order files are read in.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { generateCorpus } from '../../../bench/corpus.js';
import { walkFiles } from '../../../src/daemon/watch/walk.js';
import {
  all,
  copyFixture,
  count,
  dumpIngestTables,
  one,
  writeSpool,
  type TestEngine,
  testEngines,
} from '../../helpers/ingest.js';

let parseInWorker = true;
const { dirs, engine } = testEngines(() => ({ parseInWorker }));

const SESSION = '11111111-2222-4333-8444-555555555555';
const hook = (event: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    session_id: SESSION,
    cwd: '/w',
    hook_event_name: event,
    tool_name: 'Bash',
    tool_input: { command: 'npm test' },
    ...extra,
  });

/** The same corpus through the watcher path (enqueue), in a given file order, until idle. */
async function ingestInOrder(e: TestEngine, files: string[]): Promise<void> {
  for (const f of files) e.engine.enqueue(f);
  await e.engine.ingestFiles(files); // explicit pass over the same files: waits until all are done
}

describe.each([
  ['parsed in the worker thread', true],
  ['parsed inline', false],
])('exactly once (%s)', (_name, inWorker) => {
  beforeEach(() => {
    parseInWorker = inWorker;
  });

  it('ingesting the same paths twice adds nothing', async () => {
    const e = engine();
    const root = dirs.make();
    generateCorpus(join(root, 'gen'), 1_500_000, { seed: 7, sessionBytes: 60_000 });
    copyFixture('hooks', join(root, 'hooks', 'logs'));
    copyFixture('transcripts', join(root, 'claude', 'projects'));
    copyFixture('adw/agents', join(root, 'adw', 'agents'));
    const first = await e.ingest(root);
    expect(first.files).toBeGreaterThan(10);
    expect(first.usageRecords).toBeGreaterThan(50);
    expect(first.toolCalls).toBeGreaterThan(50);
    expect(first.hookEvents).toBeGreaterThan(50);
    expect(first.workflowRuns).toBeGreaterThan(0);
    const before = dumpIngestTables(join(e.dir, 'outloop.db'), e.dir);
    const second = await e.ingest(root);
    expect(second).toEqual({
      files: 0,
      bytes: 0,
      hookEvents: 0,
      toolCalls: 0,
      usageRecords: 0,
      workflowRuns: 0,
      quarantined: 0,
    });
    expect(dumpIngestTables(join(e.dir, 'outloop.db'), e.dir)).toEqual(before);
  });

  it('rows do not depend on the order files are read in', async () => {
    const root = dirs.make();
    const stats = generateCorpus(root, 1_200_000, { seed: 11, sessionBytes: 50_000 });
    // the hook log shares tool_use_ids with transcripts; the 2.0.x array logs pair by order
    expect(stats.hookEvents).toBeGreaterThan(20);
    const files = walkFiles([root], () => undefined);
    const orders = [
      files,
      [...files].reverse(),
      [...files].sort((a, b) => (a.length % 7) - (b.length % 7) || a.localeCompare(b)),
    ];
    const dumps = [];
    for (const order of orders) {
      const e = engine();
      await ingestInOrder(e, order);
      dumps.push(dumpIngestTables(join(e.dir, 'outloop.db'), e.dir));
    }
    expect(dumps[0]?.['tool_calls']?.length).toBeGreaterThan(20);
    expect(dumps[1]).toEqual(dumps[0]);
    expect(dumps[2]).toEqual(dumps[0]);
  });

  it('the same call seen by a hook and in a transcript is one tool_calls row', async () => {
    const e = engine();
    const root = dirs.make();
    const logs = join(root, 'logs');
    mkdirSync(logs);
    writeFileSync(
      join(logs, 'hooks.jsonl'),
      `${hook('PreToolUse', { tool_use_id: 'toolu_01Bash', logged_at: '2026-03-02T09:14:20.100Z' })}\n${hook(
        'PostToolUse',
        {
          tool_use_id: 'toolu_01Bash',
          tool_response: { stdout: 'ok', stderr: '', interrupted: false },
          duration_ms: 777,
        },
      )}\n`,
    );
    copyFixture('transcripts/-home-ana-src-shop-api', join(root, 'projects', 'p'));
    await e.ingest(root);
    const rows = all(
      e.store,
      "SELECT sources, duration_ms, command FROM tool_calls WHERE tool_use_id = 'toolu_01Bash'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.['sources']).toBe('hook-post,hook-pre,transcript');
    expect(rows[0]?.['duration_ms']).toBe(777); // measured by the hook, not computed from the timestamps
  });

  it('Pre/Post without tool_use_id pair by order within the session, whichever file is read first', async () => {
    for (const postFirst of [false, true]) {
      const e = engine();
      const logs = join(dirs.make(), 'logs');
      mkdirSync(logs);
      const pre = [hook('PreToolUse'), hook('PreToolUse'), hook('PreToolUse', { tool_input: { command: 'ls' } })];
      const post = [hook('PostToolUse'), hook('PostToolUse', { tool_response: { stdout: 'x', interrupted: true } })];
      writeFileSync(join(logs, 'PreToolUse.json'), `[${pre.join(',')}]`);
      writeFileSync(join(logs, 'PostToolUse.json'), `[${post.join(',')}]`);
      const order = postFirst ? ['PostToolUse.json', 'PreToolUse.json'] : ['PreToolUse.json', 'PostToolUse.json'];
      for (const f of order) await e.engine.ingestFiles([join(logs, f)]);
      const rows = all(e.store, 'SELECT command, sources, interrupted FROM tool_calls ORDER BY command, interrupted');
      expect(rows).toEqual([
        { command: 'ls', sources: 'hook-pre', interrupted: 0 },
        { command: 'npm test', sources: 'hook-post,hook-pre', interrupted: 0 },
        { command: 'npm test', sources: 'hook-post,hook-pre', interrupted: 1 },
      ]);
    }
  });

  it('an array log rewritten whole adds only its new elements, also when its head was trimmed', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    const path = join(logs, 'UserPromptSubmit.json');
    const ev = (i: number): string =>
      JSON.stringify({ session_id: SESSION, hook_event_name: 'UserPromptSubmit', prompt: `p${i}` });
    writeFileSync(
      path,
      JSON.stringify(
        [1, 2].map((i) => JSON.parse(ev(i)) as unknown),
        null,
        2,
      ),
    );
    expect((await e.engine.ingestFiles([path])).hookEvents).toBe(2);
    writeFileSync(
      path,
      JSON.stringify(
        [1, 2, 3].map((i) => JSON.parse(ev(i)) as unknown),
        null,
        2,
      ),
    );
    expect((await e.engine.ingestFiles([path])).hookEvents).toBe(1);
    writeFileSync(
      path,
      JSON.stringify(
        [2, 3, 4].map((i) => JSON.parse(ev(i)) as unknown),
        null,
        2,
      ),
    );
    expect((await e.engine.ingestFiles([path])).hookEvents).toBe(1);
    // two identical payloads are two events (the second is the n-th copy, not a duplicate)
    writeFileSync(
      path,
      JSON.stringify(
        [2, 3, 4, 4].map((i) => JSON.parse(ev(i)) as unknown),
        null,
        2,
      ),
    );
    expect((await e.engine.ingestFiles([path])).hookEvents).toBe(1);
    expect(count(e.store, 'hook_events')).toBe(5);
  });

  it('a rotated JSONL log (renamed away, new file in its place) is not read twice', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    const path = join(logs, 'hooks.jsonl');
    const prompt = (i: number): string =>
      `${JSON.stringify({ session_id: SESSION, hook_event_name: 'UserPromptSubmit', prompt: `p${i}` })}\n`;
    writeFileSync(path, prompt(1) + prompt(2));
    e.engine.enqueue(path);
    await vi.waitFor(() => expect(count(e.store, 'hook_events')).toBe(2), { timeout: 5000, interval: 10 });
    appendFileSync(path, prompt(3)); // written, then rotated before the daemon read it
    renameSync(path, join(logs, 'hooks.1.jsonl'));
    writeFileSync(path, prompt(4));
    e.engine.removed(path);
    e.engine.enqueue(join(logs, 'hooks.1.jsonl'));
    e.engine.enqueue(path);
    await vi.waitFor(() => expect(count(e.store, 'hook_events')).toBe(4), { timeout: 5000, interval: 10 });
    // and an explicit pass over both names adds nothing
    expect((await e.ingest(logs)).hookEvents).toBe(0);
    expect(
      all(e.store, 'SELECT payload FROM hook_events ORDER BY id').map((r) => JSON.parse(String(r['payload'])).prompt),
    ).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('truncation, deletion and re-creation are read again from the start', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    const path = join(logs, 'hooks.jsonl');
    const prompt = (i: number): string =>
      `${JSON.stringify({ session_id: SESSION, hook_event_name: 'UserPromptSubmit', prompt: `p${i}` })}\n`;
    writeFileSync(path, prompt(1) + prompt(2) + prompt(3));
    await e.engine.ingestFiles([path]);
    truncateSync(path, 0);
    appendFileSync(path, prompt(9));
    expect((await e.engine.ingestFiles([path])).hookEvents).toBe(1);
    rmSync(path);
    e.engine.removed(path);
    writeFileSync(path, prompt(10) + prompt(11) + prompt(12) + prompt(13));
    expect((await e.engine.ingestFiles([path])).hookEvents).toBe(4);
    expect(count(e.store, 'hook_events')).toBe(8);
  });

  it('a partial last line waits for its newline (live), then counts once', async () => {
    const e = engine();
    const logs = join(dirs.make(), 'logs');
    mkdirSync(logs);
    const path = join(logs, 'hooks.jsonl');
    const line = JSON.stringify({ session_id: SESSION, hook_event_name: 'Stop' });
    writeFileSync(path, `${line.slice(0, 20)}`);
    e.engine.enqueue(path);
    await vi.waitFor(() => expect(e.engine.status(0).pendingFiles).toBe(0), { timeout: 5000, interval: 10 });
    expect(count(e.store, 'hook_events')).toBe(0);
    expect(count(e.store, 'quarantine')).toBe(0);
    appendFileSync(path, `${line.slice(20)}\n`);
    e.engine.enqueue(path);
    await vi.waitFor(() => expect(count(e.store, 'hook_events')).toBe(1), { timeout: 5000, interval: 10 });
    expect(one(e.store, 'SELECT source_offset FROM hook_events')?.['source_offset']).toBe(0);
  });

  it('spool files: read in name order, removed once their rows are committed, bad ones quarantined', async () => {
    const e = engine();
    // Post before Pre by name would pair wrongly; names are epoch-ms first, so time order holds
    writeSpool(e.spoolDir, '1700000000002-1-b', hook('PostToolUse'));
    writeSpool(e.spoolDir, '1700000000001-1-a', hook('PreToolUse'));
    writeSpool(e.spoolDir, '1700000000003-1-c', 'not json at all');
    writeFileSync(
      join(e.spoolDir, '1700000000004-1-d.json'),
      `${JSON.stringify({ v: 1, receivedAt: new Date().toISOString(), error: 'stdin is not valid UTF-8', payloadBase64: Buffer.from([0xff, 0xfe]).toString('base64') })}\n`,
    );
    writeFileSync(join(e.spoolDir, '1700000000005-1-e.json'), '{"v":1,"rec');
    const files = readdirSync(e.spoolDir).map((f) => join(e.spoolDir, f));
    for (const f of files) e.engine.enqueue(f);
    await vi.waitFor(() => expect(readdirSync(e.spoolDir)).toEqual([]), { timeout: 5000, interval: 10 });
    expect(count(e.store, 'hook_events')).toBe(2);
    expect(one(e.store, 'SELECT sources, started_at IS NOT NULL AS s FROM tool_calls')).toEqual({
      sources: 'hook-post,hook-pre',
      s: 1,
    });
    const reasons = all(e.store, 'SELECT reason FROM quarantine ORDER BY path').map((r) => r['reason']);
    expect(reasons).toEqual([
      'hook payload: invalid-json',
      'spool: stdin is not valid UTF-8',
      'spool file is not an outloop envelope',
    ]);
    // a second pass over the same names finds nothing
    for (const f of files) expect(existsSync(f)).toBe(false);
  });
});
