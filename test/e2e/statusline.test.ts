import { describe, expect, it } from 'vitest';
import { runCli, type DaemonTarget } from '../helpers/cli.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, targets } = e2eDaemons({ stopGracefully: true });

function newTarget(): DaemonTarget {
  // a generous answer deadline: a loaded test machine must not turn the daemon's line into the fallback
  const env = { OUTLOOP_STATUSLINE_TIMEOUT_MS: '15000' };
  const t: DaemonTarget = { stateDir: dirs.make('ol-sl-e2e-'), socket: shortSocketPath(), env };
  targets.push(t);
  return t;
}

/** A status-line payload as Claude Code sends it, windows resetting in the future. */
function payload(): string {
  const s = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    session_id: '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c',
    model: { id: 'claude-opus-4-7', display_name: 'Opus' },
    cost: { total_cost_usd: 3.18, total_duration_ms: 2_710_000 },
    rate_limits: {
      five_hour: { used_percentage: 61.0, resets_at: s + 3 * 3600 },
      seven_day: { used_percentage: 34.5, resets_at: s + 3 * 86_400 },
    },
  });
}

describe('outloop statusline (e2e)', () => {
  it('without a daemon: a plain line from the payload, exit 0, nothing on stderr, no daemon started', async () => {
    const t = newTarget();
    const r = await runCli(['statusline'], t, { input: payload() });
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: 'session $3.18 · 5h 61% · 7d 35% · outloop offline\n' });
    const missing = await runCli(['statusline', '--json'], t, { input: '{"model":{}}' });
    expect(JSON.parse(missing.stdout)).toEqual({ line: 'outloop offline', source: 'fallback' });
    expect((await runCli(['status', '--json'], t)).code).toBe(3);
  });

  it('with the daemon: stores the official readings and prints the line from memory', async () => {
    const t = newTarget();
    expect((await runCli(['start'], t)).code).toBe(0);
    // a payload with missing fields, then garbage: still one line, exit 0
    const empty = await runCli(['statusline', '--json'], t, { input: '{}' });
    expect(JSON.parse(empty.stdout)).toEqual({ line: 'today $0.00 · 5h idle · risk low', source: 'daemon' });
    const garbage = await runCli(['statusline'], t, { input: '\u0000\u00ff not json {' });
    expect(garbage).toMatchObject({ code: 0, stderr: '', stdout: 'today $0.00 · 5h idle · risk low\n' });

    const r = await runCli(['statusline'], t, { input: payload() });
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: 'today $0.00 · 5h 61% · 7d 35% · risk low\n' });
    const f = await runCli(['forecast', '--json'], t);
    expect(JSON.parse(f.stdout)).toMatchObject({
      provenance: 'estimated',
      fiveHour: { pct: 61, provenance: 'official' },
      sevenDay: { pct: 34.5, provenance: 'official' },
    });
  });
});
