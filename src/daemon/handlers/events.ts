import { METHODS, NOTIFICATIONS } from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import type { HandlerMap } from '../server.js';

export function eventHandlers(deps: DaemonDeps): HandlerMap {
  return {
    [METHODS.eventsSubscribe]: (params, conn) => {
      const result = deps.hub.subscribe(
        { id: conn.id, send: (batch) => conn.notify(NOTIFICATIONS.eventsChanged, batch) },
        params.since,
      );
      conn.onClose(() => deps.hub.unsubscribe(conn.id));
      return result;
    },
    [METHODS.eventsRecent]: (params) => deps.hub.recent(params.limit ?? 100),
  };
}
