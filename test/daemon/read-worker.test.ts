import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.js';
import { contextEfficiency, contextProfile } from '../../src/daemon/handlers/context-efficiency.js';
import { usageReport } from '../../src/daemon/handlers/usage.js';
import { ContextProfiler } from '../../src/daemon/learn/context-profiler.js';
import { candidateSelector } from '../../src/daemon/discovery/select.js';
import { Learner } from '../../src/daemon/learn/learner.js';
import { WINDOW_MS } from '../../src/daemon/handlers/pattern-view.js';
import { ReadWorker, readWorkerScript } from '../../src/daemon/read-worker/read-worker.js';
import type { UsageReportParams } from '../../src/rpc/protocol.js';
import { FIXTURES, makeEngine, recordingLogger, silentLogger, type TestEngine } from '../helpers/ingest.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { rejection } from '../helpers/rejection.js';

const dirs = tempDirs();
const DAY = 86_400_000;
const NOW = new Date('2026-03-01T12:00:00Z');
const workers: ReadWorker[] = [];

function started(w: ReadWorker): ReadWorker {
  workers.push(w);
  return w;
}

afterEach(async () => {
  for (const w of workers.splice(0)) await w.close();
});

afterAll(() => dirs.removeAll());

describe('the read thread over a real store', () => {
  let t: TestEngine;
  let sessions: string[];

  beforeAll(async () => {
    t = makeEngine(dirs);
    const corpus = dirs.make('ol-rw-corpus-');
    generateCorpus(corpus, 1.5e6, { seed: 3, sessionBytes: 150_000 });
    await t.ingest(corpus, join(FIXTURES, 'context'));
    // sessions of 12 calls each to one command: a pattern over the discovery thresholds
    t.store.tx(() => {
      for (let s = 0; s < 12; s++) {
        const started = Date.now() - (s + 1) * DAY;
        t.store.toolCalls.merge({
          callKey: `toolu_rw_${s}`,
          toolUseId: `toolu_rw_${s}`,
          source: 'transcript',
          sessionId: `rw-session-${s}`,
          toolName: 'Bash',
          command: 'reindex --all',
          cwd: '/home/dev/shop',
          inputBytes: 60,
          responseBytes: 100_000,
          exitCode: 0,
          isError: false,
          durationMs: 3000,
          startedAt: new Date(started).toISOString(),
          endedAt: new Date(started + 3000).toISOString(),
          model: 'claude-sonnet-4-5-20250929',
        });
      }
    });
    const learner = new Learner(t.store, t.hub, silentLogger);
    learner.learnPending();
    learner.close();
    sessions = (t.store.db.prepare('SELECT DISTINCT session_id AS s FROM tool_calls').all() as { s: string }[]).map(
      (r) => r.s,
    );
  }, 120_000);

  afterAll(() => t.close());

  function worker(): ReadWorker {
    const script = readWorkerScript();
    if (script === null) throw new Error('no worker script next to read-worker.ts');
    return started(new ReadWorker({ dbPath: t.store.db.name }, silentLogger, script, () => NOW));
  }

  it('answers every usage report exactly as the main thread does', async () => {
    const w = worker();
    const cases: UsageReportParams[] = [
      { kind: 'daily' },
      { kind: 'monthly' },
      { kind: 'session' },
      { kind: 'daily', since: '2026-01-06', until: '2026-01-20' },
      { kind: 'blocks', since: '2026-01-01' },
    ];
    for (const params of cases) {
      const main = usageReport(t.store, params, NOW);
      expect(await w.call('usage/report', params)).toStrictEqual(main);
    }
    const daily = usageReport(t.store, { kind: 'daily' }, NOW);
    expect(JSON.stringify(daily)).toMatch(/"totalTokens":[1-9]/);
    // the same error, same kind, as the main thread's
    const bad = await rejection(w.call('usage/report', { kind: 'daily', since: '2026-02-01', until: '2026-01-01' }));
    expect(bad.code).toBe('invalid_argument');
    expect(bad.message).toMatch(/is after until/);
  });

  it('answers context efficiency and profiles exactly as the main thread does', async () => {
    const w = worker();
    const profiler = new ContextProfiler(t.store);
    expect(sessions.length).toBeGreaterThan(3);
    for (const sessionId of sessions) {
      expect(await w.call('context/efficiency', { sessionId })).toStrictEqual(
        contextEfficiency(profiler, { sessionId }),
      );
    }
    const missing = await rejection(w.call('context/efficiency', { sessionId: 'no-such-session' }));
    expect(missing.code).toBe('not_found');
    expect(missing.details).toEqual({ sessionId: 'no-such-session' });
    const profile = await rejection(w.call('context/profile', { signature: 'other:none:all' }));
    expect(profile.code).toBe('not_found');
    expect(() => contextProfile(t.store, 'other:none:all')).toThrow(profile.message);
  });

  it('selects the discovery candidates the main thread selects', async () => {
    const w = worker();
    const sinceMs = Date.now() - WINDOW_MS;
    const main = candidateSelector(t.store)(sinceMs);
    expect(main.map((p) => p.signature)).toContain('other:reindex:all');
    expect(await w.call('selectCandidates', { sinceMs })).toStrictEqual(main);
  });

  it('sees what the daemon writes after it started', async () => {
    const w = worker();
    const before = await w.call('usage/report', { kind: 'session' });
    await t.ingest(join(FIXTURES, 'transcripts'));
    const after = await w.call('usage/report', { kind: 'session' });
    expect(after).toStrictEqual(usageReport(t.store, { kind: 'session' }, NOW));
    expect(after).not.toStrictEqual(before);
  });

  it('refuses to open a store that does not exist (it never creates one)', async () => {
    const script = readWorkerScript();
    if (script === null) throw new Error('no worker script');
    const logger = recordingLogger();
    const dbPath = join(dirs.make('ol-rw-none-'), 'x.db');
    const w = started(new ReadWorker({ dbPath }, logger, script));
    const e = await rejection(w.call('usage/report', { kind: 'daily' }));
    expect(e.code).toBe('unavailable');
    expect(existsSync(dbPath)).toBe(false);
    expect(logger.lines.join('\n')).toMatch(/read thread/);
  });
});

