import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI_PATH, cliEnv, killStarted, runCli, type CliResult } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
afterEach(() => killStarted());
afterAll(() => dirs.removeAll());

const SIG = 'test:npm:all';
const COMMAND = `npm test -- -t "it's a \\"case\\"" 'x y' *.ts $HOME é✓`;

interface Setup {
  home: string;
  project: string;
  /** extra environment for the hook */
  env: Record<string, string | undefined>;
}

/** A state dir (also $HOME), a project that allows `npm test *`, and offload.json offloading test:npm:all. */
function setup(opts: { offload?: string | null; projectSettings?: unknown } = {}): Setup {
  const home = dirs.make('ol-hook-off-');
  const project = join(home, 'proj');
  mkdirSync(join(project, '.claude'), { recursive: true });
  const settings = opts.projectSettings ?? { permissions: { allow: ['Bash(npm test *)'] } };
  writeFileSync(join(project, '.claude', 'settings.json'), JSON.stringify(settings));
  const offload =
    opts.offload === undefined
      ? JSON.stringify({
          v: 1,
          enabled: true,
          writtenAt: new Date().toISOString(),
          patterns: [{ signature: SIG, patternId: 4, family: 'test' }],
        })
      : opts.offload;
  if (offload !== null) writeFileSync(join(home, 'offload.json'), offload);
  return { home, project, env: { CLAUDE_PROJECT_DIR: undefined } };
}

function payload(s: Setup, over: Record<string, unknown> = {}, input: Record<string, unknown> = {}): string {
  return JSON.stringify({
    session_id: '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c',
    transcript_path: '/t/5b1f0c2e.jsonl',
    cwd: s.project,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command: COMMAND, description: 'Run the tests', timeout: 120000, run_in_background: false, ...input },
    tool_use_id: 'toolu_01',
    ...over,
  });
}

function hook(s: Setup, input: string, env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(['hook'], { stateDir: s.home, env: { ...s.env, ...env } }, { input });
}

/** The one spooled payload (every call spools, whatever it answers). */
function spooled(s: Setup): string[] {
  const dir = join(s.home, 'spool');
  return readdirSync(dir).map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { payload: string }).payload);
}

