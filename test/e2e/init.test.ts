import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CAPTURE_MATCHER, DECIDING_MATCHER, HOOK_EVENTS, TOOL_EVENTS } from '../../src/core/offload/claude-settings.js';
import { CLI_PATH, cliEnv, runCli, type DaemonTarget } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

type Group = { matcher?: string; hooks: { type: string; command: string; async?: boolean }[] };
type Settings = Record<string, unknown> & { hooks: Record<string, Group[]> };

/** A fresh state dir (also $HOME) and a project dir. */
function setup(): { target: DaemonTarget; home: string; project: string; settings: string } {
  const home = dirs.make('ol-init-');
  const project = join(home, 'proj');
  mkdirSync(project);
  return { target: { stateDir: home }, home, project, settings: join(project, '.claude', 'settings.json') };
}

const readJson = (path: string): Settings => JSON.parse(readFileSync(path, 'utf8')) as Settings;
/** The installed PreToolUse groups: synchronous for Bash (it decides offload), async for every other tool. */
const preToolUse = (command = 'outloop hook'): Group[] => [
  { matcher: DECIDING_MATCHER, hooks: [{ type: 'command', command }] },
  { matcher: CAPTURE_MATCHER, hooks: [{ type: 'command', command, async: true }] },
];
const backups = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith('settings.json.bak-'));

