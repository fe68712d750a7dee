import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walkTree } from '../../src/sys/walk.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
afterEach(() => dirs.removeAll());

function walk(roots: string[], skip?: (name: string) => boolean): { visited: string[]; errors: string[] } {
  const visited: string[] = [];
  const errors: string[] = [];
  walkTree(roots, {
    visit: (p, st) => visited.push(`${p}${st.isSymbolicLink() ? ' (link)' : ''}`),
    onError: (p, message) => errors.push(`${p}: ${message}`),
    skip,
  });
  return { visited, errors };
}

describe('walkTree', () => {
  it('visits every non-directory depth first in name order, roots in the order given', () => {
    const d = dirs.make();
    for (const f of ['b/2.jsonl', 'b/1.jsonl', 'a.jsonl', 'c/d/e.json']) {
      mkdirSync(join(d, f, '..'), { recursive: true });
      writeFileSync(join(d, f), '');
    }
    const other = join(dirs.make(), 'x.json');
    writeFileSync(other, '');
    expect(walk([other, d]).visited).toEqual([
      other,
      join(d, 'a.jsonl'),
      join(d, 'b/1.jsonl'),
      join(d, 'b/2.jsonl'),
      join(d, 'c/d/e.json'),
    ]);
  });

  it('never follows a symlink: it is visited as a link, so a loop cannot trap the walk', () => {
    const d = dirs.make();
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 'f'), '');
    symlinkSync(d, join(d, 'sub', 'loop'));
    expect(walk([d]).visited).toEqual([join(d, 'sub/f'), `${join(d, 'sub/loop')} (link)`]);
  });

  it('leaves out skipped entries below a root but never a root itself', () => {
    const d = dirs.make();
    mkdirSync(join(d, 'node_modules'));
    writeFileSync(join(d, 'node_modules', 'f'), '');
    writeFileSync(join(d, 'g'), '');
    const skip = (name: string): boolean => name === 'node_modules';
    expect(walk([d], skip).visited).toEqual([join(d, 'g')]);
    expect(walk([join(d, 'node_modules')], skip).visited).toEqual([join(d, 'node_modules/f')]);
  });

  it('reports a path it cannot look at and goes on', () => {
    const d = dirs.make();
    writeFileSync(join(d, 'f'), '');
    const r = walk([join(d, 'missing'), d]);
    expect(r.errors).toEqual([expect.stringMatching(/missing: ENOENT/)]);
    expect(r.visited).toEqual([join(d, 'f')]);
  });
});
