/**
 * `outloop run` through the installed binary (dist/cli/outloop.cjs, build first): real commands,
 * real process groups and signals, a temp state dir.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { RunReport } from '../../src/core/offload/offload-file.js';
import { CLI_PATH, cliEnv, killStarted } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
afterEach(() => killStarted());
afterAll(() => dirs.removeAll());

interface Ran {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Spawns `node outloop.cjs ...args` in `cwd`; `onSpawn` sees the process while it runs. */
function outloop(
  home: string,
  args: string[],
  opts: {
    cwd?: string;
    input?: string;
    env?: Record<string, string | undefined>;
    onSpawn?: (pid: number) => void;
  } = {},
): Promise<Ran> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: opts.cwd ?? home,
    env: cliEnv({ stateDir: home, env: opts.env ?? {} }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => undefined);
  child.stdin.end(opts.input ?? '');
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`outloop ${args.join(' ')} did not finish\nstderr: ${stderr}`));
    }, 25_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
  });
}

function runReports(home: string): RunReport[] {
  const dir = join(home, 'spool');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { run: RunReport }).run);
}

function onlyReport(home: string): RunReport {
  const reports = runReports(home);
  expect(reports).toHaveLength(1);
  return reports[0]!;
}

const logOf = (home: string, id: string): string => join(home, 'runs', `${id}.log`);

