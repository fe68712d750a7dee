import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { ANSWER_OUTPUT_MAX_BYTES, interpret, tailBytes } from '../../../src/daemon/route/tool-output.js';
import { prepareRegistration, resolveExecutable, runCwd } from '../../../src/daemon/route/tool-registry.js';
import { ToolRunner, type RunSpec } from '../../../src/daemon/route/tool-runner.js';
import type { ToolRow } from '../../../src/daemon/store/tools-repo.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
const runners: ToolRunner[] = [];
const pidFiles: string[] = [];

/** Running (a zombie waiting for init to reap it counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

afterEach(async () => {
  for (const r of runners.splice(0)) r.close();
  // every process a test tool left behind must be gone
  const pids = pidFiles
    .splice(0)
    .flatMap((f) => (existsSync(f) ? readFileSync(f, 'utf8').split(/\s+/).filter(Boolean).map(Number) : []));
  await vi.waitFor(() => {
    for (const pid of pids) if (alive(pid)) throw new Error(`pid ${pid} is still alive`);
  });
  dirs.removeAll();
});

function runner(concurrency?: number): ToolRunner {
  const r = new ToolRunner(concurrency);
  runners.push(r);
  return r;
}

/** An executable /bin/sh script in a temp dir. */
function script(body: string, name = 'tool.sh'): string {
  const path = join(dirs.make('ol-tool-'), name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function spec(file: string, over: Partial<RunSpec> = {}): RunSpec {
  return {
    file,
    args: [],
    cwd: dirs.make('ol-cwd-'),
    input: '{"input":"x"}\n',
    timeoutMs: 10_000,
    outputCapBytes: 1024 * 1024,
    ...over,
  };
}

describe('ToolRunner', () => {
  it('passes the request as JSON data on stdin: shell metacharacters never reach a shell', async () => {
    const dir = dirs.make('ol-meta-');
    const marker = join(dir, 'pwned');
    const input = `run tests; touch ${marker} \`touch ${marker}\` $(touch ${marker}) | rm -rf / && echo "$HOME"`;
    const request = `${JSON.stringify({ input })}\n`;
    const out = await runner().run('cat', spec('/bin/cat', { input: request, cwd: dir }));
    expect(out.exitCode).toBe(0);
    expect(out.stdout.toString('utf8')).toBe(request);
    expect(JSON.parse(out.stdout.toString('utf8'))).toEqual({ input });
    expect(existsSync(marker)).toBe(false);
  });

  it('runs argv without a shell, in the given cwd', async () => {
    const cwd = dirs.make('ol-cwd-');
    const out = await runner().run('pwd', spec(script('pwd; printf "%s|" "$@"'), { args: ['a b', '$(x)', ';'], cwd }));
    expect(out.stdout.toString('utf8')).toBe(`${cwd}\na b|$(x)|;|`);
  });

  it('kills the whole process group on timeout, children included', async () => {
    const pids = join(dirs.make('ol-pids-'), 'pids');
    pidFiles.push(pids);
    const tool = script(`sleep 1000 & echo $! >> ${pids}\nsh -c 'echo $$ >> ${pids}; sleep 1000'`);
    const out = await runner().run('hang', spec(tool, { timeoutMs: 300 }));
    expect(out.timedOut).toBe(true);
    expect(readFileSync(pids, 'utf8').trim().split(/\s+/)).toHaveLength(2); // afterEach waits for both to die
    const r = interpret(out, 300, 1024 * 1024);
    expect(r.ok).toBe(false);
    expect(r.failure).toMatch(/timed out after 0\.3 s/);
  });

  it('escalates to SIGKILL when the tool ignores SIGTERM', async () => {
    const out = await runner().run(
      'stubborn',
      spec(script("trap '' TERM\nwhile :; do sleep 1; done"), { timeoutMs: 200 }),
    );
    expect(out.timedOut).toBe(true);
    expect(out.signal).toBe('SIGKILL');
  });

  it('kills what the tool left running once it exits', async () => {
    const pids = join(dirs.make('ol-pids-'), 'pids');
    pidFiles.push(pids);
    const out = await runner().run('fork', spec(script(`sleep 1000 & echo $! > ${pids}\necho started`)));
    expect(out.exitCode).toBe(0);
    expect(out.stdout.toString('utf8')).toBe('started\n');
    expect(readFileSync(pids, 'utf8').trim()).toMatch(/^\d+$/); // afterEach waits for it to die
  });

  it('stops reading and kills a tool that writes 100 MB', async () => {
    const cap = 1024 * 1024;
    const out = await runner().run(
      'flood',
      spec(script('yes "0123456789abcdef" | head -c 100000000'), { outputCapBytes: cap }),
    );
    expect(out.overCap).toBe(true);
    expect(out.stdout.length).toBe(cap);
    const r = interpret(out, 10_000, cap);
    expect(r.ok).toBe(false);
    expect(r.failure).toBe(`output passed the ${cap}-byte cap; the tool was killed`);
    expect(Buffer.byteLength(r.output)).toBeLessThanOrEqual(ANSWER_OUTPUT_MAX_BYTES);
    expect(r.truncated).toBe(true);
  });

  it('reports a tool that cannot start', async () => {
    const out = await runner().run('missing', spec('/nonexistent/tool'));
    expect(out.spawnError).toMatch(/ENOENT/);
    expect(interpret(out, 1000, 1000).failure).toMatch(/could not be started/);
  });

  it('runs at most N at once per tool and answers every request', async () => {
    const dir = dirs.make('ol-conc-');
    const tool = script(
      `mkdir ${dir}/lock.$$; n=$(ls -d ${dir}/lock.* | wc -l); echo $n; sleep 0.2; rmdir ${dir}/lock.$$`,
    );
    const r = runner(2);
    const outs = await Promise.all(Array.from({ length: 6 }, () => r.run('same', spec(tool))));
    for (const o of outs) {
      expect(o.exitCode).toBe(0);
      expect(Number(o.stdout.toString('utf8').trim())).toBeLessThanOrEqual(2);
    }
  });
});

function outcome(over: Partial<Parameters<typeof interpret>[0]>): Parameters<typeof interpret>[0] {
  return {
    exitCode: 0,
    signal: null,
    timedOut: false,
    overCap: false,
    spawnError: null,
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    bytes: 0,
    durationMs: 1,
    ...over,
  };
}

describe('interpret', () => {
  it('empty output with exit 0 is a success', () => {
    expect(interpret(outcome({}), 1000, 1000)).toEqual({
      ok: true,
      failure: null,
      summary: '(no output)',
      output: '',
      truncated: false,
    });
  });

  it('summarises with the last three lines and keeps stderr after stdout', () => {
    const r = interpret(
      outcome({ stdout: Buffer.from('a\nb\n\x1b[32mc\x1b[0m\n\nd\n'), stderr: Buffer.from('warn\n') }),
      1000,
      1000,
    );
    expect(r.summary).toBe('b | c | d');
    expect(r.output).toBe('a\nb\n\x1b[32mc\x1b[0m\n\nd\n[stderr]\nwarn\n');
  });

  it.each([
    ['NUL bytes', Buffer.from([0x61, 0x00, 0x62]), 'stdout contains NUL bytes (binary output)'],
    ['invalid UTF-8', Buffer.from([0x61, 0xff, 0xfe]), 'stdout is not valid UTF-8'],
  ])('%s are garbage', (_name, bytes, problem) => {
    const r = interpret(outcome({ stdout: bytes, bytes: bytes.length }), 1000, 1000);
    expect(r.ok).toBe(false);
    expect(r.failure).toBe(`printed garbage: ${problem}`);
    expect(r.output).toBe('');
  });

  it('a non-zero exit names the last line of stderr', () => {
    const r = interpret(outcome({ exitCode: 2, stderr: Buffer.from('Traceback...\nValueError: bad\n') }), 1000, 1000);
    expect(r.failure).toBe('exit code 2: ValueError: bad');
  });

  it('reads the tool contract {success, summary, failures}', () => {
    const ok = interpret(outcome({ stdout: Buffer.from('{"success":true,"summary":"12 passed"}\n') }), 1000, 1000);
    expect(ok).toMatchObject({ ok: true, summary: '12 passed' });
    const bad = interpret(
      outcome({ stdout: Buffer.from('{"success":false,"summary":"2 failed","failures":["a","b"]}') }),
      1000,
      1000,
    );
    expect(bad).toMatchObject({ ok: false, failure: 'the tool reported success: false: 2 failed; 2 failure(s)' });
    // text that merely looks like JSON is text
    expect(interpret(outcome({ stdout: Buffer.from('{not json\n') }), 1000, 1000)).toMatchObject({
      ok: true,
      summary: '{not json',
    });
  });

  it('tailBytes cuts at a character boundary', () => {
    expect(tailBytes('ééé', 3)).toEqual({ text: 'é', truncated: true });
    expect(tailBytes('abc', 3)).toEqual({ text: 'abc', truncated: false });
  });
});

describe('registration rules', () => {
  const row = (over: Partial<ToolRow>): ToolRow => ({
    id: 1,
    name: 't',
    signature: 's',
    argv: '[]',
    resolved_path: '/bin/true',
    triggers: '[]',
    timeout_ms: 1000,
    output_cap_bytes: 1000,
    cwd_policy: 'request',
    cwd: null,
    enabled: 1,
    disabled_reason: null,
    runs: 0,
    successes: 0,
    created_at: '',
    updated_at: '',
    pin_real_path: null,
    pin_uid: null,
    pin_mode: null,
    pin_size: null,
    pin_ctime_ms: null,
    pin_sha256: null,
    ...over,
  });

  it('resolves a bare name on PATH and refuses relative paths and non-executables', () => {
    const dir = dirs.make('ol-path-');
    const exe = join(dir, 'my-tool');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    const plain = join(dir, 'plain');
    writeFileSync(plain, 'x');
    expect(resolveExecutable('my-tool', { PATH: `/nonexistent:${dir}` })).toBe(exe);
    expect(() => resolveExecutable('./my-tool', { PATH: dir })).toThrow(/absolute path or a command name/);
    expect(() => resolveExecutable(plain, {})).toThrow(/is not executable/);
    expect(() => resolveExecutable(join(dir, 'gone'), {})).toThrow(/does not exist/);
    expect(() => resolveExecutable('nope-not-here', { PATH: dir })).toThrow(AppError);
  });

  it('applies the defaults: 600 s, 1 MiB, cwd policy request', () => {
    const t = prepareRegistration(
      {
        name: 'run-tests',
        signature: ' Test:Pytest:All ',
        argv: ['/bin/true', '-q'],
        triggers: [' run  tests ', 'run tests', ''],
      },
      {},
    );
    expect(t).toEqual({
      name: 'run-tests',
      signature: 'test:pytest:all',
      argv: ['/bin/true', '-q'],
      resolvedPath: '/bin/true',
      triggers: ['run tests'],
      timeoutMs: 600_000,
      outputCapBytes: 1024 * 1024,
      cwdPolicy: 'request',
      cwd: null,
      pin: expect.objectContaining({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    });
    expect(() =>
      prepareRegistration({ name: 'x', signature: 's', argv: ['/bin/true'], cwdPolicy: 'fixed' }, {}),
    ).toThrow(/needs a cwd/);
    expect(() => prepareRegistration({ name: '../x', signature: 's', argv: ['/bin/true'] }, {})).toThrow(/tool name/);
  });

  it('picks the cwd by policy and checks it exists', () => {
    const a = dirs.make('ol-a-');
    const b = dirs.make('ol-b-');
    expect(runCwd(row({ cwd: a }), b, '/')).toEqual({ cwd: b });
    expect(runCwd(row({ cwd: a }), undefined, '/')).toEqual({ cwd: a });
    expect(runCwd(row({}), undefined, '/')).toEqual({
      problem: "the tool runs in the request's cwd and the request gave none",
    });
    expect(runCwd(row({ cwd_policy: 'fixed', cwd: a }), b, '/')).toEqual({ cwd: a });
    expect(runCwd(row({ cwd_policy: 'inherit' }), b, a)).toEqual({ cwd: a });
    expect(runCwd(row({}), join(a, 'gone'), '/')).toEqual({ problem: `cwd ${join(a, 'gone')} does not exist` });
    expect(runCwd(row({}), 'relative', '/')).toEqual({ problem: 'cwd relative is not an absolute path' });
  });
});