/** The argv bash makes of a wrapped command: every word, the program's path first. */
function argvOf(command: string): string[] {
  const r = spawnSync('bash', ['-c', `f() { printf '%s\\0' "$@"; }; f ${command}`], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

interface Answer {
  hookSpecificOutput: {
    hookEventName: string;
    permissionDecision: string;
    permissionDecisionReason: string;
    updatedInput: Record<string, unknown>;
  };
}

describe('outloop hook: offload on a Bash PreToolUse', () => {
  it('rewrites an approved, allowed simple command: allow + updatedInput, the argv round-trips, the event is spooled', async () => {
    const s = setup();
    const input = payload(s);
    const r = await hook(s, input);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    const answer = JSON.parse(r.stdout) as Answer;
    expect(answer.hookSpecificOutput).toMatchObject({
      hookEventName: 'PreToolUse',
      permissionDecision: 'allow',
      permissionDecisionReason: expect.stringContaining(`outloop: ${SIG}`) as string,
    });
    const { command, ...rest } = answer.hookSpecificOutput.updatedInput;
    expect(rest).toEqual({ description: 'Run the tests', timeout: 120000, run_in_background: false });
    expect(argvOf(command as string)).toEqual([process.execPath, CLI_PATH, 'run', '--pattern', SIG, '--', COMMAND]);
    expect(spooled(s)).toEqual([input]);
  });

  it('takes allow rules from $CLAUDE_CONFIG_DIR/settings.json and CLAUDE_PROJECT_DIR', async () => {
    const s = setup({ projectSettings: {} });
    const input = payload(s);
    expect((await hook(s, input)).stdout).toBe('');
    mkdirSync(join(s.home, 'claude-config'));
    writeFileSync(join(s.home, 'claude-config', 'settings.json'), '{"permissions":{"allow":["Bash(npm test:*)"]}}');
    expect(JSON.parse((await hook(s, input)).stdout)).toHaveProperty('hookSpecificOutput.permissionDecision', 'allow');

    const t = setup();
    const elsewhere = payload(t, { cwd: join(t.home, 'nowhere') });
    expect((await hook(t, elsewhere)).stdout).toBe('');
    const r = await hook(t, elsewhere, { CLAUDE_PROJECT_DIR: t.project });
    expect(JSON.parse(r.stdout)).toHaveProperty('hookSpecificOutput.permissionDecision', 'allow');
  });

  it('a deny rule anywhere in the chain stops it, ~/.claude/settings.json included; corrupt files are skipped', async () => {
    const s = setup();
    writeFileSync(join(s.project, '.claude', 'settings.local.json'), '{ not json');
    const input = payload(s);
    expect(JSON.parse((await hook(s, input)).stdout)).toHaveProperty('hookSpecificOutput.permissionDecision', 'allow');
    mkdirSync(join(s.home, '.claude'));
    writeFileSync(join(s.home, '.claude', 'settings.json'), '{"permissions":{"deny":["Bash(npm test:*)"]}}');
    const r = await hook(s, input);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('bypassPermissions needs no allow rule', async () => {
    const s = setup({ projectSettings: {} });
    const r = await hook(s, payload(s, { permission_mode: 'bypassPermissions' }));
    expect(JSON.parse(r.stdout)).toHaveProperty('hookSpecificOutput.permissionDecision', 'allow');
  });

  const silent: [string, (s: Setup) => string, Partial<Parameters<typeof setup>[0]>, Record<string, string>][] = [
    ['a chained command', (s) => payload(s, {}, { command: 'npm test && rm -rf dist' }), {}, {}],
    ['an unapproved command', (s) => payload(s, {}, { command: 'npm install' }), {}, {}],
    [
      'an already wrapped command',
      (s) => payload(s, {}, { command: `${process.execPath} ${CLI_PATH} run --pattern ${SIG} -- 'npm test'` }),
      {},
      {},
    ],
    ['a payload without tool_input.command', (s) => payload(s, { tool_input: { description: 'x' } }), {}, {}],
    ['a payload without permission_mode', (s) => payload(s, { permission_mode: undefined }), {}, {}],
    ['plan mode', (s) => payload(s, { permission_mode: 'plan' }), {}, {}],
    ['another tool', (s) => payload(s, { tool_name: 'Read', tool_input: { file_path: '/x' } }), {}, {}],
    ['offload.json missing', (s) => payload(s), { offload: null }, {}],
    ['offload.json corrupt', (s) => payload(s), { offload: '{"v":1,"enabled":tru' }, {}],
    ['offload.json of another version', (s) => payload(s), { offload: '{"v":2,"enabled":true,"patterns":[]}' }, {}],
    [
      'offload.json switched off',
      (s) => payload(s),
      {
        offload: JSON.stringify({
          v: 1,
          enabled: false,
          writtenAt: '',
          patterns: [{ signature: SIG, patternId: 4, family: 'test' }],
        }),
      },
      {},
    ],
    ['OUTLOOP_OFFLOAD=0', (s) => payload(s), {}, { OUTLOOP_OFFLOAD: '0' }],
    ['no allow rule', (s) => payload(s), { projectSettings: { permissions: { allow: ['Bash(npm run build)'] } } }, {}],
  ];

  it.each(silent)('%s: prints nothing, exits 0, still spools the event', async (_name, make, opts, env) => {
    const s = setup(opts);
    const input = make(s);
    const r = await hook(s, input, env);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(spooled(s)).toEqual([input]);
  });

  it('OUTLOOP_OFFLOAD set to anything but 0 leaves offload on', async () => {
    const s = setup();
    const r = await hook(s, payload(s), { OUTLOOP_OFFLOAD: '1' });
    expect(JSON.parse(r.stdout)).toHaveProperty('hookSpecificOutput.permissionDecision', 'allow');
  });
});

describe('outloop hook: stdin read deadline', () => {
  it('stops reading a writer that trickles bytes without end, spools what arrived and exits 0', async () => {
    const s = setup();
    // one byte every 200 ms after an object that never closes; it reports when its reader has gone, and
    // gives up by itself after 20 s (the hook would then see EOF: without the deadline this test fails)
    const writer = [
      `process.stdout.on('error', () => { process.stderr.write('reader gone\\n'); process.exit(0); });`,
      `process.stdout.write('{"slow":"');`,
      `setInterval(() => process.stdout.write('x'), 200);`,
      `setTimeout(() => process.exit(0), 20000);`,
    ].join(' ');
    const child = spawn(
      'bash',
      ['-c', '"$0" -e "$1" | "$0" "$2" hook; echo "hook exit ${PIPESTATUS[1]}"', process.execPath, writer, CLI_PATH],
      {
        env: cliEnv({ stateDir: s.home }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    // the hook printed nothing and exited 0 ...
    expect(out).toBe('hook exit 0\n');
    // ... while the writer was still writing: its next write found the pipe closed
    expect(err).toBe('reader gone\n');
    const [got] = spooled(s);
    expect(got).toMatch(/^\{"slow":"x+$/);
  });
});
