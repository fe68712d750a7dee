import type { IngestStatus } from '../rpc/protocol.js';
import type { Hub } from './hub.js';
import type { Logger } from './logger.js';
import type { Store } from './store/store.js';
import type { Warnings } from './warnings.js';

/** Everything a handler may use; built once by main. */
export interface DaemonDeps {
  readonly stateDir: string;
  readonly socketPath: string;
  readonly dbPath: string;
  readonly startedAt: Date;
  readonly logger: Logger;
  readonly hub: Hub;
  readonly store: Store;
  readonly warnings: Warnings;
  ingestStatus(): IngestStatus;
  shutdown(reason: string): void;
}
