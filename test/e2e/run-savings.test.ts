/**
 * The measured saving of an `outloop run`, end to end: the run spools its report (the daemon may be
 * down), the daemon ingests it into one routed call and one `offload_run` saving that the savings
 * summary shows, and the same report read again after a restart adds nothing.
 */
import BetterSqlite3 from 'better-sqlite3';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RunReport } from '../../src/core/offload/offload-file.js';
import type { SavingsSummary } from '../../src/rpc/protocol.js';
import { runCli, type DaemonTarget } from '../helpers/cli.js';
import { RawConnection } from '../helpers/raw-socket.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, targets, connections } = e2eDaemons({ stopGracefully: true });

async function savings(t: DaemonTarget): Promise<SavingsSummary> {
  const c = await RawConnection.open(t.socket ?? '');
  connections.push(c);
  const reply = (await c.call(
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'savings/summary', params: { days: 7 } }),
    30_000,
  )) as { result: SavingsSummary };
  return reply.result;
}

const spoolFiles = (t: DaemonTarget): string[] =>
  readdirSync(join(t.stateDir, 'spool')).filter((f) => f.endsWith('.json'));

async function startAndDrain(t: DaemonTarget): Promise<void> {
  expect((await runCli(['start', '--json'], t)).code).toBe(0);
  await vi.waitFor(() => expect(spoolFiles(t)).toEqual([]), { timeout: 15_000, interval: 50 });
}

function rows(t: DaemonTarget): { calls: Record<string, unknown>[]; savings: Record<string, unknown>[] } {
  const db = new BetterSqlite3(join(t.stateDir, 'outloop.db'), { readonly: true });
  try {
    return {
      calls: db
        .prepare('SELECT call_key, tool_name, command, exit_code, response_bytes, sources FROM tool_calls')
        .all() as Record<string, unknown>[],
      savings: db
        .prepare('SELECT optimization_type, tokens_with_llm, tokens_with_tool, tokens_saved FROM cost_savings_log')
        .all() as Record<string, unknown>[],
    };
  } finally {
    db.close();
  }
}

describe('offloaded run savings (e2e)', () => {
  it('one call and one measured saving per run, still one after the report is read again and the daemon restarts', async () => {
    const t: DaemonTarget = { stateDir: dirs.make('ol-run-sav-'), socket: shortSocketPath() };
    targets.push(t);
    // the daemon is down: the report waits in the spool
    const ran = await runCli(['run', '--', 'seq 1 20000; exit 3'], t);
    expect(ran.code).toBe(3);
    const [file] = spoolFiles(t);
    const envelope = readFileSync(join(t.stateDir, 'spool', file!), 'utf8');
    const run = (JSON.parse(envelope) as { run: RunReport }).run;
    expect(run.rawBytes).toBe(108_894);
    expect(run.compactTokens).toBeLessThan(run.rawTokens);

    await startAndDrain(t);
    const summary = await savings(t);
    expect(summary.tokensSavedAllTime).toBe(run.rawTokens - run.compactTokens);
    expect(summary.byType).toEqual([
      {
        type: 'offload_run',
        usd: 0,
        tokens: run.rawTokens - run.compactTokens,
        rawTokens: run.rawTokens,
        compactTokens: run.compactTokens,
      },
    ]);
    expect((await runCli(['stop'], t)).code).toBe(0);

    const expected = {
      calls: [
        {
          call_key: `run:${run.id}`,
          tool_name: 'Bash',
          command: 'seq 1 20000; exit 3',
          exit_code: 3,
          response_bytes: 108_894,
          sources: 'run',
        },
      ],
      savings: [
        {
          optimization_type: 'offload_run',
          tokens_with_llm: run.rawTokens,
          tokens_with_tool: run.compactTokens,
          tokens_saved: run.rawTokens - run.compactTokens,
        },
      ],
    };
    expect(rows(t)).toEqual(expected);

    // the same report once more (a re-delivered file), then a restart
    writeFileSync(join(t.stateDir, 'spool', 'again.json'), envelope, { mode: 0o600 });
    await startAndDrain(t);
    expect((await runCli(['stop'], t)).code).toBe(0);
    expect(rows(t)).toEqual(expected);
  });
});
