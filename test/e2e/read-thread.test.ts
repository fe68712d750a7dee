import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.js';
import { contextEfficiency } from '../../src/daemon/handlers/context-efficiency.js';
import { usageReport } from '../../src/daemon/handlers/usage.js';
import { ContextProfiler } from '../../src/daemon/learn/context-profiler.js';
import { Store } from '../../src/daemon/store/store.js';
import type { UsageReportParams } from '../../src/rpc/protocol.js';
import { daemonPid, pidAlive, runCli, type DaemonTarget } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/ingest.js';
import { rawCall } from '../helpers/raw-socket.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, targets } = e2eDaemons({ stopGracefully: false });

async function call(socket: string, method: string, params: unknown): Promise<unknown> {
  const answer = (await rawCall(socket, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))) as {
    result?: unknown;
    error?: unknown;
  };
  return answer.result ?? { error: answer.error };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the daemon answers heavy reads on its read thread', () => {
  it('with the answers the main thread computes over the same store, and stops cleanly', async () => {
    const t: DaemonTarget = { stateDir: dirs.make('ol-rt-e2e-'), socket: shortSocketPath() };
    targets.push(t);
    const data = dirs.make('ol-rt-data-');
    generateCorpus(join(data, 'corpus'), 1e6, { seed: 5, sessionBytes: 120_000 });
    cpSync(join(FIXTURES, 'context'), join(data, 'context'), { recursive: true });
    const ingest = await runCli(['ingest', data, '--json'], t);
    expect(ingest.code).toBe(0);
    const socket = t.socket ?? '';
    const pid = daemonPid(t.stateDir);
    expect(pid).not.toBeNull();

    const store = Store.openReadOnly(join(t.stateDir, 'outloop.db'));
    try {
      const reports: UsageReportParams[] = [
        { kind: 'daily' },
        { kind: 'monthly' },
        { kind: 'session' },
        { kind: 'blocks', since: '2026-01-01' },
      ];
      for (const params of reports) {
        expect(await call(socket, 'usage/report', params)).toStrictEqual(
          JSON.parse(JSON.stringify(usageReport(store, params))),
        );
      }
      const profiler = new ContextProfiler(store, { keepStateMinCalls: Number.POSITIVE_INFINITY, cacheSize: 0 });
      const sessions = store.usage.sessions().map((s) => s.sessionId);
      expect(sessions.length).toBeGreaterThan(2);
      for (const sessionId of sessions) {
        expect(await call(socket, 'context/efficiency', { sessionId })).toStrictEqual(
          JSON.parse(JSON.stringify(contextEfficiency(profiler, { sessionId }))),
        );
      }
      expect(await call(socket, 'context/profile', { signature: 'other:none:all' })).toMatchObject({
        error: { data: { kind: 'not_found' } },
      });
    } finally {
      store.close();
    }
    // the status answers beside them, and the daemon (read thread included) is gone after stop
    expect(await call(socket, 'daemon/status', {})).toMatchObject({ running: true });
    const stop = await runCli(['stop'], t);
    expect(stop.code).toBe(0);
    for (let i = 0; i < 100 && pid !== null && pidAlive(pid); i++) await sleep(50);
    expect(pid !== null && pidAlive(pid)).toBe(false);
  }, 60_000);
});
