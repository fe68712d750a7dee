import { watch, type FSWatcher } from 'chokidar';
import { existsSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { getErrorMessage } from '../../core/errors.js';
import { isSkippedDir } from '../../core/records/source-kind.js';
import type { Logger } from '../logger.js';
import type { Warnings } from '../warnings.js';
import { RetryTimer } from './retry-timer.js';

export interface WatchSink {
  changed(path: string): void;
  removed(path: string): void;
}

const RELEVANT_FILE = /\.(jsonl|json|txt)$/i;
/** How often roots that do not exist yet (no `~/.claude/projects` before the first session) are looked for. */
const MISSING_ROOT_POLL_MS = 2000;
/** How deep below a root files are watched. */
const WATCH_DEPTH = 12;
/** First wait before watching a root again after the system ran out of a resource; doubles up to the max. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;
/** Errors that say the process or the system is short of something, not that the root is wrong. */
const PRESSURE_CODES = new Set(['EMFILE', 'ENFILE', 'ENOSPC']);

/** Whether a file of this name can be an agent record (hidden files never are). */
function isRecordFile(name: string): boolean {
  return RELEVANT_FILE.test(name) && !name.startsWith('.');
}

/** chokidar's filter: skip worktrees, dependencies and files that cannot be agent records. */
function ignored(path: string, stats?: Stats): boolean {
  const name = basename(path);
  if (isSkippedDir(name)) return true;
  if (stats?.isFile()) return !isRecordFile(name);
  return false;
}

/** The file a raw fs.watch `change` event is about (a directory's watcher names the entry). */
function rawPath(event: string, evPath: unknown, details: unknown): string | null {
  if (event !== 'change' || typeof evPath !== 'string' || evPath === '') return null;
  const watched = (details as { watchedPath?: unknown } | null)?.watchedPath;
  if (typeof watched !== 'string') return null;
  if (isAbsolute(evPath)) return evPath;
  return basename(watched) === evPath ? watched : join(watched, evPath);
}

/**
 * The files below `root` that the watcher would report, by chokidar's rules (the same filter,
 * the same depth, symlinks not followed), that are not in `seen`. Unreadable directories are
 * skipped: chokidar reports those itself.
 */
export function unseenFiles(
  root: string,
  seen: ReadonlySet<string>,
  depth = WATCH_DEPTH,
  onPressure: () => void = () => undefined,
): string[] {
  const out: string[] = [];
  const stack: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    let entries;
    try {
      entries = readdirSync(top.dir, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== undefined && PRESSURE_CODES.has(code)) onPressure();
      continue;
    }
    for (const e of entries) {
      const p = join(top.dir, e.name);
      if (e.isDirectory()) {
        if (!isSkippedDir(e.name) && top.depth < depth) stack.push({ dir: p, depth: top.depth + 1 });
      } else if (e.isFile() && isRecordFile(e.name) && !seen.has(p)) out.push(p);
    }
  }
  return out.sort();
}

/**
 * Watches the source roots and reports added/changed/removed files. The initial scan reports
 * every existing file, so a restart catches up from the stored checkpoints. Roots that do not
 * exist yet are watched from the moment they appear. Symlinks below a root are not followed (a
 * loop cannot trap the watcher); a root that is itself a symlink is watched at its target.
 */
