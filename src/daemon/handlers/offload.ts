import { AppError, invalidArgument, notFound } from '../../core/errors.js';
import { METHODS, type OffloadSetParams, type OffloadSetResult } from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import { toSummary, WINDOW_MS } from './pattern-view.js';
import { offloadStatus } from '../offload/offload-file.js';
import { approvedStatus, familyOfRow } from '../offload/pattern-offload.js';
import type { HandlerMap } from '../server.js';
import type { PatternRow } from '../store/patterns-repo.js';

/**
 * `offload/status` and `offload/set`. Set with a signature or a pattern id switches that pattern
 * (on only when it is approved, implemented or active and its family has a compactor); without
 * either it flips the kill switch. Each change is published as a `review` event, which also makes
 * the offload file writer rewrite `<state dir>/offload.json`.
 */
export function offloadHandlers(deps: DaemonDeps): HandlerMap {
  const { store, hub, stateDir } = deps;

  const find = (p: OffloadSetParams): PatternRow => {
    const row =
      p.patternId !== undefined ? store.patterns.get(p.patternId) : store.patterns.bySignature(p.signature ?? '');
    if (row) return row;
    const what = p.patternId !== undefined ? `id ${p.patternId}` : `signature ${p.signature ?? ''}`;
    throw notFound(`no pattern with ${what}; see 'outloop patterns'`, {
      patternId: p.patternId,
      signature: p.signature,
    });
  };

  const refuseOn = (row: PatternRow): void => {
    if (!approvedStatus(row)) {
      throw new AppError(
        'illegal_transition',
        `pattern ${row.id} ${row.signature} is ${row.status}: only an approved pattern can be offloaded (outloop approve ${row.id})`,
        { id: row.id, status: row.status },
      );
    }
    if (familyOfRow(row) === null) {
      throw new AppError(
        'conflict',
        `pattern ${row.id} ${row.signature} has no compactor: only test, build, type-check, lint, format, install and git commands are offloaded`,
        { id: row.id },
      );
    }
  };

  const setPattern = (p: OffloadSetParams, actor: string): OffloadSetResult => {
    const { row, changed } = store.tx(() => {
      const found = find(p);
      if (p.on) refuseOn(found);
      return { row: found, changed: store.offload.setFlag(found.id, p.on, actor, p.note ?? null) };
    });
    if (changed)
      hub.publish('review', `offload ${p.on ? 'on' : 'off'} ${row.signature} (${actor})`, { patternId: row.id });
    const after = store.patterns.get(row.id) ?? row;
    const window = store.patterns.windowFor(row.id, Date.now() - WINDOW_MS);
    return {
      changed,
      enabled: store.offload.enabled(),
      pattern: toSummary(after, window, store.tools.get(after.tool_id)?.name ?? null),
    };
  };

  return {
    [METHODS.offloadStatus]: () => offloadStatus(store, stateDir),
    [METHODS.offloadSet]: (p) => {
      if (p.signature !== undefined && p.patternId !== undefined) {
        throw invalidArgument('invalid params for offload/set: give signature or patternId, not both', {
          field: 'signature',
        });
      }
      const actor = p.actor?.trim() || 'user';
      if (p.signature !== undefined || p.patternId !== undefined) return setPattern(p, actor);
      const changed = store.tx(() => store.offload.setEnabled(p.on, actor));
      if (changed) hub.publish('review', `offload switched ${p.on ? 'on' : 'off'} for every pattern (${actor})`);
      return { changed, enabled: store.offload.enabled(), pattern: null };
    },
  };
}
