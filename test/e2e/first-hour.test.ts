/** The CLI's answers to a new user's first mistakes: each says what is wrong, with the exit code for it. */
import { describe, expect, it } from 'vitest';
import { runCli, type DaemonTarget } from '../helpers/cli.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { newTarget: targetIn } = e2eDaemons({ stopGracefully: true });

const newTarget = (): DaemonTarget => targetIn('ol-first-');

describe('first-hour answers', () => {
  it('report with --since after --until is a usage error, in text and JSON', async () => {
    const t = newTarget();
    const text = await runCli(['report', 'daily', '--since', '2026-01-01', '--until', '2025-01-01'], t);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/since \(2026-01-01\) is after until \(2025-01-01\)/);
    const json = await runCli(['report', 'blocks', '--since', '2026-01-01', '--until', '2025-01-01', '--json'], t);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { type: 'invalid_argument', code: 2 } });
  });

  it('report blocks says it covers the last 7 days unless --since is given', async () => {
    const t = newTarget();
    const r = await runCli(['report', 'blocks'], t);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/last 7 days \(--since YYYY-MM-DD reaches further\)/);
  });

  it('tui without a terminal says it needs one and exits 2', async () => {
    const t = newTarget();
    const r = await runCli(['tui', '--no-autostart'], t);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('outloop tui: the TUI needs a terminal');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('an unknown command with --json prints the error document on stdout', async () => {
    const t = newTarget();
    const r = await runCli(['frobnicate', '--json'], t);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        type: 'invalid_argument',
        message: "unknown command 'frobnicate'. Run 'outloop help' for the list.",
        code: 2,
      },
    });
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});
