/**
 * `outloop quarantine` against the real daemon (auto-started by `ingest`): a file of bad lines is
 * kept up to `quarantineKeepPerFile` rows (config.json) and counted whole; the text output and
 * the JSON document group by file and reason with a sample line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult, type DaemonTarget } from '../helpers/cli.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, stateDirs } = e2eDaemons({ stopGracefully: false });

function newTarget(): DaemonTarget {
  const stateDir = dirs.make('ol-q-e2e-');
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

describe('outloop quarantine', () => {
  it('groups by file and reason, keeps the configured rows and counts every line', async () => {
    const t = newTarget();
    writeFileSync(
      join(t.stateDir, 'config.json'),
      JSON.stringify({ quarantineKeepPerFile: 10, watchDefaultTranscripts: false }),
    );
    const projects = join(dirs.make('ol-q-corpus-'), 'projects', '-w');
    mkdirSync(projects, { recursive: true });
    const bad = join(projects, '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c.jsonl');
    const long = 'y'.repeat(300);
    writeFileSync(bad, Array.from({ length: 2_000 }, (_, i) => `garbage ${i} ${long}\n`).join('') + '[1]\n[2]\n');

    const ingest = await runCli(['ingest', projects, '--json'], t, { timeoutMs: 60_000 });
    expect(ingest.code).toBe(0);
    expect(json(ingest)['quarantined']).toBe(2_002);

    const r = await runCli(['quarantine', '--json'], t);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = json(r);
    expect(doc).toMatchObject({ keepPerFile: 10, kept: 10, total: 2_002 });
    const files = doc['files'] as { path: string; kept: number; total: number; reasons: Record<string, unknown>[] }[];
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ path: bad, kept: 10, total: 2_002 });
    expect(files[0]?.reasons).toHaveLength(2);
    expect(files[0]?.reasons[0]).toMatchObject({ reason: 'invalid-json', kept: 10, total: 2_000, sampleOffset: 0 });
    const sample = String(files[0]?.reasons[0]?.['sample']);
    expect(sample.startsWith('garbage 0 yyy')).toBe(true);
    expect(sample.length).toBeLessThanOrEqual(120);
    expect(files[0]?.reasons[1]).toMatchObject({ reason: 'not-an-object', kept: 0, total: 2 });

    const text = await runCli(['quarantine'], t);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('2,002 line(s) quarantined in 1 file(s); 10 kept (the first 10 per file), the rest counted');
    expect(lines[1]).toMatch(/^file\s+reason\s+lines\s+kept\s+sample$/);
    expect(lines[2]).toMatch(/^─+/);
    expect(lines[3]).toContain(bad);
    expect(lines[3]).toMatch(/invalid-json\s+2,000\s+10\s+@0 garbage 0 y+…$/);
    expect(lines[4]).toMatch(/not-an-object\s+2\s+0\s+@\d+ \[[12]\]$/);

    const status = json(await runCli(['status', '--json'], t));
    expect((status['counts'] as Record<string, number>)['quarantined']).toBe(2_002);

    const filtered = json(await runCli(['quarantine', '--path', 'no-such-file', '--json'], t));
    expect(filtered).toMatchObject({ kept: 0, total: 0, files: [] });
    const empty = await runCli(['quarantine', '--path', 'no-such-file'], t);
    expect(empty.stdout).toBe('nothing quarantined: every line read so far could be parsed\n');
    const usage = await runCli(['quarantine', 'extra'], t);
    expect(usage.code).toBe(2);
  });
});
