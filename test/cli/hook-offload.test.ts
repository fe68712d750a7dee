import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOffloadFile, readPermissionRules, settingsSources } from '../../src/cli/hook-offload.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

function write(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
}

const perms = (allow: string[], deny: string[] = [], ask: string[] = []): unknown => ({
  permissions: { allow, deny, ask },
});

describe('settingsSources', () => {
  it('user, project (settings and local), managed; CLAUDE_CONFIG_DIR takes the user grants', () => {
    const plain = settingsSources({ HOME: '/h' }, '/p', 'linux');
    expect(plain).toEqual([
      { path: '/h/.claude/settings.json', grants: true },
      { path: '/p/.claude/settings.json', grants: true },
      { path: '/p/.claude/settings.local.json', grants: true },
      { path: '/etc/claude-code/managed-settings.json', grants: true, managed: true },
    ]);
    const configured = settingsSources({ HOME: '/h', CLAUDE_CONFIG_DIR: '/c' }, '/p', 'darwin');
    expect(configured.slice(0, 2)).toEqual([
      { path: '/c/settings.json', grants: true },
      { path: '/h/.claude/settings.json', grants: false },
    ]);
    expect(configured.at(-1)).toEqual({
      path: '/Library/Application Support/ClaudeCode/managed-settings.json',
      grants: true,
      managed: true,
    });
  });

  it('CLAUDE_PROJECT_DIR is the project; a different cwd adds deny-only files; no cwd, no project files', () => {
    const s = settingsSources({ HOME: '/h', CLAUDE_PROJECT_DIR: '/p' }, '/p/sub', 'win32');
    expect(s).toEqual([
      { path: '/h/.claude/settings.json', grants: true },
      { path: '/p/.claude/settings.json', grants: true },
      { path: '/p/.claude/settings.local.json', grants: true },
      { path: '/p/sub/.claude/settings.json', grants: false },
      { path: '/p/sub/.claude/settings.local.json', grants: false },
    ]);
    expect(settingsSources({ HOME: '/h' }, null, 'win32')).toEqual([
      { path: '/h/.claude/settings.json', grants: true },
    ]);
  });
});

describe('readPermissionRules', () => {
  it('merges every file, keeps only deny and ask of files that grant nothing, skips missing and corrupt ones', () => {
    const d = dirs.make('ol-rules-');
    write(join(d, 'a.json'), perms(['Bash(a)'], ['Bash(x)']));
    write(join(d, 'b.json'), perms(['Bash(b)'], ['Bash(y)'], ['Bash(z)']));
    write(join(d, 'corrupt.json'), '{"permissions": {"allow": ["Bash(c)"');
    write(join(d, 'bom.json'), `\ufeff${JSON.stringify(perms(['Bash(bom)']))}`);
    const rules = readPermissionRules([
      { path: join(d, 'a.json'), grants: true },
      { path: join(d, 'b.json'), grants: false },
      { path: join(d, 'corrupt.json'), grants: true },
      { path: join(d, 'missing.json'), grants: true },
      { path: join(d, 'bom.json'), grants: true },
      { path: d, grants: true }, // a directory
    ]);
    expect(rules).toEqual({ allow: ['Bash(a)', 'Bash(bom)'], deny: ['Bash(x)', 'Bash(y)'], ask: ['Bash(z)'] });
  });

  it('allowManagedPermissionRulesOnly in the managed file: only its allow rules count, every deny still does', () => {
    const d = dirs.make('ol-rules-');
    write(join(d, 'user.json'), perms(['Bash(user)'], ['Bash(no)']));
    write(join(d, 'managed.json'), { allowManagedPermissionRulesOnly: true, ...(perms(['Bash(managed)']) as object) });
    const sources = [
      { path: join(d, 'user.json'), grants: true },
      { path: join(d, 'managed.json'), grants: true, managed: true },
    ];
    expect(readPermissionRules(sources)).toEqual({ allow: ['Bash(managed)'], deny: ['Bash(no)'], ask: [] });
    write(join(d, 'managed.json'), perms(['Bash(managed)']));
    expect(readPermissionRules(sources).allow).toEqual(['Bash(user)', 'Bash(managed)']);
  });
});

describe('readOffloadFile', () => {
  it('reads the file; missing, corrupt or another version is null', () => {
    const d = dirs.make('ol-offload-');
    expect(readOffloadFile(d)).toBeNull();
    write(join(d, 'offload.json'), '{"v":1,"enabled":true,"writtenAt":"t","patterns":[]}');
    expect(readOffloadFile(d)).toEqual({ v: 1, enabled: true, writtenAt: 't', patterns: [] });
    write(join(d, 'offload.json'), '{"v":1,');
    expect(readOffloadFile(d)).toBeNull();
    write(join(d, 'offload.json'), '{"v":9,"enabled":true,"patterns":[]}');
    expect(readOffloadFile(d)).toBeNull();
  });
});
