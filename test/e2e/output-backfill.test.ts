/**
 * The upgrade that backfills Bash outputs: a store written before outputs were kept (simulated: its
 * outputs removed and its schema version set back to 14) is opened by the daemon, which drops the
 * checkpoints of its transcripts and reads them again by itself. The outputs come back and the replay
 * sees them; everything else (usage, hook events, tool calls, quarantine, patterns) is what it was.
 * ADW agents' stream-json outputs, outside the watched roots, are read again the next time they are named.
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { SavingsReplayResult } from '../../src/rpc/protocol.js';
import { runCli, type DaemonTarget } from '../helpers/cli.js';
import { copyFixture, dumpIngestTables } from '../helpers/ingest.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons, okJson as ok } from '../helpers/e2e-daemons.js';

const { dirs, targets } = e2eDaemons({ stopGracefully: true });

const T0 = Date.parse('2026-11-02T09:00:00Z');
const many = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');

function call(session: string, n: number, command: string, output: string, ms: number): string[] {
  const id = `${session.slice(-2)}${n}`;
  const line = { sessionId: session, cwd: '/home/ana/shop', isSidechain: false, version: '2.1.63' };
  return [
    JSON.stringify({
      ...line,
      type: 'assistant',
      uuid: `a-${id}`,
      timestamp: new Date(ms).toISOString(),
      requestId: `req_${id}`,
      message: {
        id: `msg_${id}`,
        model: 'claude-sonnet-4-5',
        role: 'assistant',
        content: [{ type: 'tool_use', id: `toolu_${id}`, name: 'Bash', input: { command } }],
        usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 4000, cache_creation_input_tokens: 0 },
      },
    }),
    JSON.stringify({
      ...line,
      type: 'user',
      uuid: `u-${id}`,
      timestamp: new Date(ms + 3000).toISOString(),
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${id}`, content: output }] },
      toolUseResult: { stdout: output, stderr: '', interrupted: false, isImage: false },
    }),
  ];
}

/** Three sessions under $CLAUDE_CONFIG_DIR/projects (watched by the daemon), each running the tests and git status. */
function transcripts(t: DaemonTarget): string {
  const root = join(t.stateDir, 'claude-config', 'projects', '-home-ana-shop');
  mkdirSync(root, { recursive: true });
  for (let s = 0; s < 3; s++) {
    const session = `3e8d1c22-5a6b-4c7d-8e9f-0a1b2c3d4e0${s}`;
    const ms = T0 + s * 3_600_000;
    const lines = [
      ...call(
        session,
        1,
        'npx vitest run',
        many(200, (i) => ` ✓ src/m${i}.test.ts (2 tests) ${i} ms`),
        ms,
      ),
      ...call(session, 2, 'git status', 'On branch main\nnothing to commit, working tree clean', ms + 60_000),
      '{"type":"assistant","message": not json',
    ];
    writeFileSync(join(root, `${session}.jsonl`), `${lines.join('\n')}\n`);
  }
  return root;
}

function patterns(dbPath: string): unknown[] {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT signature, kind, status, occurrences, uses, successes, failures, sum_llm_tokens, sum_llm_cost,
           measured_uses, sum_tool_tokens_est, examples, first_seen, last_seen,
           (SELECT count(*) FROM pattern_occurrences o WHERE o.pattern_id = p.id) AS sightings
         FROM operation_patterns p ORDER BY signature`,
      )
      .all();
  } finally {
    db.close();
  }
}

function outputCount(dbPath: string): number {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM tool_outputs').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('backfill of Bash outputs on upgrade (e2e)', () => {
  it('a store from before kept outputs is read again once: outputs filled, nothing else changed', async () => {
    const t: DaemonTarget = { stateDir: dirs.make('ol-backfill-'), socket: shortSocketPath() };
    targets.push(t);
    const root = transcripts(t);
    // ADW agents' stream-json outputs (read when named to `outloop ingest`, as here)
    const agents = copyFixture('adw/agents', join(dirs.make('ol-backfill-adw-'), 'agents'));
    const dbPath = join(t.stateDir, 'outloop.db');
    // the daemon (started by the first command) may read the watched root before `ingest` names it
    ok(await runCli(['ingest', root, '--json'], t));
    await vi.waitFor(() => expect(outputCount(dbPath)).toBe(6), { timeout: 15_000, interval: 100 });
    expect(ok<{ toolCalls: number }>(await runCli(['ingest', agents, '--json'], t)).toolCalls).toBeGreaterThan(0);
    expect(patterns(dbPath).length).toBeGreaterThan(0);
    expect((await runCli(['stop'], t)).code).toBe(0);
    const outputs = outputCount(dbPath);
    expect(outputs).toBeGreaterThan(6);
    const before = dumpIngestTables(dbPath, t.stateDir);
    const learned = patterns(dbPath);
    expect(before.quarantine).toHaveLength(3);
    expect(before['tool_calls']?.length).toBeGreaterThan(6);

    // the store as an older outloop left it: no outputs, schema 14
    const db = new BetterSqlite3(dbPath);
    db.exec('DELETE FROM tool_outputs');
    db.pragma('user_version = 14');
    db.close();

    // the upgraded daemon reads the watched transcripts again by itself, the agents' outputs when named again
    expect((await runCli(['start', '--json'], t)).code).toBe(0);
    await vi.waitFor(() => expect(outputCount(dbPath)).toBe(6), { timeout: 15_000, interval: 100 });
    for (const path of [agents, root])
      expect(
        ok<{ toolCalls: number; usageRecords: number }>(await runCli(['ingest', path, '--json'], t)),
      ).toMatchObject({
        toolCalls: 0,
        usageRecords: 0,
      });
    expect(outputCount(dbPath)).toBe(outputs);
    const replay = ok<SavingsReplayResult>(await runCli(['savings', '--replay', '--json'], t));
    expect(replay.totals.calls).toBe(outputs);
    expect(replay.totals.rawTokens).toBeGreaterThan(replay.totals.compactTokens);
    expect((await runCli(['stop'], t)).code).toBe(0);

    const after = dumpIngestTables(dbPath, t.stateDir);
    expect(after.tool_outputs).toEqual(before.tool_outputs);
    expect(after).toEqual(before);
    expect(patterns(dbPath)).toEqual(learned);
  });
});
