/**
 * The `o` action: switches offload for one pattern through `offload/set` (the daemon refuses a pattern
 * that is not approved or has no compactor, and says why). The answer lands in the message line and the
 * changed row is applied at once; the daemon's `review` event refreshes the rest.
 */
import { getErrorMessage } from '../../core/errors.js';
import type { DaemonClient } from '../../rpc/client.js';
import { METHODS, type PatternSummary } from '../../rpc/protocol.js';
import type { DashboardAction, PendingKind } from '../state/dashboard.js';
import type { ResourceKey } from '../state/data.js';

export interface OffloadDeps {
  /** Marks the request as started and returns the client, or null when it cannot be sent now. */
  begin(kind: PendingKind, id: number, text: string): DaemonClient | null;
  dispatch(action: DashboardAction): void;
  patternChanged(p: PatternSummary): void;
  refresh(keys: Iterable<ResourceKey>): void;
  now(): number;
  actor: string;
}

const AFTER_OFFLOAD: readonly ResourceKey[] = ['patterns', 'detail'];

/** Turns offload off for an offloaded pattern, on for any other. */
export function toggleOffload(d: OffloadDeps, p: Pick<PatternSummary, 'id' | 'signature' | 'offload'>): void {
  const on = !p.offload;
  const c = d.begin('offload', p.id, `${on ? 'offloading' : 'ending offload of'} #${p.id}…`);
  if (c === null) return;
  void c.request(METHODS.offloadSet, { patternId: p.id, on, actor: d.actor }).then(
    (r) => {
      const q = r.pattern;
      const family = q?.offloadFamily ? ` (${q.offloadFamily})` : '';
      const off = on && !r.enabled ? ' · offload is switched off for every pattern (outloop offload on)' : '';
      d.dispatch({
        type: 'actionSucceeded',
        kind: 'offload',
        id: p.id,
        signature: q?.signature ?? p.signature,
        at: d.now(),
        message: `offload ${on ? 'on' : 'off'} for #${p.id} ${q?.signature ?? p.signature}${family}${off}`,
      });
      if (q !== null) d.patternChanged(q);
      d.refresh(AFTER_OFFLOAD);
    },
    (e: unknown) =>
      d.dispatch({
        type: 'actionFailed',
        message: `offload ${on ? 'on' : 'off'} #${p.id} failed: ${getErrorMessage(e)}`,
      }),
  );
}
