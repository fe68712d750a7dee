/**
 * The package's `bin` (dist/cli/outloop.cjs): `hook` and `statusline` must run from that one file
 * alone, so Claude Code's most frequent calls never load the rest of the app; every other command
 * goes on to main.js next to it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_PATH, cliEnv } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const BUILTIN = /^node:|^(?:fs|path|os|net|child_process|url|util|stream|events|buffer)$/;

/** The bin copied into an empty directory: nothing of the app beside it. */
function loneBin(): { bin: string; home: string } {
  const dir = dirs.make('ol-bin-');
  const bin = join(dir, 'outloop.cjs');
  copyFileSync(CLI_PATH, bin);
  return { bin, home: dirs.make('ol-bin-home-') };
}

function run(bin: string, args: string[], home: string, input: string) {
  return spawnSync(process.execPath, [bin, ...args], {
    input,
    env: cliEnv({ stateDir: home, socket: join(home, 'none.sock') }),
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('dist/cli/outloop.cjs', () => {
  it('is CommonJS that requires only Node built-ins and imports main.js for the other commands', () => {
    const text = readFileSync(CLI_PATH, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1] ?? '');
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((r) => !BUILTIN.test(r))).toEqual([]);
    const imported = [...text.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(imported).toEqual(['./main.js']);
  });

  it('spools a hook payload with nothing else of the app beside it', () => {
    const { bin, home } = loneBin();
    const payload = '{"session_id":"s1","hook_event_name":"Stop"}\n';
    const r = run(bin, ['hook'], home, payload);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    const files = readdirSync(join(home, 'spool'));
    expect(files).toHaveLength(1);
    const envelope = JSON.parse(readFileSync(join(home, 'spool', files[0] ?? ''), 'utf8')) as { payload: string };
    expect(envelope.payload).toBe(payload);
  });

  it('answers the status line with nothing else of the app beside it (daemon down: the payload line)', () => {
    const { bin, home } = loneBin();
    const payload = JSON.stringify({
      cost: { total_cost_usd: 3.18 },
      rate_limits: { five_hour: { used_percentage: 61 } },
    });
    const r = run(bin, ['statusline'], home, payload);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('session $3.18 · 5h 61% · outloop offline\n');
  });

  it('needs main.js for any other command, and says so when it is missing', () => {
    const { bin, home } = loneBin();
    const r = run(bin, ['status'], home, '');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^outloop: .*main\.js/);
  });

  it('runs the other commands through main.js when installed whole', () => {
    const home = dirs.make('ol-bin-home-');
    const version = run(CLI_PATH, ['--version'], home, '');
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const unknown = run(CLI_PATH, ['frobnicate'], home, '');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });
});