export class SourceWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly missing = new Set<string>();
  private poll: NodeJS.Timeout | null = null;
  /** Roots waiting to be watched again after a resource error, with the wait that comes next. */
  private readonly retries = new Map<string, RetryTimer>();
  private rescan: RetryTimer | null = null;
  private closed = false;
  readonly roots: string[];

  constructor(
    roots: string[],
    private readonly sink: WatchSink,
    private readonly logger: Logger,
    private readonly warnings: Warnings,
    private readonly pollMs = MISSING_ROOT_POLL_MS,
    private readonly retryFirstMs = RETRY_FIRST_MS,
  ) {
    this.roots = [...new Set(roots)];
  }

  /** Resolves once every root that exists now has been scanned. */
  async start(): Promise<void> {
    const ready: Promise<void>[] = [];
    for (const root of this.roots) {
      if (existsSync(root)) ready.push(this.watchRoot(root));
      else this.missing.add(root);
    }
    if (this.missing.size > 0) {
      this.poll = setInterval(() => this.lookForMissing(), this.pollMs);
      this.poll.unref();
    }
    await Promise.all(ready);
  }

  /** Roots being watched now. */
  get watching(): string[] {
    return [...this.watchers.keys()];
  }

  private lookForMissing(): void {
    for (const root of [...this.missing]) {
      if (this.closed || !existsSync(root)) continue;
      this.missing.delete(root);
      this.logger.info(`${root} appeared; watching it`);
      void this.watchRoot(root);
    }
    if (this.missing.size === 0 && this.poll) {
      clearInterval(this.poll);
      this.poll = null;
    }
  }

  private watchRoot(root: string): Promise<void> {
    let target = root;
    try {
      target = realpathSync(root);
    } catch {
      // watch it as given; chokidar reports the error
    }
    const w = watch(target, {
      ignored,
      ignoreInitial: false,
      followSymlinks: false,
      depth: WATCH_DEPTH,
      persistent: true,
      atomic: false,
      awaitWriteFinish: false,
    });
    // chokidar lists a directory before it watches it, so a file created in between is reported
    // by neither: once every directory is watched, the files it did not report are looked up.
    let added: Set<string> | null = new Set();
    w.on('add', (p) => {
      added?.add(p);
      this.sink.changed(p);
    });
    w.on('change', (p) => this.sink.changed(p));
    // chokidar reports a change on the leading edge of a 5 ms throttle shared by the file's and
    // its directory's fs.watch, and drops the rest: an append can go unreported. The raw
    // fs.watch events are passed on too (the engine reads a file again cheaply when nothing is new).
    w.on('raw', (event: string, evPath: unknown, details: unknown) => {
      const p = rawPath(event, evPath, details);
      if (p !== null && !ignored(p) && isRecordFile(basename(p))) this.sink.changed(p);
    });
    w.on('unlink', (p) => this.sink.removed(p));
    w.on('error', (e) => {
      const code = (e as NodeJS.ErrnoException).code;
      const pressure = code !== undefined && PRESSURE_CODES.has(code);
      const msg = `watching ${root}: ${getErrorMessage(e)}${pressure ? '; watching it again (and rescanning) shortly' : ''}`;
      this.logger.warn(msg);
      this.warnings.add(msg);
      if (pressure) this.retryLater(root, w);
    });
    this.watchers.set(root, w);
    return new Promise((resolve) =>
      w.once('ready', () => {
        const seen = added ?? new Set<string>();
        added = null;
        if (!this.closed) for (const p of unseenFiles(target, seen)) this.sink.changed(p);
        resolve();
      }),
    );
  }

  /**
   * Out of descriptors or inotify watches, chokidar misses directories it could not open and the
   * files created in them. The root's watcher is dropped and made again after a wait (doubling
   * while the errors go on); its initial scan reports every file, so whatever appeared meanwhile is
   * read (the engine reads only what is new past each checkpoint).
   */
  private retryLater(root: string, failed: FSWatcher): void {
    const retry = this.retries.get(root) ?? new RetryTimer(this.retryFirstMs, RETRY_MAX_MS);
    this.retries.set(root, retry);
    if (retry.waiting || this.closed) return;
    if (this.watchers.get(root) === failed) this.watchers.delete(root);
    void failed.close();
    retry.arm(() => {
      if (this.closed) return;
      this.logger.info(`watching ${root} again and rescanning it`);
      void this.watchRoot(root).then(() => {
        // a whole scan without a new error: the next failure starts from the first wait again
        if (!retry.waiting && this.watchers.has(root)) this.retries.delete(root);
      });
    });
  }

  /**
   * Looks through every watched root again after a wait, reporting each file (the engine reads only
   * what is past its checkpoint). For when the process ran out of descriptors: events for new
   * directories may have been lost without chokidar saying so. Repeats, with a doubling wait, while
   * the look itself still runs short of descriptors.
   */
  rescanLater(): void {
    this.rescan ??= new RetryTimer(this.retryFirstMs, RETRY_MAX_MS);
    const retry = this.rescan;
    if (retry.waiting || this.closed) return;
    retry.arm(() => {
      if (this.closed) return;
      let short = false;
      for (const root of this.watchers.keys()) {
        let target = root;
        try {
          target = realpathSync(root);
        } catch {
          // looked through as given
        }
        for (const p of unseenFiles(target, new Set(), WATCH_DEPTH, () => (short = true))) this.sink.changed(p);
      }
      if (short) this.rescanLater();
      else this.rescan = null;
    });
  }

  get ready(): boolean {
    return this.missing.size === 0 && this.watchers.size === this.roots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    for (const r of this.retries.values()) r.cancel();
    this.retries.clear();
    this.rescan?.cancel();
    this.rescan = null;
    this.poll = null;
    await Promise.all([...this.watchers.values()].map((w) => w.close()));
    this.watchers.clear();
  }
}
