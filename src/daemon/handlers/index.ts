import type { DaemonConfig } from '../config.js';
import type { DaemonDeps } from '../deps.js';
import { toToolInfo } from './tool-view.js';
import type { HandlerMap } from '../server.js';
import type { Services } from '../services.js';
import { analyzeHandlers } from './analyze.js';
import { toProfileInfo } from './context-efficiency.js';
import { daemonHandlers } from './daemon.js';
import { eventHandlers } from './events.js';
import { forecastHandlers } from './forecast.js';
import { ingestHandlers } from './ingest.js';
import { offloadHandlers } from './offload.js';
import { patternHandlers } from './patterns.js';
import { preflightHandlers } from './preflight.js';
import { readHandlers } from './reads.js';
import { quarantineHandlers } from './quarantine.js';
import { routeHandlers } from './route.js';
import { savingsHandlers } from './savings.js';
import { statuslineHandlers } from './statusline.js';
import { toolHandlers } from './tools.js';

/** Every RPC method the daemon serves, one handler file per area. */
export function allHandlers(
  deps: DaemonDeps,
  s: Services,
  config: DaemonConfig,
  env: Record<string, string | undefined>,
): HandlerMap {
  const { store } = deps;
  return {
    ...daemonHandlers(deps),
    ...eventHandlers(deps),
    ...ingestHandlers(deps, s.engine, () => {
      s.learner.learnPending();
      s.learner.learnSessions();
      s.quota.markDirty();
    }),
    ...readHandlers(deps, s.profiler, s.reads),
    ...patternHandlers(deps, {
      toolNameOf: (signature) => store.tools.bySignature(signature)?.name ?? null,
      toolInfoOf: (signature) => {
        const t = store.tools.bySignature(signature);
        return t ? toToolInfo(store, t) : null;
      },
      profileOf: (signature) => {
        const p = store.contextProfiles.get(signature);
        return p ? toProfileInfo(p) : null;
      },
    }),
    ...analyzeHandlers(s.discovery),
    ...toolHandlers(deps, env),
    ...routeHandlers(s.router),
    ...forecastHandlers(s.quota),
    ...preflightHandlers(deps, s.quota, config),
    ...statuslineHandlers(deps, s.quota),
    ...savingsHandlers(deps),
    ...offloadHandlers(deps),
    ...quarantineHandlers(deps),
  };
}
