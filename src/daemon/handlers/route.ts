import type { Router } from '../learn/router.js';
import type { HandlerMap } from '../server.js';

/** `route`: script or LLM? (see learn/router.ts) */
export function routeHandlers(router: Router): HandlerMap {
  return { route: (p) => router.route(p) };
}
