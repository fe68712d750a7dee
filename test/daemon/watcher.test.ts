import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NULL_LOGGER } from '../../src/daemon/logger.js';
import { Warnings } from '../../src/daemon/warnings.js';
import { SourceWatcher, unseenFiles } from '../../src/daemon/watch/watcher.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
const watchers: SourceWatcher[] = [];

afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.close()));
  dirs.removeAll();
});

function put(path: string, text = '{}\n'): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('unseenFiles', () => {
  it('lists the files the watcher reports, by its filter and depth, leaving out those seen', () => {
    const root = realpathSync(dirs.make('ol-unseen-'));
    const a = put(join(root, 'p', 'a.jsonl'));
    const b = put(join(root, 'logs', 'hooks.json'));
    const c = put(join(root, 'agents', 'x', 'raw_output.txt'));
    put(join(root, 'p', 'notes.md'));
    put(join(root, 'p', '.hidden.jsonl'));
    put(join(root, 'node_modules', 'dep', 'x.jsonl'));
    put(join(root, 'trees', 'wt', 'y.jsonl'));
    expect(unseenFiles(root, new Set())).toEqual([c, b, a].sort());
    expect(unseenFiles(root, new Set([a, c]))).toEqual([b]);
  });

  it('stops at the watch depth: files in a directory at depth N are listed, below it not', () => {
    const root = realpathSync(dirs.make('ol-unseen-'));
    const at2 = put(join(root, 'd1', 'd2', 'f.jsonl'));
    put(join(root, 'd1', 'd2', 'd3', 'g.jsonl'));
    expect(unseenFiles(root, new Set(), 2)).toEqual([at2]);
  });

  it('a root that cannot be read lists nothing', () => {
    expect(unseenFiles(join(dirs.make('ol-unseen-'), 'gone'), new Set())).toEqual([]);
  });
});

describe('SourceWatcher', () => {
  it('reports files written while it starts, after it is ready, and below a root that appears later', async () => {
    const root = realpathSync(dirs.make('ol-watchroot-'));
    const later = join(realpathSync(dirs.make('ol-watchlater-')), 'projects');
    const before = put(join(root, 'before', 'a.jsonl'));
    const changed = new Set<string>();
    // written the moment the first file is reported: its directory has been listed, not yet watched
    const during = join(root, 'before', 'during.jsonl');
    const sink = {
      changed: (p: string) => {
        if (changed.size === 0) writeFileSync(during, '{}\n');
        changed.add(p);
      },
      removed: () => {},
    };
    const w = new SourceWatcher([root, later], sink, NULL_LOGGER, new Warnings(), 50);
    watchers.push(w);
    await w.start();
    expect(changed.has(before)).toBe(true);
    expect(changed.has(during)).toBe(true);

    const after = put(join(root, 's1', 'after.jsonl'));
    await vi.waitFor(() => expect(changed.has(after)).toBe(true), { timeout: 10_000, interval: 20 });

    // a root created with its first file already in it (Claude Code's first session)
    const first = put(join(later, '-w', 'first.jsonl'));
    await vi.waitFor(() => expect(changed.has(first)).toBe(true), { timeout: 10_000, interval: 20 });
    await vi.waitFor(() => expect(w.ready).toBe(true), { timeout: 10_000, interval: 20 });
  });
});
