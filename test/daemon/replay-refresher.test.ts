/**
 * The background replay on a real store: it waits while the daemon is busy, then caches a replay of
 * every recorded Bash output (in slices), equal to what an asked-for replay finds; it tells the event
 * feed; new outputs are filled on the next request, and nothing is done after close.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compact } from '../../src/core/compact/index.js';
import { operationForTool } from '../../src/core/learning/operation.js';
import { REPLAY_KEY } from '../../src/core/learning/savings-replay.js';
import type { ToolCallFragment } from '../../src/core/types.js';
import { Hub } from '../../src/daemon/hub.js';
import { fillReplays, runReplay } from '../../src/daemon/learn/replay-run.js';
import { ReplayRefresher } from '../../src/daemon/learn/replay-refresher.js';
import type { Logger } from '../../src/daemon/logger.js';
import { Store } from '../../src/daemon/store/store.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const CWD = '/home/ana/shop';
const T0 = Date.parse('2026-11-03T09:00:00Z');
const ALL = { sinceMs: Number.MIN_SAFE_INTEGER, untilMs: Number.MAX_SAFE_INTEGER, since: null, until: null };

const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');
const TEST_OUT = `${lines(300, (i) => `✓ test/cart-${i}.test.ts > adds item ${i} (${i % 7} ms)`)}\n 300 passed`;

let store: Store;
let hub: Hub;
beforeEach(() => {
  store = Store.open(join(dirs.make('ol-replay-bg-'), 'outloop.db'));
  hub = new Hub();
});
afterEach(() => {
  hub.close();
  store.close();
  dirs.removeAll();
});

function call(key: string, command: string, output: string, atMs: number): void {
  const f: ToolCallFragment = {
    callKey: key,
    toolUseId: key,
    source: 'transcript',
    sessionId: 's1',
    toolName: 'Bash',
    command,
    cwd: CWD,
    exitCode: 0,
    isError: false,
    startedAt: new Date(T0 + atMs).toISOString(),
    endedAt: new Date(T0 + atMs + 1000).toISOString(),
    output: { text: output, rawBytes: Buffer.byteLength(output), truncated: false },
  };
  store.tx(() => store.toolCalls.merge(f));
}

const SIG = operationForTool('Bash', 'npx vitest run', CWD)?.signature ?? '';

describe('background replay', () => {
  it('waits while busy, then caches every output as an asked-for replay would; tells the feed', async () => {
    for (let i = 0; i < 5; i++) call(`t${i}`, 'npx vitest run', `${TEST_OUT}\nrun ${i}`, i * 60_000);
    call('g1', 'git status --short', ' M src/cart.ts', 400_000);
    const events: string[] = [];
    hub.listen((ev) => events.push(`${ev.kind}: ${ev.summary}`));
    let busy = true;
    let asked = 0;
    const refresher = new ReplayRefresher(store, hub, silent, {
      settleMs: 5,
      busy: () => {
        asked++;
        return busy;
      },
    });
    try {
      refresher.schedule();
      await vi.waitFor(() => expect(asked).toBeGreaterThanOrEqual(3), { timeout: 5000, interval: 5 });
      expect(store.replay.bySignature(REPLAY_KEY).size).toBe(0);
      expect(store.replay.unreplayed(0, 100, REPLAY_KEY)).toHaveLength(6);

      busy = false;
      await vi.waitFor(() => expect(store.replay.unreplayed(0, 100, REPLAY_KEY)).toEqual([]), {
        timeout: 5000,
        interval: 10,
      });
      const vitest = store.replay.forSignature(REPLAY_KEY, SIG);
      expect(vitest?.calls).toBe(5);
      const compactSum = [0, 1, 2, 3, 4].reduce(
        (n, i) => n + compact('npx vitest run', `${TEST_OUT}\nrun ${i}`, 0).compactTokens,
        0,
      );
      expect(vitest?.compactTokens).toBe(compactSum);
      expect(vitest!.rawTokens).toBeGreaterThan(vitest!.compactTokens * 4);
      await vi.waitFor(() => expect(events).toContain('pattern: replay figures of 6 outputs updated'));

      // an asked-for replay finds the same figures, every one of them from the cache
      const asked1 = await runReplay(store, ALL);
      expect(asked1.byPattern.find((g) => g.key === SIG)).toMatchObject({
        calls: 5,
        rawTokens: vitest?.rawTokens,
        compactTokens: vitest?.compactTokens,
      });

      // a new output is filled on the next request, the others are not replayed again
      call('t9', 'npx vitest run', `${TEST_OUT}\nrun 9`, 500_000);
      refresher.schedule();
      await vi.waitFor(() => expect(store.replay.forSignature(REPLAY_KEY, SIG)?.calls).toBe(6), {
        timeout: 5000,
        interval: 10,
      });
      await vi.waitFor(() => expect(events).toContain('pattern: replay figures of 1 output updated'));
    } finally {
      await refresher.close();
    }

    // closed: a request does nothing
    call('t10', 'npx vitest run', `${TEST_OUT}\nrun 10`, 600_000);
    refresher.schedule();
    await new Promise((r) => setTimeout(r, 50));
    expect(store.replay.unreplayed(0, 100, REPLAY_KEY)).toHaveLength(1);
  });

  it('fillReplays works in slices of any size and returns how many it replayed', async () => {
    for (let i = 0; i < 7; i++) call(`t${i}`, 'npx vitest run', `${TEST_OUT}\nrun ${i}`, i * 60_000);
    expect(await fillReplays(store, 2, 0)).toBe(7);
    expect(await fillReplays(store, 2, 0)).toBe(0);
    expect(store.replay.forSignature(REPLAY_KEY, SIG)?.calls).toBe(7);
  });
});