describe('a read thread that dies', () => {
  /** A worker script that answers by echoing, and dies of an uncaught error when asked to. */
  function crashingScript(): URL {
    const path = join(dirs.make('ol-rw-crash-'), 'crash-worker.mjs');
    writeFileSync(
      path,
      [
        "import { parentPort, threadId } from 'node:worker_threads';",
        'parentPort.on("message", (req) => {',
        '  if (req.params.kind === "crash") throw new Error("boom");',
        '  parentPort.postMessage({ id: req.id, ok: true, result: { threadId } });',
        '});',
      ].join('\n'),
    );
    return pathToFileURL(path);
  }

  it('answers what it held with an error and a new thread answers the next request', async () => {
    const logger = recordingLogger();
    const w = started(new ReadWorker({ dbPath: ':memory:' }, logger, { script: crashingScript(), eval: false }));
    const first = (await w.call('usage/report', { kind: 'daily' })) as unknown as { threadId: number };
    expect(w.starts).toBe(1);
    const crash = await rejection(w.call('usage/report', { kind: 'crash' as 'daily' }));
    expect(crash.code).toBe('unavailable');
    expect(crash.message).toMatch(/stopped while answering/);
    const next = (await w.call('usage/report', { kind: 'daily' })) as unknown as { threadId: number };
    expect(w.starts).toBe(2);
    expect(next.threadId).not.toBe(first.threadId);
    expect(logger.lines.join('\n')).toMatch(/the read thread failed[\s\S]*stopped/);
  });

  it('close() terminates the thread; later requests are refused', async () => {
    const w = new ReadWorker({ dbPath: ':memory:' }, silentLogger, { script: crashingScript(), eval: false });
    await w.call('usage/report', { kind: 'daily' });
    await w.close();
    const e = await rejection(w.call('usage/report', { kind: 'daily' }));
    expect(e.code).toBe('unavailable');
    expect(w.starts).toBe(1);
  });
});
