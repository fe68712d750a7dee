import { invalidArgument } from '../../core/errors.js';
import { MS_PER_DAY, normalizeDateArg } from '../../core/time.js';
import { METHODS, type SavingsReplayParams } from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import { runReplay, type ReplayPeriod } from '../learn/replay-run.js';
import type { HandlerMap } from '../server.js';

export const DEFAULT_SAVINGS_DAYS = 30;

/** A savings period: UTC days from `since` through `until`, both included; open ends cover all history. */
export function replayPeriod(p: SavingsReplayParams): ReplayPeriod {
  const since = p.since === undefined ? null : normalizeDateArg(p.since, 'since');
  const until = p.until === undefined ? null : normalizeDateArg(p.until, 'until');
  if (since !== null && until !== null && until < since)
    throw invalidArgument(`until (${until}) is before since (${since})`);
  return {
    sinceMs: since === null ? Number.MIN_SAFE_INTEGER : Date.parse(`${since}T00:00:00Z`),
    untilMs: until === null ? Number.MAX_SAFE_INTEGER : Date.parse(`${until}T00:00:00Z`) + MS_PER_DAY,
    since,
    until,
  };
}

/**
 * `savings/summary`: measured savings of offloaded and routed runs from cost_savings_log (UTC days);
 * `savings/replay`: what the compactors would have saved on the recorded Bash outputs of a period.
 */
export function savingsHandlers(deps: DaemonDeps): HandlerMap {
  return {
    [METHODS.savingsSummary]: (p) => {
      const summary = deps.store.savings.summary(Date.now(), p.days ?? DEFAULT_SAVINGS_DAYS);
      if (p.since === undefined && p.until === undefined) return summary;
      const r = replayPeriod(p);
      return { ...summary, period: deps.store.savings.period(r.sinceMs, r.untilMs, r.since, r.until) };
    },
    [METHODS.savingsReplay]: (p) => runReplay(deps.store, replayPeriod(p)),
  };
}
