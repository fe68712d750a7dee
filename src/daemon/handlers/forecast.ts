import { METHODS } from '../../rpc/protocol.js';
import type { QuotaState } from '../quota/quota-state.js';
import type { HandlerMap } from '../server.js';

/**
 * `forecast`: the monthly projection (provenance `estimated`: the limit is configured, not known),
 * the 5-hour block and the 7-day window, each with its own provenance (`official` when a fresh
 * status-line reading backs it).
 */
export function forecastHandlers(quota: QuotaState): HandlerMap {
  return { [METHODS.forecast]: () => ({ ...quota.forecast() }) };
}
