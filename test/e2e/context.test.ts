import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult, type DaemonTarget } from '../helpers/cli.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/context', import.meta.url));
const SESSION = '7d3e2a10-5b6c-4d7e-8f90-a1b2c3d4e5f6';

const { dirs, newTarget: targetIn } = e2eDaemons({ stopGracefully: true });

function json(r: CliResult): Record<string, unknown> {
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** The fixtures (a transcript and an ADW agent output) copied to a temp dir. */
function data(): string {
  const dir = join(dirs.make('ol-ctx-data-'), 'data');
  cpSync(FIXTURES, dir, { recursive: true });
  return dir;
}

const newTarget = (): DaemonTarget => targetIn('ol-ctx-e2e-');

/** A daemon on temp paths with both fixtures ingested by `outloop ingest`. */
async function ingested(): Promise<DaemonTarget> {
  const t = newTarget();
  const r = await runCli(['ingest', data(), '--json'], t);
  expect(r.code).toBe(0);
  expect(json(r)).toMatchObject({ files: 2, toolCalls: 9, workflowRuns: 1, quarantined: 0 });
  return t;
}

describe('outloop context', () => {
  it('a transcript session: loaded vs used, counted by hand', async () => {
    const t = await ingested();
    const r = await runCli(['context', SESSION, '--json'], t);
    expect(r.code).toBe(0);
    // Grep names 4 files in a 224-byte result: 56 B each. coupons 56 + 2000 → 514 tok,
    // cart 56 + 4000 → 1014, test_cart 56 → 14, "guia de preços.md" 56 → 14: 1556.
    // The missing file loads nothing. Used: coupons (Edit), test_cart (pytest): 2 of 4.
    expect(json(r)).toMatchObject({
      sessionId: SESSION,
      calls: 6,
      filesLoaded: 4,
      filesUsed: 2,
      efficiencyPct: 50,
      tokensLoaded: 1556,
      tokensUsed: 528,
      tokensWasted: 1028,
      basis: 'measured',
      used: ['app/server/coupons.py', 'tests/test_cart.py'],
      topWasted: [
        { path: 'app/server/cart.py', tokens: 1014 },
        { path: 'docs/guia de preços.md', tokens: 14 },
      ],
    });

    const text = await runCli(['context', SESSION], t);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('efficiency 50%');
    expect(text.stdout).toContain('wasted 1,028');
    expect(text.stdout).toMatch(/app\/server\/cart\.py\s+1,014/);
  });

  it('an ADW id resolves to its workflow (older stream-json: text results only)', async () => {
    const t = await ingested();
    // spec 800 B → 200 tok; the 81-byte Glob listing: export 41 B → 11, main 40 B → 10. Used: export.
    const r = await runCli(['context', 'a1b2c3d4', '--json'], t);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({
      workflowId: 'a1b2c3d4',
      calls: 3,
      filesLoaded: 3,
      filesUsed: 1,
      efficiencyPct: 33.3,
      tokensLoaded: 221,
      tokensWasted: 210,
      // no call recorded a cwd (stream-json names it only in its init line): paths from the worktree
      used: ['app/server/export.py'],
    });
    const forced = await runCli(['context', 'wf:a1b2c3d4', '--json'], t);
    expect(json(forced)).toMatchObject({ workflowId: 'a1b2c3d4', tokensLoaded: 221 });
  });

  it('a workflow run on Windows shows its paths relative to its worktree, as on POSIX', async () => {
    const t = newTarget();
    const dir = join(dirs.make('ol-ctx-win-'), 'agents', 'b2c3d4e5', 'sdlc_implementor');
    mkdirSync(dir, { recursive: true });
    const posix = readFileSync(join(FIXTURES, 'agents', 'a1b2c3d4', 'sdlc_implementor', 'raw_output.jsonl'), 'utf8');
    // the same run on Windows: backslashed paths (JSON-escaped), its own ids
    const windows = posix
      .replace(
        /\/repo\/trees\/a1b2c3d4((?:\/[\w.-]+)*)/g,
        (_m, rest: string) => `C:\\\\Users\\\\ana\\\\repo\\\\trees\\\\b2c3d4e5${rest.replace(/\//g, '\\\\')}`,
      )
      .replace(/a1b2c3d4/g, 'b2c3d4e5')
      .replace(/9c8b7a65/g, '8d7c6b54')
      .replace(/_s(\d)/g, '_w$1');
    expect(windows).toContain('C:\\\\Users\\\\ana\\\\repo\\\\trees\\\\b2c3d4e5\\\\app\\\\server\\\\export.py');
    writeFileSync(join(dir, 'raw_output.jsonl'), windows);
    expect((await runCli(['ingest', join(dir, '..', '..', '..'), '--json'], t)).code).toBe(0);
    const r = await runCli(['context', 'b2c3d4e5', '--json'], t);
    expect(json(r)).toMatchObject({
      workflowId: 'b2c3d4e5',
      filesLoaded: 3,
      used: ['app/server/export.py'],
      topWasted: [{ path: 'specs/issue-7-adw-b2c3d4e5-csv-export.md' }, { path: 'app/server/main.py' }],
    });
    const text = await runCli(['context', 'b2c3d4e5'], t);
    expect(text.stdout).toMatch(/specs\/issue-7-adw-b2c3d4e5-csv-export\.md\s/);
    expect(text.stdout).not.toContain('C:');
    expect(text.stdout).not.toContain('trees');
  });

  it('unknown ids, unknown patterns and bad usage fail cleanly', async () => {
    const t = await ingested();
    const unknown = await runCli(['context', 'no-such-session', '--json'], t);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { type: 'not_found' } });
    expect(unknown.stderr).toContain("no tool calls recorded for a session or workflow 'no-such-session'");

    const pattern = await runCli(['context', '--pattern', 'test:pytest:backend', '--json'], t);
    expect(pattern.code).toBe(1);
    expect(JSON.parse(pattern.stdout)).toMatchObject({ error: { type: 'not_found' } });
    expect(pattern.stderr).toContain("no context profile for pattern 'test:pytest:backend'");

    const both = await runCli(['context', SESSION, '--pattern', 'x'], t);
    expect(both.code).toBe(2);
    const none = await runCli(['context'], t);
    expect(none.code).toBe(2);
  });
});
