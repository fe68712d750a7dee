import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/sys/atomic-file.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
afterEach(() => dirs.removeAll());

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('writeFileAtomic', () => {
  it('writes the whole text under the target name and leaves no temporary file', () => {
    const dir = dirs.make();
    const target = join(dir, 'f.json');
    const text = `${'é'.repeat(100_000)}\n`;
    writeFileAtomic(target, text, { tmp: join(dir, '.f.json.tmp'), mode: 0o600 });
    expect(readFileSync(target, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['f.json']);
    expect(mode(target)).toBe(0o600);
  });

  it('replaces an existing file with a new one', () => {
    const dir = dirs.make();
    const target = join(dir, 'f.json');
    writeFileSync(target, 'old');
    const before = statSync(target).ino;
    writeFileAtomic(target, 'new', { tmp: join(dir, '.f.json.tmp'), mode: 0o600 });
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(statSync(target).ino).not.toBe(before);
  });

  it('sets the mode exactly, whatever the umask would leave of it', () => {
    const dir = dirs.make();
    const target = join(dir, 'settings.json');
    writeFileAtomic(target, '{}', { tmp: join(dir, '.settings.tmp'), mode: 0o666 });
    expect(mode(target)).toBe(0o666);
  });

  it('makes a missing directory with dirMode, and only when asked', () => {
    const root = dirs.make();
    const dir = join(root, 'a', 'spool');
    expect(() => writeFileAtomic(join(dir, 'x.json'), 'x', { tmp: join(dir, '.x.tmp'), mode: 0o600 })).toThrow(
      /ENOENT/,
    );
    writeFileAtomic(join(dir, 'x.json'), 'x', { tmp: join(dir, '.x.tmp'), mode: 0o600, dirMode: 0o700 });
    expect(readFileSync(join(dir, 'x.json'), 'utf8')).toBe('x');
    expect(mode(dir)).toBe(0o700);
  });

  it("never opens or removes a temporary file that already exists (another writer's)", () => {
    const dir = dirs.make();
    const tmp = join(dir, '.f.tmp');
    writeFileSync(tmp, 'theirs');
    expect(() => writeFileAtomic(join(dir, 'f'), 'mine', { tmp, mode: 0o600 })).toThrow(/EEXIST/);
    expect(readFileSync(tmp, 'utf8')).toBe('theirs');
    expect(readdirSync(dir)).toEqual(['.f.tmp']);
  });

  it('removes its temporary file when the rename fails', () => {
    const dir = dirs.make();
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(target, 'x', { tmp: join(dir, '.taken.tmp'), mode: 0o600 })).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
