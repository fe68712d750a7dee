import type { DaemonContext } from '../context.js';
import type { HandlerMap } from '../server.js';

export const DEFAULT_SAVINGS_DAYS = 30;

/** `savings/summary`: measured savings from cost_savings_log (UTC days). */
export function savingsHandlers(ctx: DaemonContext): HandlerMap {
  return { 'savings/summary': (p) => ctx.store.savings.summary(Date.now(), p.days ?? DEFAULT_SAVINGS_DAYS) };
}
