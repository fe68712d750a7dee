import type { Stats } from 'node:fs';
import type { FileResult } from './file-sources.js';

/** How a file's processing ended, for its jobs and the queue. */
export interface FileOutcome {
  result: FileResult | null;
  /** the checkpoint was taken over from this old name (rotation) and is now saved under the new one */
  renamedFrom: string | null;
  st: Stats;
}
