import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult, type DaemonTarget } from '../helpers/cli.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, newTarget: targetIn } = e2eDaemons({ stopGracefully: true });
const DAY = 86_400_000;

const newTarget = (env: Record<string, string> = {}): DaemonTarget => targetIn('ol-fc-e2e-', env);

function json(r: CliResult): Record<string, unknown> {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** One assistant response of `tokens` input tokens at `ms` in a transcript line. */
function response(id: string, ms: number, tokens: number): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    type: 'assistant',
    sessionId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    cwd: '/home/ana/proj',
    uuid: `u-${id}`,
    timestamp: new Date(ms).toISOString(),
    requestId: `req_${id}`,
    message: {
      model: 'claude-sonnet-4-5',
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: tokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
    },
  });
}

describe('outloop forecast (e2e)', () => {
  it('an empty store: zeros, risk low, every figure estimated', async () => {
    const t = newTarget();
    const f = json(await runCli(['forecast', '--json'], t));
    expect(f).toMatchObject({
      provenance: 'estimated',
      monthToDateTokens: 0,
      todayTokens: 0,
      dailyAverageTokens: 0,
      projectedTokens: 0,
      limitTokens: 300_000_000,
      limitSource: 'default',
      risk: 'low',
      throttle: { recommended: false, reasons: [] },
      fiveHour: { tokens: 0, pct: null, provenance: 'estimated' },
      sevenDay: { tokens: 0, pct: null, provenance: 'estimated' },
    });
    const text = await runCli(['forecast'], t);
    expect(text.stdout).toContain('· risk low');
    expect(text.stdout).toContain('throttle: no');
  });

  it('usage from transcripts, the limit from OUTLOOP_QUOTA_LIMIT, checked by hand', async () => {
    const t = newTarget({ OUTLOOP_QUOTA_LIMIT: '10000000', ANTHROPIC_QUOTA_LIMIT: '5' });
    const now = Date.now();
    const todayStart = Math.floor(now / DAY) * DAY;
    const yesterday = todayStart - DAY + 12 * 3_600_000;
    const today = Math.max(todayStart, now - 60_000);
    const dir = join(dirs.make('ol-fc-data-'), 'projects', '-home-ana-proj');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.jsonl'),
      `${response('y', yesterday, 700_000)}\n${response('t', today, 100_000)}\n`,
    );
    expect(json(await runCli(['ingest', dir, '--json'], t))).toMatchObject({ usageRecords: 2 });

    const f = json(await runCli(['forecast', '--json'], t));
    // average = 7 × 700,000 / 28 = 175,000; rest of today = 175,000 − 100,000 = 75,000
    const d = new Date(now);
    const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    const remaining = daysInMonth - d.getUTCDate();
    const sameMonth = new Date(yesterday).getUTCMonth() === d.getUTCMonth();
    const mtd = 100_000 + (sameMonth ? 700_000 : 0); // on the 1st, yesterday belongs to last month
    const projected = mtd + 175_000 * remaining + 75_000;
    expect(f).toMatchObject({
      limitTokens: 10_000_000,
      limitSource: 'OUTLOOP_QUOTA_LIMIT',
      monthToDateTokens: mtd,
      todayTokens: 100_000,
      dailyAverageTokens: 175_000,
      restOfTodayTokens: 75_000,
      projectedTokens: projected,
      projectedPct: Math.round((projected / 10_000_000) * 10_000) / 100,
      risk: 'low', // at most 100,000 + 30 × 175,000 + 75,000 = 5,425,000: under 70%
      fiveHour: { tokens: 100_000, costUsd: 0.3, provenance: 'estimated' },
      sevenDay: { tokens: 800_000, provenance: 'estimated' },
    });
  });
});

describe('outloop forecast and report blocks on ADW outputs without timestamps (e2e)', () => {
  it('count the records at their file time and show no burn rate or projection from them', async () => {
    const t = newTarget({ OUTLOOP_QUOTA_LIMIT: '300000000' });
    const agent = join(dirs.make('ol-fc-adw-'), 'agents', 'a1b2c3d4', 'sdlc_implementor');
    mkdirSync(agent, { recursive: true });
    const lines = [0, 1, 2, 3].map((i) =>
      JSON.stringify({
        type: 'assistant',
        session_id: 'adw-session-1',
        message: {
          id: `msg_adw_${i}`,
          model: 'claude-sonnet-4-5',
          role: 'assistant',
          content: [{ type: 'text', text: 'working' }],
          usage: {
            input_tokens: 2_000_000,
            output_tokens: 1000,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
        },
      }),
    );
    writeFileSync(join(agent, 'raw_output.json'), `[\n${lines.join(',\n')}\n]\n`);
    expect(json(await runCli(['ingest', join(agent, '..', '..', '..'), '--json'], t))).toMatchObject({
      usageRecords: 4,
    });

    const f = json(await runCli(['forecast', '--json'], t));
    expect(f).toMatchObject({
      fiveHour: {
        tokens: 8_004_000,
        burnTokensPerMin: null,
        burnUsdPerHour: null,
        projectedTokens: 8_004_000,
        undatedRecords: 4,
      },
      sevenDay: { tokens: 8_004_000, burnTokensPerMin: null, projectedTokens: 8_004_000, undatedRecords: 4 },
      throttle: { recommended: false },
    });
    const text = (await runCli(['forecast'], t)).stdout;
    expect(text).toContain('no burn rate yet');
    expect(text).toContain('4 records without a time');
    expect(text).not.toMatch(/tok\/min/);

    const blocks = json(await runCli(['report', 'blocks', '--json'], t));
    expect(blocks['blocks']).toEqual([
      expect.objectContaining({ totalTokens: 8_004_000, undatedEntries: 4, burnRate: null, projection: null }),
    ]);
  });
});
