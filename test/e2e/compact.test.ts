import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compact } from '../../src/core/compact/index.js';
import { CLI_PATH, cliEnv, REPO_ROOT } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { FIXTURES } from '../core/compact/runner-fixtures.js';

const dirs = tempDirs();
afterEach(() => dirs.removeAll());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `outloop compact ARGS` with these bytes on stdin. */
function outloopCompact(args: string[], input: Buffer): Promise<Run> {
  const child = spawn(process.execPath, [CLI_PATH, 'compact', ...args], {
    env: cliEnv({ stateDir: dirs.make('ol-compact-') }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const fixture = (id: string): Buffer => readFileSync(join(FIXTURES, id, 'output.txt'));

describe('outloop compact', () => {
  it('prints the compact text of a failing vitest run', async () => {
    const r = await outloopCompact(['--command', 'npx vitest run', '--exit-code', '1'], fixture('vitest/4.1.12/fail'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^vitest: 3 failed, 24 passed, 1 skipped in [\d.]+ s \(4 files\) · exit 1\n/);
    expect(r.stdout).toContain('✗ test/parse.test.mjs > parsePrice > parses a price with spaces');
    expect(r.stdout).toContain('at test/parse.test.mjs:9:51');
    expect(r.stdout.trimEnd().split('\n').pop()).toMatch(
      /^\[outloop: 90 lines, ~\d+ → ~\d+ tokens \(\d+% left out\)\]$/,
    );
  });

  it('--json prints one document with family, tokens and facts', async () => {
    const r = await outloopCompact(['--command', 'npx jest', '--json'], fixture('jest/29.7.0/fail'));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(['compactTokens', 'facts', 'family', 'rawTokens', 'text']);
    expect(doc['family']).toBe('test');
    expect(doc['rawTokens']).toBeGreaterThan(doc['compactTokens'] as number);
    const facts = doc['facts'] as { failed: number; failures: string[]; exitCode: number | null };
    expect(facts.failed).toBe(3);
    expect(facts.failures).toHaveLength(3);
    expect(facts.exitCode).toBeNull();
  });

  it('decodes invalid UTF-8 and binary leniently', async () => {
    const bytes = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9, 0x00, 0xff]), Buffer.from(' ok\n')]);
    const r = await outloopCompact(['--command', 'cat x.bin', '--json'], bytes);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { family: string; text: string };
    expect(doc.family).toBe('generic');
    expect(doc.text).toContain('caf\uFFFD\uFFFD\uFFFD ok');
  });

  it('exits 2 without --command or with a bad --exit-code', async () => {
    const none = await outloopCompact([], Buffer.from('x'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--command');
    const bad = await outloopCompact(['--command', 'ls', '--exit-code', 'one'], Buffer.from('x'));
    expect(bad.code).toBe(2);
  });
});

/** A tiny project with one passing and one failing test, for the runners installed with this repository. */
function project(): string {
  const dir = dirs.make('ol-compact-live-');
  mkdirSync(join(dir, 'test'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{"name":"live","version":"1.0.0","type":"module","private":true}\n');
  const body = (imp: string, eq: string): string =>
    `${imp}\ndescribe('sum', () => {\n  it('adds', () => { ${eq.replace('@A', '1 + 1').replace('@B', '2')} });\n` +
    `  it('adds wrongly', () => { ${eq.replace('@A', '2 + 2').replace('@B', '5')} });\n});\n`;
  writeFileSync(
    join(dir, 'test', 'sum.test.ts'),
    body("import { describe, expect, it } from 'vitest';", 'expect(@A).toBe(@B);'),
  );
  writeFileSync(
    join(dir, 'test', 'sum.test.mjs'),
    body(
      "import { describe, it } from 'node:test';\nimport assert from 'node:assert/strict';",
      'assert.equal(@A, @B);',
    ),
  );
  return dir;
}

/** Runs a command in `cwd` as an agent's shell would, stdout and stderr together. */
function shell(command: string, cwd: string): { output: string; code: number | null } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'NODE_OPTIONS') delete env[key];
  delete env['FORCE_COLOR'];
  const r = spawnSync('bash', ['-c', `${command} 2>&1`], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { output: r.stdout, code: r.status };
}

describe('live runners', () => {
  it('compacts a real vitest run', () => {
    const dir = project();
    const command = `${join(REPO_ROOT, 'node_modules', '.bin', 'vitest')} run test/sum.test.ts`;
    const run = shell(command, dir);
    const r = compact(command, run.output, run.code);
    expect(r.tool).toBe('vitest');
    expect(r.facts).toMatchObject({ passed: 1, failed: 1, files: 1, exitCode: 1 });
    expect(r.facts.failures).toEqual(['test/sum.test.ts > sum > adds wrongly']);
    expect(r.text).toMatch(/at test\/sum\.test\.ts:4:\d+/);
  });

  it('compacts a real node --test run', () => {
    const dir = project();
    const run = shell('node --test test/sum.test.mjs', dir);
    const r = compact('node --test test/sum.test.mjs', run.output, run.code);
    expect(r.tool).toBe('node-test');
    expect(r.facts).toMatchObject({ passed: 1, failed: 1, exitCode: 1 });
    expect(r.facts.failures).toEqual(['sum > adds wrongly']);
    expect(r.text).toMatch(/sum\.test\.mjs:5:\d+/);
  });
});
