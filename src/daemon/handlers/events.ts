import { NOTIFICATIONS } from '../../rpc/protocol.js';
import type { DaemonContext } from '../context.js';
import type { HandlerMap } from '../server.js';

export function eventHandlers(ctx: DaemonContext): HandlerMap {
  return {
    'events/subscribe': (params, conn) => {
      const result = ctx.hub.subscribe(
        { id: conn.id, send: (batch) => conn.notify(NOTIFICATIONS.eventsChanged, batch) },
        params.since,
      );
      conn.onClose(() => ctx.hub.unsubscribe(conn.id));
      return result;
    },
    'events/recent': (params) => ctx.hub.recent(params.limit ?? 100),
  };
}
