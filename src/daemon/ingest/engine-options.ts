import type { WorkflowRun } from '../../core/types.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { Warnings } from '../warnings.js';
import type { BatchEffects } from './writer.js';

/** What the ingest engine writes to, reports to, and how long it lets files settle. */
export interface EngineOptions {
  store: Store;
  hub: Hub;
  logger: Logger;
  warnings: Warnings;
  spoolDir: string;
  /** called after rows commit, with the ids of tool calls that just completed */
  onIngested?: (effects: BatchEffects) => void;
  /** called after a workflow run is stored (new or changed) */
  onWorkflow?: (run: WorkflowRun) => void;
  /** ADW dirs settle this long after their last change before they are re-read */
  adwSettleMs?: number;
  /** an array file or ADW state still incomplete this long after its last change is read as final */
  finalSettleMs?: number;
  /** parse line sources in a worker thread while this thread writes (default true) */
  parseInWorker?: boolean;
  /** called when a file could not be opened for lack of descriptors (the watcher may have missed events too) */
  onDescriptorPressure?: () => void;
}