describe('outloop init', () => {
  it('creates .claude/settings.json in a fresh project with the hook on every event', async () => {
    const { target, project, settings } = setup();
    const r = await runCli(['init', '--project', project], target);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Added 'outloop hook' to ${HOOK_EVENTS.length} hook event(s) in ${settings}`);
    const text = readFileSync(settings, 'utf8');
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    const s = readJson(settings);
    expect(Object.keys(s.hooks)).toEqual([...HOOK_EVENTS]);
    expect(s.hooks['PreToolUse']).toEqual(preToolUse());
    expect(s.hooks['PostToolUse']).toEqual([
      { matcher: '*', hooks: [{ type: 'command', command: 'outloop hook', async: true }] },
    ]);
    expect(s.hooks['UserPromptSubmit']).toEqual([
      { hooks: [{ type: 'command', command: 'outloop hook', async: true }] },
    ]);
    expect(backups(join(project, '.claude'))).toEqual([]);
  });

  it('defaults to the current directory', async () => {
    const { target, project, settings } = setup();
    const child = spawn(process.execPath, [CLI_PATH, 'init', '--json'], {
      cwd: project,
      env: cliEnv(target),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { path: string }).path).toBe(settings);
    expect(existsSync(settings)).toBe(true);
  });

  it("merges with other tools' hooks, keeps unknown keys, and writes a backup of the old file", async () => {
    const { target, project, settings } = setup();
    mkdirSync(join(project, '.claude'));
    const old = {
      model: 'opus',
      hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '/opt/guard.sh', timeout: 5 }] }] },
      env: { FOO: '1' },
    };
    const oldText = `${JSON.stringify(old, null, 2)}\n`;
    writeFileSync(settings, oldText);
    const r = await runCli(['init', '--project', project], target);
    expect(r.code).toBe(0);
    const s = readJson(settings);
    expect(Object.keys(s)).toEqual(['model', 'hooks', 'env']);
    expect(s.hooks['PreToolUse']).toEqual([old.hooks.PreToolUse[0], ...preToolUse()]);
    const [bak] = backups(join(project, '.claude'));
    expect(bak).toMatch(/^settings\.json\.bak-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    expect(readFileSync(join(project, '.claude', bak!), 'utf8')).toBe(oldText);
    expect(r.stdout).toContain(`Backup of the previous file: ${join(project, '.claude', bak!)}`);
  });

  it('running twice changes nothing (no write, no second backup)', async () => {
    const { target, project, settings } = setup();
    await runCli(['init', '--project', project], target);
    const first = readFileSync(settings, 'utf8');
    const r = await runCli(['init', '--project', project, '--json'], target);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      path: settings,
      added: [],
      upgraded: [],
      unchanged: true,
      backup: null,
      dryRun: false,
    });
    expect(readFileSync(settings, 'utf8')).toBe(first);
    expect(backups(join(project, '.claude'))).toEqual([]);
    const human = await runCli(['init', '--project', project], target);
    expect(human.stdout).toMatch(/already runs 'outloop hook' on all \d+ hook events; nothing changed/);
  });

  it('upgrades an older install in place (async capture, PreToolUse split), with a backup; then nothing to do', async () => {
    const { target, project, settings } = setup();
    mkdirSync(join(project, '.claude'));
    const old: Settings = { model: 'opus', hooks: {} };
    for (const e of HOOK_EVENTS) {
      const h = { type: 'command', command: 'outloop hook' };
      old.hooks[e] = [TOOL_EVENTS.includes(e) ? { matcher: '*', hooks: [h] } : { hooks: [h] }];
    }
    writeFileSync(settings, `${JSON.stringify(old, null, 2)}\n`);
    const r = await runCli(['init', '--project', project, '--json'], target);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { added: string[]; upgraded: string[]; unchanged: boolean; backup: string };
    expect(j).toMatchObject({ added: [], upgraded: [...HOOK_EVENTS], unchanged: false });
    expect(readFileSync(j.backup, 'utf8')).toBe(`${JSON.stringify(old, null, 2)}\n`);
    const s = readJson(settings);
    expect(s.model).toBe('opus');
    expect(s.hooks['PreToolUse']).toEqual(preToolUse());
    for (const e of HOOK_EVENTS) {
      const handlers = s.hooks[e]!.flatMap((g) => g.hooks);
      if (e !== 'PreToolUse') expect(handlers).toEqual([{ type: 'command', command: 'outloop hook', async: true }]);
    }
    const human = await runCli(['init', '--project', project], target);
    expect(human.stdout).toMatch(/already runs 'outloop hook' on all \d+ hook events; nothing changed/);
    expect(backups(join(project, '.claude'))).toHaveLength(1);
  });

  it('refuses invalid JSON: exit 1, names the file, line and column, leaves it untouched', async () => {
    const { target, project, settings } = setup();
    mkdirSync(join(project, '.claude'));
    const bad = '{\n  "model": "opus",\n  "hooks": {,\n}\n';
    writeFileSync(settings, bad);
    const r = await runCli(['init', '--project', project], target);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(settings);
    expect(r.stderr).toMatch(/line 3, column 13/);
    expect(readFileSync(settings, 'utf8')).toBe(bad);
    expect(readdirSync(join(project, '.claude'))).toEqual(['settings.json']);
  });

  it('refuses a hooks value of the wrong shape: exit 1, file untouched', async () => {
    const { target, project, settings } = setup();
    mkdirSync(join(project, '.claude'));
    const text = '{"hooks": ["outloop hook"]}';
    writeFileSync(settings, text);
    const r = await runCli(['init', '--project', project, '--json'], target);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/"hooks" must be an object/);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 1 } });
    expect(readFileSync(settings, 'utf8')).toBe(text);
  });

  it('--dry-run prints the resulting JSON and writes nothing', async () => {
    const { target, project } = setup();
    const r = await runCli(['init', '--project', project, '--dry-run'], target);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as Settings;
    expect(Object.keys(printed.hooks)).toEqual([...HOOK_EVENTS]);
    expect(r.stderr).toMatch(/dry run/);
    expect(existsSync(join(project, '.claude'))).toBe(false);
  });

  it('--user writes ~/.claude/settings.json under $HOME', async () => {
    const { target, home, project } = setup();
    const r = await runCli(['init', '--user', '--json'], target);
    expect(r.code).toBe(0);
    const path = join(home, '.claude', 'settings.json');
    expect(JSON.parse(r.stdout)).toEqual({
      path,
      added: [...HOOK_EVENTS],
      upgraded: [],
      unchanged: false,
      backup: null,
      dryRun: false,
    });
    expect(Object.keys(readJson(path).hooks)).toEqual([...HOOK_EVENTS]);
    expect(existsSync(join(project, '.claude'))).toBe(false);
  });

  it('--json prints the documented shape, with --dry-run too', async () => {
    const { target, project, settings } = setup();
    const dry = await runCli(['init', '--project', project, '--dry-run', '--json'], target);
    expect(dry.code).toBe(0);
    const d = JSON.parse(dry.stdout) as Record<string, unknown>;
    expect(d).toMatchObject({ path: settings, added: [...HOOK_EVENTS], unchanged: false, backup: null, dryRun: true });
    expect(Object.keys((d['settings'] as Settings).hooks)).toEqual([...HOOK_EVENTS]);
    mkdirSync(join(project, '.claude'));
    writeFileSync(settings, '{}');
    const real = await runCli(['init', '--project', project, '--json'], target);
    const j = JSON.parse(real.stdout) as Record<string, unknown>;
    expect(Object.keys(j).sort()).toEqual(['added', 'backup', 'dryRun', 'path', 'unchanged', 'upgraded']);
    expect(j['backup']).toMatch(/settings\.json\.bak-/);
  });

  it('--command sets the command written', async () => {
    const { target, project, settings } = setup();
    const r = await runCli(['init', '--project', project, '--command', '/usr/local/bin/outloop hook'], target);
    expect(r.code).toBe(0);
    expect(readJson(settings).hooks['Stop']).toEqual([
      { hooks: [{ type: 'command', command: '/usr/local/bin/outloop hook', async: true }] },
    ]);
    expect(readJson(settings).hooks['PreToolUse']).toEqual(preToolUse('/usr/local/bin/outloop hook'));
  });

  it('keeps a symlinked settings.json a symlink', async () => {
    const { target, home, project, settings } = setup();
    mkdirSync(join(project, '.claude'));
    const real = join(home, 'dotfiles-settings.json');
    writeFileSync(real, '{"model":"opus"}\n');
    symlinkSync(real, settings);
    const r = await runCli(['init', '--project', project], target);
    expect(r.code).toBe(0);
    expect(lstatSync(settings).isSymbolicLink()).toBe(true);
    expect(readJson(real).model).toBe('opus');
    expect(Object.keys(readJson(real).hooks)).toEqual([...HOOK_EVENTS]);
  });

  it('usage errors exit 2: --project with --user, stray arguments', async () => {
    const { target, project } = setup();
    const both = await runCli(['init', '--project', project, '--user'], target);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--project and --user/);
    expect((await runCli(['init', 'extra'], target)).code).toBe(2);
    expect((await runCli(['init', '--bogus'], target)).code).toBe(2);
  });

  it('a missing project directory is an error (exit 1), nothing created', async () => {
    const { target, home } = setup();
    const r = await runCli(['init', '--project', join(home, 'nope')], target);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not exist/);
    expect(existsSync(join(home, 'nope'))).toBe(false);
  });
});
