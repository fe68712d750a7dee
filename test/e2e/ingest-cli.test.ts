/**
 * The ingest pipeline end to end: the real daemon as a child process, the real CLI, real files.
 * `outloop ingest` backfills and counts only what it added; `report` answers in ccusage's shape;
 * the watcher ingests live appends, spool files and roots that appear later, and pushes
 * `events/changed` notifications with cursors; `init` + `hook` + `status` work together.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { generateCorpus } from '../../bench/corpus.js';
import { CLI_PATH, cliEnv, runCli, spawnForeground, type CliResult, type DaemonTarget } from '../helpers/cli.js';
import { copyFixture, writeSpool } from '../helpers/ingest.js';
import { RawConnection, socketAnswers } from '../helpers/raw-socket.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, stateDirs, connections: conns } = e2eDaemons({ stopGracefully: false });

function newTarget(): DaemonTarget {
  const stateDir = dirs.make('ol-ing-e2e-');
  stateDirs.push(stateDir);
  return { stateDir, socket: shortSocketPath() };
}

function json(r: CliResult): Record<string, unknown> {
  try {
    return JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

async function startForeground(t: DaemonTarget, args: string[] = []): Promise<void> {
  spawnForeground(t, args);
  await vi.waitFor(async () => expect(await socketAnswers(t.socket!)).toBe(true), { timeout: 15_000, interval: 25 });
}

async function status(
  t: DaemonTarget,
): Promise<{ counts: Record<string, number>; warnings: string[]; ingest: Record<string, unknown> }> {
  const r = await runCli(['status', '--json'], t);
  expect(r.code).toBe(0);
  return json(r) as never;
}

const SESSION = '33333333-4444-4555-8666-777777777777';

function assistantLine(id: string, ts: string): string {
  return `${JSON.stringify({
    type: 'assistant',
    sessionId: SESSION,
    cwd: '/w',
    timestamp: ts,
    requestId: `req_${id}`,
    message: {
      id: `msg_${id}`,
      model: 'claude-sonnet-4-5',
      role: 'assistant',
      content: [{ type: 'text', text: 'hi' }],
      usage: { input_tokens: 10, output_tokens: 20 },
    },
  })}\n`;
}

describe('outloop ingest', () => {
  it('backfills a corpus, counts only the rows it added, and adds nothing the second time', async () => {
    const t = newTarget();
    const corpus = dirs.make('ol-corpus-');
    const stats = generateCorpus(corpus, 1_000_000, { seed: 3, sessionBytes: 60_000 });
    copyFixture('hooks', join(corpus, 'hooks', 'logs'));
    copyFixture('transcripts', join(corpus, 'claude', 'projects'));
    const first = await runCli(['ingest', corpus, '--json'], t, { timeoutMs: 120_000 });
    expect(first.code).toBe(0);
    const a = json(first);
    expect(Object.keys(a).sort()).toEqual([
      'bytes',
      'files',
      'hookEvents',
      'quarantined',
      'toolCalls',
      'usageRecords',
      'workflowRuns',
    ]);
    expect(a['usageRecords']).toBeGreaterThanOrEqual(stats.messages);
    expect(a['workflowRuns']).toBe(stats.adwRuns);
    expect(a['quarantined']).toBe(2); // the stray bytes of PostToolUse-stray.json, the torn end of PostToolUse-truncated.json
    const s = await status(t);
    expect(s.counts['usageRecords']).toBe(a['usageRecords']);
    expect(s.counts['hookEvents']).toBe(a['hookEvents']);
    expect(s.counts['toolCalls']).toBe(a['toolCalls']);
    const second = json(await runCli(['ingest', corpus, '--json'], t, { timeoutMs: 120_000 }));
    expect(second).toEqual({
      files: 0,
      bytes: 0,
      hookEvents: 0,
      toolCalls: 0,
      usageRecords: 0,
      workflowRuns: 0,
      quarantined: 0,
    });
  });

  it('a path that does not exist is a usage error', async () => {
    const t = newTarget();
    const r = await runCli(['ingest', join(t.stateDir, 'nope'), '--json'], t);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file');
  });
});

describe('outloop report', () => {
  it('daily, monthly, session and blocks in ccusage JSON shape, with --since/--until', async () => {
    const t = newTarget();
    const dir = join(dirs.make(), 'projects', 'p');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${SESSION}.jsonl`),
      assistantLine('a', '2026-03-01T10:00:00.000Z') +
        assistantLine('b', '2026-03-02T10:00:00.000Z') +
        assistantLine('c', '2026-04-02T10:00:00.000Z'),
    );
    expect((await runCli(['ingest', dir, '--json'], t)).code).toBe(0);
    const daily = json(await runCli(['report', 'daily', '--json'], t));
    expect((daily['daily'] as Record<string, unknown>[]).map((d) => d['date'])).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-04-02',
    ]);
    expect(daily['totals']).toMatchObject({ inputTokens: 30, outputTokens: 60, totalTokens: 90 });
    const d0 = (daily['daily'] as Record<string, unknown>[])[0];
    expect(Object.keys(d0 ?? {})).toEqual(
      expect.arrayContaining([
        'date',
        'inputTokens',
        'outputTokens',
        'cacheCreationTokens',
        'cacheReadTokens',
        'totalTokens',
        'totalCost',
        'modelsUsed',
        'modelBreakdowns',
      ]),
    );
    const since = json(
      await runCli(['report', 'daily', '--json', '--since', '2026-03-02', '--until', '2026-03-31'], t),
    );
    expect((since['daily'] as Record<string, unknown>[]).map((d) => d['date'])).toEqual(['2026-03-02']);
    const monthly = json(await runCli(['report', 'monthly', '--json'], t));
    expect((monthly['monthly'] as Record<string, unknown>[]).map((d) => d['month'])).toEqual(['2026-03', '2026-04']);
    const session = json(await runCli(['report', 'session', '--json'], t));
    expect((session['sessions'] as Record<string, unknown>[])[0]).toMatchObject({
      sessionId: SESSION,
      totalTokens: 90,
    });
    const blocks = json(await runCli(['report', 'blocks', '--json', '--since', '2026-03-01'], t));
    expect(Array.isArray(blocks['blocks'])).toBe(true);
    expect((blocks['blocks'] as Record<string, unknown>[]).filter((b) => !b['isGap']).length).toBe(3);
  });
});

describe('the watcher', () => {
  it('ingests live appends to a transcript and pushes events/changed with cursors', async () => {
    const t = newTarget();
    const projects = join(t.stateDir, '.claude', 'projects', '-w');
    mkdirSync(projects, { recursive: true });
    const file = join(projects, `${SESSION}.jsonl`);
    writeFileSync(file, assistantLine('first', '2026-03-01T10:00:00.000Z'));
    await startForeground(t);
    await vi.waitFor(async () => expect((await status(t)).counts['usageRecords']).toBe(1), {
      timeout: 15_000,
      interval: 50,
    });

    const conn = await RawConnection.open(t.socket!);
    conns.push(conn);
    const sub = (await conn.call(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'events/subscribe', params: {} }),
    )) as { result: { cursor: string; isFreshInstance: boolean; events: { kind: string }[] } };
    expect(sub.result.isFreshInstance).toBe(true);
    expect(sub.result.cursor).toMatch(/^c:[0-9a-f]+:\d+$/);
    appendFileSync(file, assistantLine('second', '2026-03-01T10:05:00.000Z'));
    type Changed = { method?: string; params: { cursor: string; events: { kind: string; summary: string }[] } };
    let changed: Changed | undefined;
    while (changed === undefined) {
      const msg = (await conn.nextJson(15_000)) as Changed;
      if (msg.method === 'events/changed') changed = msg;
    }
    expect(changed.params.events.some((e) => e.kind === 'usage' && e.summary.startsWith('+1 usage record'))).toBe(true);
    expect(changed.params.cursor).not.toBe(sub.result.cursor);

    // resuming from our cursor: not fresh, nothing missed; a cursor of another instance: fresh
    const again = (await runRpc(t, 'events/subscribe', { since: sub.result.cursor })) as {
      isFreshInstance: boolean;
      events: { kind: string }[];
    };
    expect(again.isFreshInstance).toBe(false);
    expect(again.events.some((e) => e.kind === 'usage')).toBe(true);
    const other = (await runRpc(t, 'events/subscribe', { since: 'c:0123456789ab:5' })) as { isFreshInstance: boolean };
    expect(other.isFreshInstance).toBe(true);
    const recent = (await runRpc(t, 'events/recent', { limit: 5 })) as { events: unknown[]; cursor: string };
    expect(recent.events.length).toBeGreaterThan(0);
    expect(recent.events.length).toBeLessThanOrEqual(5);
  });

  it('watches a default transcript root that appears after the start, --watch roots and config.json roots', async () => {
    const t = newTarget();
    const extra = dirs.make('ol-watch-');
    const fromConfig = dirs.make('ol-cfg-');
    writeFileSync(join(t.stateDir, 'config.json'), JSON.stringify({ watch: [fromConfig] }));
    mkdirSync(join(extra, 'logs'));
    mkdirSync(join(fromConfig, 'logs'));
    await startForeground(t, ['--watch', extra]);
    const prompt = (p: string): string =>
      `${JSON.stringify({ session_id: SESSION, hook_event_name: 'UserPromptSubmit', prompt: p })}\n`;
    writeFileSync(join(extra, 'logs', 'hooks.jsonl'), prompt('from --watch'));
    writeFileSync(join(fromConfig, 'logs', 'hooks.jsonl'), prompt('from config'));
    await vi.waitFor(async () => expect((await status(t)).counts['hookEvents']).toBe(2), {
      timeout: 15_000,
      interval: 50,
    });
    // ~/.claude/projects did not exist at start (HOME is the state dir)
    const projects = join(t.stateDir, '.claude', 'projects', '-w');
    mkdirSync(projects, { recursive: true });
    writeFileSync(join(projects, `${SESSION}.jsonl`), assistantLine('late', '2026-03-01T10:00:00.000Z'));
    await vi.waitFor(async () => expect((await status(t)).counts['usageRecords']).toBe(1), {
      timeout: 20_000,
      interval: 100,
    });
    // and $CLAUDE_CONFIG_DIR/projects (the helper points it into the state dir)
    const cfgProjects = join(t.stateDir, 'claude-config', 'projects', '-x');
    mkdirSync(cfgProjects, { recursive: true });
    writeFileSync(join(cfgProjects, `${SESSION}.jsonl`), assistantLine('cfg', '2026-03-01T11:00:00.000Z'));
    await vi.waitFor(async () => expect((await status(t)).counts['usageRecords']).toBe(2), {
      timeout: 20_000,
      interval: 100,
    });
  });

  it('consumes spool files written by hand, removing each once its rows are committed', async () => {
    const t = newTarget();
    await startForeground(t);
    const spool = join(t.stateDir, 'spool');
    for (let i = 0; i < 5; i++)
      writeSpool(
        spool,
        `${Date.now()}-${process.pid}-${i}`,
        JSON.stringify({ session_id: SESSION, hook_event_name: 'Stop', n: i }),
      );
    writeSpool(spool, `${Date.now()}-${process.pid}-bad`, '{ not json');
    await vi.waitFor(async () => expect((await status(t)).counts['hookEvents']).toBe(5), {
      timeout: 15_000,
      interval: 50,
    });
    await vi.waitFor(() => expect(readdirSync(spool)).toEqual([]), { timeout: 15_000, interval: 50 });
    expect((await status(t)).counts['quarantined']).toBe(1);
  });

  it('bad input while running: warnings in status, the daemon keeps going', async () => {
    const t = newTarget();
    const root = dirs.make('ol-bad-');
    mkdirSync(join(root, 'logs', 'sub'), { recursive: true });
    await startForeground(t, ['--watch', root]);
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(root, 'logs'), join(root, 'logs', 'sub', 'loop'));
    symlinkSync(join(root, 'missing.jsonl'), join(root, 'logs', 'dangling.jsonl'));
    writeFileSync(
      join(root, 'logs', 'ok.jsonl'),
      `${JSON.stringify({ session_id: SESSION, hook_event_name: 'Stop' })}\n`,
    );
    const r = await runCli(['ingest', root, '--json'], t);
    expect(r.code).toBe(0);
    await vi.waitFor(
      async () => {
        const s = await status(t);
        expect(s.counts['hookEvents']).toBe(1);
        expect(s.warnings.some((w) => w.includes('dangling.jsonl'))).toBe(true);
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(await socketAnswers(t.socket!)).toBe(true);
  });
});

describe('outloop init, then a hook payload piped to outloop hook', () => {
  it('shows up in status counts', async () => {
    const t = newTarget();
    const project = dirs.make('ol-proj-');
    const command = `"${process.execPath}" "${CLI_PATH}" hook`;
    const init = await runCli(['init', '--project', project, '--command', command, '--json'], t);
    expect(init.code).toBe(0);
    const settings = JSON.parse(readFileSync(join(project, '.claude', 'settings.json'), 'utf8')) as {
      hooks: Record<string, { hooks: { command: string }[] }[]>;
    };
    const installed = settings.hooks['PreToolUse']?.[0]?.hooks[0]?.command;
    expect(installed).toBe(command);
    await startForeground(t);
    // what Claude Code does: run the configured command through a shell with the payload on stdin
    const payload = JSON.stringify({
      session_id: SESSION,
      cwd: project,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      tool_use_id: 'toolu_init1',
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', installed!], { env: cliEnv(t), stdio: ['pipe', 'ignore', 'ignore'] });
      child.once('error', reject);
      child.once('close', resolve);
      child.stdin.end(payload);
    });
    expect(code).toBe(0);
    await vi.waitFor(
      async () => {
        const s = await status(t);
        expect(s.counts['hookEvents']).toBe(1);
        expect(s.counts['toolCalls']).toBe(1);
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(existsSync(join(t.stateDir, 'spool')) ? readdirSync(join(t.stateDir, 'spool')) : []).toEqual([]);
  });
});

/** One request on a fresh connection; returns `result`. */
async function runRpc(t: DaemonTarget, method: string, params: unknown): Promise<unknown> {
  const conn = await RawConnection.open(t.socket!);
  try {
    const reply = (await conn.call(JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }))) as {
      result?: unknown;
      error?: unknown;
    };
    if (reply.error) throw new Error(JSON.stringify(reply.error));
    return reply.result;
  } finally {
    conn.destroy();
  }
}
