/**
 * Per-model sums of one group of usage rows (a day, a month or a session), and the report figures
 * made of them: `<synthetic>` counts in the sums but never in `modelsUsed` or `modelBreakdowns`;
 * `modelsUsed` is sorted by name, `modelBreakdowns` by cost, highest first, then name.
 */
import { normalizeDateArg } from '../time.js';
import {
  SYNTHETIC_MODEL,
  type GroupFigures,
  type ModelBreakdown,
  type RangeOptions,
  type Totals,
  type UsageRow,
} from './usage-report-types.js';

interface Sums {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number;
}

export function zeroSums(): Sums {
  return { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, cost: 0 };
}

function n(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

function addInto(s: Sums, r: Sums): void {
  s.inputTokens += r.inputTokens;
  s.outputTokens += r.outputTokens;
  s.cacheCreationTokens += r.cacheCreationTokens;
  s.cacheReadTokens += r.cacheReadTokens;
  s.cost += r.cost;
}

/** Per-model sums of one group (day, month or session). */
export type Group = Map<string, Sums>;

export function addRowToGroup(g: Group, row: UsageRow): void {
  let s = g.get(row.model);
  if (s === undefined) {
    s = zeroSums();
    g.set(row.model, s);
  }
  s.inputTokens += n(row.inputTokens);
  s.outputTokens += n(row.outputTokens);
  s.cacheCreationTokens += n(row.cacheCreationTokens);
  s.cacheReadTokens += n(row.cacheReadTokens);
  s.cost += n(row.costUsd);
}

export function mergeGroup(into: Group, from: Group): void {
  for (const [model, s] of from) {
    const t = into.get(model);
    if (t === undefined) into.set(model, { ...s });
    else addInto(t, s);
  }
}

export function totalsOf(s: Sums): Totals {
  return {
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    cacheCreationTokens: s.cacheCreationTokens,
    cacheReadTokens: s.cacheReadTokens,
    totalTokens: s.inputTokens + s.outputTokens + s.cacheCreationTokens + s.cacheReadTokens,
    totalCost: s.cost,
  };
}

export function figures(g: Group): GroupFigures {
  const sum = zeroSums();
  const breakdowns: ModelBreakdown[] = [];
  for (const [modelName, s] of g) {
    addInto(sum, s);
    if (modelName === SYNTHETIC_MODEL) continue;
    breakdowns.push({
      modelName,
      inputTokens: s.inputTokens,
      outputTokens: s.outputTokens,
      cacheCreationTokens: s.cacheCreationTokens,
      cacheReadTokens: s.cacheReadTokens,
      cost: s.cost,
    });
  }
  const modelsUsed = breakdowns.map((b) => b.modelName).sort();
  breakdowns.sort((a, b) => b.cost - a.cost || cmp(a.modelName, b.modelName));
  return { ...totalsOf(sum), modelsUsed, modelBreakdowns: breakdowns };
}

export function grandTotals(rows: readonly Totals[]): Totals {
  const s = zeroSums();
  for (const r of rows) {
    s.inputTokens += r.inputTokens;
    s.outputTokens += r.outputTokens;
    s.cacheCreationTokens += r.cacheCreationTokens;
    s.cacheReadTokens += r.cacheReadTokens;
    s.cost += r.totalCost;
  }
  return totalsOf(s);
}

export function rangeFilter(opts: RangeOptions | undefined): (day: string) => boolean {
  const since = opts?.since === undefined ? null : normalizeDateArg(opts.since, 'since');
  const until = opts?.until === undefined ? null : normalizeDateArg(opts.until, 'until');
  return (day) => (since === null || day >= since) && (until === null || day <= until);
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortKeys(keys: string[], order: 'asc' | 'desc' | undefined): string[] {
  keys.sort();
  if (order === 'desc') keys.reverse();
  return keys;
}
