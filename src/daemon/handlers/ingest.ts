import { METHODS } from '../../rpc/protocol.js';
import { isAbsolute, resolve } from 'node:path';
import { invalidArgument } from '../../core/errors.js';
import type { DaemonDeps } from '../deps.js';
import type { IngestEngine } from '../ingest/engine.js';
import type { HandlerMap } from '../server.js';
import { walkFiles } from '../watch/walk.js';

/** `afterIngest` runs once the files are in (learning catches up before the call answers). */
export function ingestHandlers(deps: DaemonDeps, engine: IngestEngine, afterIngest: () => void): HandlerMap {
  return {
    [METHODS.ingestRun]: async (params) => {
      const bad = params.paths.filter((p) => !isAbsolute(p));
      if (bad.length > 0) throw invalidArgument(`paths must be absolute: ${bad.slice(0, 3).join(', ')}`);
      const problems: string[] = [];
      const files = walkFiles(
        params.paths.map((p) => resolve(p)),
        (path, reason) => problems.push(`${path}: ${reason}`),
      );
      for (const p of problems.slice(0, 20)) deps.warnings.add(`ingest: ${p}`);
      const counts = await engine.ingestFiles(files);
      afterIngest();
      return counts;
    },
  };
}
