import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { basename } from 'node:path';
import { getErrorMessage } from '../../core/errors.js';
import { isSkippedDir } from '../../core/source-kind.js';
import type { Logger } from '../logger.js';
import type { Warnings } from '../warnings.js';

export interface WatchSink {
  changed(path: string): void;
  removed(path: string): void;
}

const RELEVANT_FILE = /\.(jsonl|json|txt)$/i;

/** chokidar's filter: skip worktrees, dependencies and files that cannot be agent records. */
function ignored(path: string, stats?: Stats): boolean {
  const name = basename(path);
  if (isSkippedDir(name)) return true;
  if (stats?.isFile()) return !RELEVANT_FILE.test(name) || name.startsWith('.');
  return false;
}

/**
 * Watches the source roots and reports added/changed/removed files. The initial scan reports
 * every existing file, so a restart catches up from the stored checkpoints.
 */
export class SourceWatcher {
  private readonly watchers: FSWatcher[] = [];
  private readyCount = 0;
  readonly roots: string[];

  constructor(
    roots: string[],
    private readonly sink: WatchSink,
    private readonly logger: Logger,
    private readonly warnings: Warnings,
  ) {
    this.roots = [...new Set(roots)];
  }

  start(): Promise<void> {
    const ready: Promise<void>[] = [];
    for (const root of this.roots) {
      const w = watch(root, {
        ignored,
        ignoreInitial: false,
        followSymlinks: false,
        depth: 12,
        persistent: true,
        atomic: false,
        awaitWriteFinish: false,
      });
      w.on('add', (p) => this.sink.changed(p));
      w.on('change', (p) => this.sink.changed(p));
      w.on('unlink', (p) => this.sink.removed(p));
      w.on('error', (e) => {
        const msg = `watching ${root}: ${getErrorMessage(e)}`;
        this.logger.warn(msg);
        this.warnings.add(msg);
      });
      ready.push(
        new Promise((resolve) =>
          w.once('ready', () => {
            this.readyCount++;
            resolve();
          }),
        ),
      );
      this.watchers.push(w);
    }
    return Promise.all(ready).then(() => undefined);
  }

  get ready(): boolean {
    return this.readyCount === this.roots.length;
  }

  async close(): Promise<void> {
    await Promise.all(this.watchers.map((w) => w.close()));
    this.watchers.length = 0;
  }
}
