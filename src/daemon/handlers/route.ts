import { METHODS } from '../../rpc/protocol.js';
import type { Router } from '../route/router.js';
import type { HandlerMap } from '../server.js';

/** `route`: script or LLM? (see route/router.ts) */
export function routeHandlers(router: Router): HandlerMap {
  return { [METHODS.route]: (p) => router.route(p) };
}