/** Alive and not a zombie (an orphan may wait a moment to be reaped). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const FAILING_SUITE = `import { test } from 'node:test';
import assert from 'node:assert';
${Array.from({ length: 30 }, (_, i) => `test('cart keeps item ${i}', () => assert.ok(true));`).join('\n')}
test('cart adds the same item twice', () => assert.strictEqual(1 + 1, 3));
`;

describe('outloop run (e2e)', () => {
  it('runs a failing test suite: exit status kept, the failing test named, the whole output kept 0600', async () => {
    const home = dirs.make('ol-run-');
    writeFileSync(join(home, 'cart.test.mjs'), FAILING_SUITE);
    const r = await outloop(home, ['run', '--', 'node', '--test', 'cart.test.mjs']);
    expect(r.code).toBe(1);
    const text = r.stdout.toString('utf8');
    expect(text).toContain('cart adds the same item twice');
    const run = onlyReport(home);
    expect(text).toContain(`outloop runs show ${run.id}`);
    expect(run).toMatchObject({
      command: 'node --test cart.test.mjs',
      cwd: home,
      exitCode: 1,
      signal: null,
      signature: null,
    });
    const log = readFileSync(logOf(home, run.id), 'utf8');
    expect(log).toContain('ok 30 - cart keeps item 29');
    expect(log).toContain('not ok 31 - cart adds the same item twice');
    expect(run.rawBytes).toBe(Buffer.byteLength(log));
    expect(run.rawTokens).toBe(Math.ceil(run.rawBytes / 4));
    expect(statSync(logOf(home, run.id)).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'runs')).mode & 0o777).toBe(0o700);

    const shown = await outloop(home, ['runs', 'show', run.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout.toString('utf8')).toBe(log);
    const listed = await outloop(home, ['runs', 'list', '--json']);
    expect(JSON.parse(listed.stdout.toString('utf8'))).toMatchObject({ runs: [{ id: run.id, bytes: run.rawBytes }] });
  });

  it('--json prints one JSON document: the report and the compact text', async () => {
    const home = dirs.make('ol-run-');
    const r = await outloop(home, ['run', '--json', '--', 'echo one; echo two >&2']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout.toString('utf8')) as { run: RunReport; text: string };
    expect(doc.run).toEqual(onlyReport(home));
    expect(doc.run).toMatchObject({ command: 'echo one; echo two >&2', rawBytes: 8, exitCode: 0 });
    expect(doc.text).toContain('one\ntwo\n');
    expect(readFileSync(logOf(home, doc.run.id), 'utf8')).toBe('one\ntwo\n');
  });

  it('bad usage exits 2 and runs nothing', async () => {
    const home = dirs.make('ol-run-');
    for (const args of [['run'], ['run', '--pattern', 'S', '--'], ['run', '--frobnicate', '--', 'true'], ['runs']]) {
      const r = await outloop(home, args);
      expect(r.code).toBe(2);
    }
    expect(existsSync(join(home, 'runs'))).toBe(false);
  });

  it('runs show of a missing or pruned log fails with a clear message', async () => {
    const home = dirs.make('ol-run-');
    const r = await outloop(home, ['runs', 'show', 'r-0123456789abcdef']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no kept log for r-0123456789abcdef/);
    const bad = await outloop(home, ['runs', 'show', '../../etc/passwd']);
    expect(bad.code).toBe(2);
  });

  it('a command killed by a signal exits 128 + N', async () => {
    const home = dirs.make('ol-run-');
    const r = await outloop(home, ['run', '--', 'echo before; kill -KILL $$']);
    expect(r.code).toBe(137);
    expect(onlyReport(home)).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
  });

  it('SIGTERM to outloop run stops the command and everything it started', async () => {
    const home = dirs.make('ol-run-');
    let pid = 0;
    const ran = outloop(home, ['run', '--', `echo $$ > p1; sleep 300 & echo $! > p2; wait`], {
      onSpawn: (p) => (pid = p),
    });
    await vi.waitFor(
      () => expect(existsSync(join(home, 'p2')) && readFileSync(join(home, 'p2'), 'utf8').trim()).toBeTruthy(),
      {
        timeout: 10_000,
        interval: 20,
      },
    );
    const shell = Number(readFileSync(join(home, 'p1'), 'utf8'));
    const sleeper = Number(readFileSync(join(home, 'p2'), 'utf8'));
    expect(running(sleeper)).toBe(true);
    process.kill(pid, 'SIGTERM');
    const r = await ran;
    expect(r.code).toBe(143);
    await vi.waitFor(() => expect([running(shell), running(sleeper)]).toEqual([false, false]), {
      timeout: 5000,
      interval: 20,
    });
  });

  it.each([
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s to outloop run reaches the command it is waiting for', async (signal, code) => {
    const home = dirs.make('ol-run-');
    let pid = 0;
    const ran = outloop(home, ['run', '--', `sh -c 'echo $$ > p2; exec sleep 300'; echo not reached`], {
      onSpawn: (p) => (pid = p),
    });
    await vi.waitFor(
      () => expect(existsSync(join(home, 'p2')) && readFileSync(join(home, 'p2'), 'utf8').trim()).toBeTruthy(),
      {
        timeout: 10_000,
        interval: 20,
      },
    );
    const sleeper = Number(readFileSync(join(home, 'p2'), 'utf8'));
    process.kill(pid, signal);
    const r = await ran;
    expect(r.code).toBe(code);
    expect(r.stdout.toString('utf8')).not.toContain('not reached');
    expect(onlyReport(home)).toMatchObject({ exitCode: code, signal });
    await vi.waitFor(() => expect(running(sleeper)).toBe(false), { timeout: 5000, interval: 20 });
  });

  it('OUTLOOP_OFFLOAD=0 runs the command untouched: raw output, exit status kept, nothing kept', async () => {
    const home = dirs.make('ol-run-');
    const r = await outloop(home, ['run', '--', 'printf "raw\\n"; printf "err\\n" >&2; exit 5'], {
      env: { OUTLOOP_OFFLOAD: '0' },
    });
    expect(r).toMatchObject({ code: 5, stderr: 'err\n' });
    expect(r.stdout.toString('utf8')).toBe('raw\n');
    expect(existsSync(join(home, 'runs'))).toBe(false);
    expect(runReports(home)).toEqual([]);
  });

  it('a state dir where no log can be kept: the command still runs, its raw output shown, status kept', async () => {
    const dir = dirs.make('ol-run-');
    const home = join(dir, 'not-a-dir');
    writeFileSync(home, 'a file where the state dir should be');
    const r = await outloop(home, ['run', '--', 'echo still here; exit 7'], { cwd: dir });
    expect(r.code).toBe(7);
    expect(r.stdout.toString('utf8')).toBe('still here\n');
    expect(r.stderr).toMatch(/^outloop run: cannot keep the log \(.*\); output shown raw\n$/);
  });

  describe('--pattern runs only the offloaded operation', () => {
    const SIG = 'test:node:all';
    // the suite leaves a marker when it runs: proof of whether the command ran
    const SUITE = `import { writeFileSync } from 'node:fs';\nwriteFileSync('ran', 'yes');\n`;
    const offload = (enabled: boolean, signature = SIG): string =>
      JSON.stringify({
        v: 1,
        enabled,
        writtenAt: '2026-12-06T00:00:00Z',
        patterns: [{ signature, patternId: 1, family: 'test' }],
      });

    function setup(offloadJson: string | null): string {
      const home = dirs.make('ol-run-');
      writeFileSync(join(home, 'm.test.mjs'), SUITE);
      if (offloadJson !== null) writeFileSync(join(home, 'offload.json'), offloadJson);
      return home;
    }

    it('runs the approved operation and reports it for its pattern', async () => {
      const home = setup(offload(true));
      const r = await outloop(home, ['run', '--pattern', SIG, '--', 'node --test m.test.mjs']);
      expect(r.code).toBe(0);
      expect(existsSync(join(home, 'ran'))).toBe(true);
      expect(onlyReport(home)).toMatchObject({ signature: SIG, command: 'node --test m.test.mjs' });
    });

    it.each([
      ['a chained command', offload(true), SIG, 'node --test m.test.mjs && touch ran', /not one simple command/],
      [
        'another operation',
        offload(true, 'lint:eslint:all'),
        'lint:eslint:all',
        'node --test m.test.mjs',
        /is operation test:node:all, not lint:eslint:all/,
      ],
      ['offload.json missing', null, SIG, 'node --test m.test.mjs', /offload\.json is missing/],
      [
        'offload.json corrupt',
        '{"v":1,"enabled":tr',
        SIG,
        'node --test m.test.mjs',
        /unreadable or of another version/,
      ],
      ['offload switched off', offload(false), SIG, 'node --test m.test.mjs', /offload is switched off/],
      [
        'a pattern not offloaded',
        offload(true, 'test:npm:all'),
        SIG,
        'node --test m.test.mjs',
        /pattern test:node:all is not offloaded/,
      ],
    ])('refuses %s: exit 126, one line on stderr, command not run', async (_what, file, sig, command, why) => {
      const home = setup(file);
      const r = await outloop(home, ['run', '--pattern', sig, '--', command]);
      expect(r.code).toBe(126);
      expect(r.stdout.length).toBe(0);
      expect(r.stderr).toMatch(why);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(join(home, 'ran'))).toBe(false);
      expect(existsSync(join(home, 'runs'))).toBe(false);
      const json = await outloop(home, ['run', '--json', '--pattern', sig, '--', command]);
      expect(json.code).toBe(126);
      expect(JSON.parse(json.stdout.toString('utf8'))).toMatchObject({ error: { type: 'refused', code: 126 } });
      expect(existsSync(join(home, 'ran'))).toBe(false);
    });
  });

  it('quotes, globs and non-ASCII reach bash as written', async () => {
    const home = dirs.make('ol-run-');
    writeFileSync(join(home, 'b.txt'), '');
    writeFileSync(join(home, 'a.txt'), '');
    const r = await outloop(home, ['run', '--', `printf '%s|' "a  b" 'it'"'"'s' *.txt ünï✓ "$HOME" '$HOME'`]);
    expect(r.code).toBe(0);
    const expected = `a  b|it's|a.txt|b.txt|ünï✓|${home}|$HOME|`;
    expect(r.stdout.toString('utf8')).toContain(expected);
    expect(readFileSync(logOf(home, onlyReport(home).id), 'utf8')).toBe(expected);
  });

  it('a command that reads stdin gets ours', async () => {
    const home = dirs.make('ol-run-');
    const r = await outloop(home, ['run', '--', 'tr a-z A-Z; wc -c < /dev/null'], { input: 'hello there\n' });
    expect(r.code).toBe(0);
    expect(r.stdout.toString('utf8')).toContain('HELLO THERE\n0\n');
  });

  it('binary output is kept byte for byte and still summarised', async () => {
    const home = dirs.make('ol-run-');
    const r = await outloop(home, ['run', '--', `printf '\\x00\\x01\\xff\\xfe\\x80text\\n'`]);
    expect(r.code).toBe(0);
    const run = onlyReport(home);
    expect(readFileSync(logOf(home, run.id))).toEqual(Buffer.from([0, 1, 0xff, 0xfe, 0x80, ...Buffer.from('text\n')]));
    expect(run.rawBytes).toBe(10);
    expect(r.stdout.toString('utf8')).toContain(`outloop runs show ${run.id}`);
  });

  it('output larger than what is read for the summary: the log has all of it, the summary says it was cut', async () => {
    const home = dirs.make('ol-run-');
    const r = await outloop(home, ['run', '--', `seq 1 600000; echo FAILED: last line`]);
    expect(r.code).toBe(0);
    const run = onlyReport(home);
    expect(run.rawBytes).toBe(statSync(logOf(home, run.id)).size);
    expect(run.rawBytes).toBeGreaterThan(3_000_000);
    const text = r.stdout.toString('utf8');
    expect(text).toContain('FAILED: last line');
    expect(text).toContain(`[outloop: this summary read only the start and the end of ${run.rawBytes} bytes of output`);
  });
});
