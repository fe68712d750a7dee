/**
 * The time order of tool calls: coalesce(ts_ms, 0), then id. The indexes on (session_id,
 * coalesce(ts_ms, 0)) and (workflow_id, coalesce(ts_ms, 0)) end with the rowid, so they serve it
 * without a sort, and serve a range of positions when it is written as `positionRange` writes it.
 */
export const TIME_ORDER = 'ORDER BY coalesce(ts_ms, 0), id';

/** A position in that order. */
export interface CallPosition {
  ts: number;
  id: number;
}

/** Named parameters of `positionRange`: from (`ats`, `aid`) to (`bts`, `bid`). */
export interface PositionRange {
  ats: number;
  aid: number;
  bts: number;
  bid: number;
}

export const rangeOf = (from: CallPosition, to: CallPosition): PositionRange => ({
  ats: from.ts,
  aid: from.id,
  bts: to.ts,
  bid: to.id,
});

/**
 * The calls from one position to another (both ends included, or neither), as an index range on
 * coalesce(ts_ms, 0) (a row-value comparison of (coalesce(ts_ms, 0), id) is not one) and the ids
 * among the calls at either end's time.
 */
export function positionRange(ends: 'included' | 'excluded'): string {
  const [after, before] = ends === 'included' ? ['>=', '<='] : ['>', '<'];
  return `coalesce(ts_ms, 0) BETWEEN @ats AND @bts
    AND (coalesce(ts_ms, 0) > @ats OR id ${after} @aid) AND (coalesce(ts_ms, 0) < @bts OR id ${before} @bid)`;
}
