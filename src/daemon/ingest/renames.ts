import { existsSync, statSync, type Stats } from 'node:fs';
import type { SourceInfo } from '../../core/records/source-kind.js';
import type { Logger } from '../logger.js';
import type { Checkpoint, OffsetsRepo } from '../store/offsets-repo.js';

/** Checkpoints of deleted files are kept this long (a rename shows as unlink + add). */
const VANISHED_GRACE_MS = 60_000;

/**
 * Rotation: a file renamed away keeps its inode, so its checkpoint is found under the new name
 * and moves there (nothing is read twice). Checkpoints of files that are gone for good are
 * dropped after a grace period.
 */
export class Renames {
  private readonly vanished = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly offsets: OffsetsRepo,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.prune(), VANISHED_GRACE_MS);
    this.timer.unref();
  }

  /** The watcher saw the path again. */
  seen(path: string): void {
    this.vanished.delete(path);
  }

  /** The watcher saw the path go. */
  gone(path: string): void {
    this.vanished.set(path, Date.now());
  }

  /**
   * The file's checkpoint; for a file seen for the first time, the checkpoint of the same file
   * under its old name when it was renamed (log rotation).
   */
  checkpointFor(path: string, info: SourceInfo, st: Stats): Checkpoint | null {
    const own = this.offsets.get(path);
    if (own) return own;
    for (const c of this.offsets.sameInode(st.dev, st.ino, path)) {
      if (c.kind !== info.kind || st.size < c.offset) continue;
      return c;
    }
    return null;
  }

  /** After a renamed file's checkpoint moved to its new name: drop the old one if that name is gone. */
  forget(oldPath: string, st: Stats): void {
    try {
      const cur = statSync(oldPath);
      if (cur.ino === st.ino && cur.dev === st.dev) return; // a hard link: both names stay
    } catch {
      // gone: the rename is complete
    }
    this.offsets.delete(oldPath);
    this.vanished.delete(oldPath);
  }

  private prune(): void {
    const now = Date.now();
    for (const [path, at] of this.vanished) {
      if (now - at < VANISHED_GRACE_MS) continue;
      this.vanished.delete(path);
      if (existsSync(path)) continue;
      try {
        this.offsets.delete(path);
      } catch (e) {
        this.logger.warn(`forgetting checkpoint of ${path} failed`, e);
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
