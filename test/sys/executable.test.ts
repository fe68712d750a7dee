import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOnPath, isExecutableFile } from '../../src/sys/executable.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
afterEach(() => dirs.removeAll());

function file(path: string, mode: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
}

describe('isExecutableFile', () => {
  it('is true only for an executable regular file, through a symlink too', () => {
    const dir = dirs.make();
    const exe = file(join(dir, 'exe'), 0o755);
    file(join(dir, 'plain'), 0o644);
    mkdirSync(join(dir, 'folder'), { mode: 0o755 });
    symlinkSync(exe, join(dir, 'link'));
    expect(isExecutableFile(exe)).toBe(true);
    expect(isExecutableFile(join(dir, 'link'))).toBe(true);
    expect(isExecutableFile(join(dir, 'plain'))).toBe(false);
    expect(isExecutableFile(join(dir, 'folder'))).toBe(false);
    expect(isExecutableFile(join(dir, 'missing'))).toBe(false);
  });
});

describe('findOnPath', () => {
  it('answers the first executable regular file of that name, in PATH order', () => {
    const dir = dirs.make();
    mkdirSync(join(dir, 'a', 'tool'), { recursive: true, mode: 0o755 });
    file(join(dir, 'b', 'tool'), 0o644);
    const c = file(join(dir, 'c', 'tool'), 0o755);
    file(join(dir, 'd', 'tool'), 0o755);
    const path = ['', join(dir, 'a'), join(dir, 'b'), join(dir, 'c'), join(dir, 'd')].join(delimiter);
    expect(findOnPath('tool', path)).toBe(c);
    expect(findOnPath('other', path)).toBeNull();
    expect(findOnPath('tool', undefined)).toBeNull();
  });

  it('takes a relative entry against cwd when given one, and skips it otherwise', () => {
    const dir = dirs.make();
    const exe = file(join(dir, 'bin', 'tool'), 0o755);
    expect(findOnPath('tool', 'bin')).toBeNull();
    expect(findOnPath('tool', `bin${delimiter}/nowhere`, dir)).toBe(exe);
    expect(findOnPath('tool', `./bin/../bin`, dir)).toBe(exe);
  });
});
