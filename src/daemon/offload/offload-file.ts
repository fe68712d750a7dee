/**
 * `<state dir>/offload.json`, the file the PreToolUse hook and `outloop run --pattern` decide from (they
 * never ask the socket). Its content is derived from the store alone: the kill switch, and every
 * pattern with the flag on, an approved status and a compactor family. The daemon writes it at start and
 * again shortly (WRITE_DELAY_MS) after any review or offload change, atomically: a temporary file in
 * the same directory (0600), then a rename, so a reader sees the old file or the new one, never half.
 */
import { randomBytes } from 'node:crypto';
import { getErrorMessage } from '../../core/errors.js';
import { OFFLOAD_FILE_VERSION, type OffloadFile } from '../../core/offload/offload-file.js';
import type { OffloadPatternInfo, OffloadStatusResult } from '../../rpc/protocol.js';
import { offloadFilePath } from '../../rpc/paths.js';
import { writeFileAtomic } from '../../sys/atomic-file.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { Warnings } from '../warnings.js';
import { familyOfRow } from './pattern-offload.js';

/** Changes are written this long after the first one of a burst (well within a second). */
export const WRITE_DELAY_MS = 50;

/** The offloaded patterns and the kill switch, as `offload/status` answers them. */
export function offloadStatus(store: Store, stateDir: string): OffloadStatusResult {
  const patterns: OffloadPatternInfo[] = [];
  for (const row of store.offload.offloaded()) {
    const family = familyOfRow(row);
    if (family === null) continue;
    patterns.push({
      id: row.id,
      signature: row.signature,
      family,
      status: row.status,
      since: row.offload_changed_at,
    });
  }
  const sw = store.offload.switchChange();
  return {
    enabled: sw.enabled,
    switchChangedAt: sw.at,
    switchChangedBy: sw.by,
    patterns,
    file: offloadFilePath(stateDir),
  };
}

/** The file's content for a status. */
export function offloadFileOf(status: OffloadStatusResult, writtenAt = new Date().toISOString()): OffloadFile {
  return {
    v: OFFLOAD_FILE_VERSION,
    enabled: status.enabled,
    writtenAt,
    patterns: status.patterns.map((p) => ({ signature: p.signature, patternId: p.id, family: p.family })),
  };
}

/** Writes `text` to `path` through a 0600 temporary file and a rename; a missing directory is made 0700. */
function writePrivate(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileAtomic(path, text, { tmp, mode: 0o600, dirMode: 0o700 });
}

export class OffloadFileWriter {
  #timer: NodeJS.Timeout | null = null;
  #stopListening: (() => void) | null = null;
  #failing = false;

  constructor(
    private readonly stateDir: string,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly warnings: Warnings,
  ) {}

  get path(): string {
    return offloadFilePath(this.stateDir);
  }

  /** Writes now and then after every `review` event (status and offload changes publish one). */
  start(hub: Hub): void {
    this.writeNow();
    this.#stopListening = hub.listen((ev) => {
      if (ev.kind === 'review') this.schedule();
    });
  }

  /** Writes the file from the store now. A failure is logged and reported once, never thrown. */
  writeNow(): void {
    try {
      const text = `${JSON.stringify(offloadFileOf(offloadStatus(this.store, this.stateDir)), null, 2)}\n`;
      writePrivate(this.path, text);
      if (this.#failing) this.logger.info(`${this.path} written again`);
      this.#failing = false;
    } catch (e) {
      if (!this.#failing) {
        const msg = `cannot write ${this.path}: ${getErrorMessage(e)}; offload decisions use the previous file`;
        this.logger.warn(msg);
        this.warnings.add(msg);
      }
      this.#failing = true;
    }
  }

  /** Writes within WRITE_DELAY_MS (one write for a burst of changes). */
  schedule(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.writeNow();
    }, WRITE_DELAY_MS);
  }

  /** Stops listening; a write still pending is done now, so the file matches the store at exit. */
  close(): void {
    this.#stopListening?.();
    this.#stopListening = null;
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
      this.writeNow();
    }
  }
}
