/**
 * Usage reports in exactly the JSON shapes of `ccusage daily|monthly|session --json`.
 *
 * Every input row just adds: a row may be one API response or an aggregate the store already summed
 * (e.g. SQL GROUP BY day, model). Rows whose `ts` does not parse are skipped (counted in
 * `skipped`). `<synthetic>` rows count in the token and cost sums but never appear in `modelsUsed`
 * or `modelBreakdowns` (as ccusage). `modelsUsed` is sorted by name; `modelBreakdowns` by cost,
 * highest first, then name. Days are calendar days in `timeZone` (IANA, default UTC);
 * `since`/`until` are inclusive 'YYYY-MM-DD' or 'YYYYMMDD' day keys (sessions filter on
 * `lastActivity`, monthly on the day before grouping, as ccusage). Rows are sorted by date
 * ascending unless `order: 'desc'`.
 */
import { makeDateKeyer, normalizeDateArg, parseTimestamp, type DateKeyer } from '../time.js';

export interface UsageRow {
  ts: string;
  sessionId: string | null;
  project: string | null;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  costUsd: number;
  /** the row's time is a stand-in (its file's time): it counts in totals, never in spans or rates */
  undated?: boolean;
  /** of a roll-up row: the tokens (all kinds), cost and records in it that were undated */
  undatedTokens?: number;
  undatedCostUsd?: number;
  undatedRecords?: number;
}

export interface Totals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number;
}

export interface ModelBreakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number;
}

interface GroupFigures extends Totals {
  modelsUsed: string[];
  modelBreakdowns: ModelBreakdown[];
}

export interface DailyRow extends GroupFigures {
  date: string;
}

export interface MonthlyRow extends GroupFigures {
  month: string;
}

export interface SessionRow extends GroupFigures {
  sessionId: string;
  lastActivity: string;
  projectPath: string;
}

export interface DailyReport {
  daily: DailyRow[];
  totals: Totals;
}
export interface MonthlyReport {
  monthly: MonthlyRow[];
  totals: Totals;
}
export interface SessionReport {
  sessions: SessionRow[];
  totals: Totals;
}

export interface RangeOptions {
  since?: string;
  until?: string;
  order?: 'asc' | 'desc';
}
export interface ReportOptions extends RangeOptions {
  timeZone?: string;
}

export const SYNTHETIC_MODEL = '<synthetic>';
export const UNKNOWN_SESSION = 'unknown';
export const UNKNOWN_PROJECT = 'Unknown Project';

interface Sums {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number;
}

function zeroSums(): Sums {
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
type Group = Map<string, Sums>;

function addRowToGroup(g: Group, row: UsageRow): void {
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

function mergeGroup(into: Group, from: Group): void {
  for (const [model, s] of from) {
    const t = into.get(model);
    if (t === undefined) into.set(model, { ...s });
    else addInto(t, s);
  }
}

function totalsOf(s: Sums): Totals {
  return {
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    cacheCreationTokens: s.cacheCreationTokens,
    cacheReadTokens: s.cacheReadTokens,
    totalTokens: s.inputTokens + s.outputTokens + s.cacheCreationTokens + s.cacheReadTokens,
    totalCost: s.cost,
  };
}

function figures(g: Group): GroupFigures {
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

function grandTotals(rows: readonly Totals[]): Totals {
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

function rangeFilter(opts: RangeOptions | undefined): (day: string) => boolean {
  const since = opts?.since === undefined ? null : normalizeDateArg(opts.since, 'since');
  const until = opts?.until === undefined ? null : normalizeDateArg(opts.until, 'until');
  return (day) => (since === null || day >= since) && (until === null || day <= until);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortKeys(keys: string[], order: 'asc' | 'desc' | undefined): string[] {
  keys.sort();
  if (order === 'desc') keys.reverse();
  return keys;
}

/** Folds rows into (day, model) sums; O(days × models) memory whatever the row count. */
export class DailyAccumulator {
  readonly #days = new Map<string, Group>();
  readonly #keyer: DateKeyer;
  #skipped = 0;

  constructor(opts?: { timeZone?: string }) {
    this.#keyer = makeDateKeyer(opts?.timeZone);
  }

  /** Rows skipped because their `ts` did not parse. */
  get skipped(): number {
    return this.#skipped;
  }

  add(row: UsageRow): void {
    const ms = parseTimestamp(row.ts);
    if (ms === null) {
      this.#skipped++;
      return;
    }
    const day = this.#keyer(ms);
    let g = this.#days.get(day);
    if (g === undefined) {
      g = new Map();
      this.#days.set(day, g);
    }
    addRowToGroup(g, row);
  }

  result(opts?: RangeOptions): DailyReport {
    const keep = rangeFilter(opts);
    const daily: DailyRow[] = [];
    for (const date of sortKeys([...this.#days.keys()].filter(keep), opts?.order)) {
      daily.push({ date, ...figures(this.#days.get(date) ?? new Map()) });
    }
    return { daily, totals: grandTotals(daily) };
  }

  monthly(opts?: RangeOptions): MonthlyReport {
    const keep = rangeFilter(opts);
    const months = new Map<string, Group>();
    for (const [date, g] of this.#days) {
      if (!keep(date)) continue;
      const month = date.slice(0, 7);
      let m = months.get(month);
      if (m === undefined) {
        m = new Map();
        months.set(month, m);
      }
      mergeGroup(m, g);
    }
    const monthly: MonthlyRow[] = [];
    for (const month of sortKeys([...months.keys()], opts?.order)) {
      monthly.push({ month, ...figures(months.get(month) ?? new Map()) });
    }
    return { monthly, totals: grandTotals(monthly) };
  }
}

interface SessionAcc {
  sessionId: string;
  projectPath: string;
  lastMs: number;
  group: Group;
}

/** Folds rows into (project, session, model) sums. Sessions are keyed by project + session id. */
export class SessionAccumulator {
  readonly #sessions = new Map<string, SessionAcc>();
  readonly #keyer: DateKeyer;
  #skipped = 0;

  constructor(opts?: { timeZone?: string }) {
    this.#keyer = makeDateKeyer(opts?.timeZone);
  }

  get skipped(): number {
    return this.#skipped;
  }

  add(row: UsageRow): void {
    const ms = parseTimestamp(row.ts);
    if (ms === null) {
      this.#skipped++;
      return;
    }
    const sessionId = row.sessionId ?? UNKNOWN_SESSION;
    const projectPath = row.project ?? UNKNOWN_PROJECT;
    const key = `${projectPath}\u0000${sessionId}`;
    let s = this.#sessions.get(key);
    if (s === undefined) {
      s = { sessionId, projectPath, lastMs: ms, group: new Map() };
      this.#sessions.set(key, s);
    }
    if (ms > s.lastMs) s.lastMs = ms;
    addRowToGroup(s.group, row);
  }

  result(opts?: RangeOptions): SessionReport {
    const keep = rangeFilter(opts);
    const sessions: SessionRow[] = [];
    for (const s of this.#sessions.values()) {
      const lastActivity = this.#keyer(s.lastMs);
      if (!keep(lastActivity)) continue;
      const f = figures(s.group);
      sessions.push({
        sessionId: s.sessionId,
        inputTokens: f.inputTokens,
        outputTokens: f.outputTokens,
        cacheCreationTokens: f.cacheCreationTokens,
        cacheReadTokens: f.cacheReadTokens,
        totalTokens: f.totalTokens,
        totalCost: f.totalCost,
        lastActivity,
        modelsUsed: f.modelsUsed,
        modelBreakdowns: f.modelBreakdowns,
        projectPath: s.projectPath,
      });
    }
    const dir = opts?.order === 'desc' ? -1 : 1;
    sessions.sort(
      (a, b) =>
        dir * cmp(a.lastActivity, b.lastActivity) || cmp(a.projectPath, b.projectPath) || cmp(a.sessionId, b.sessionId),
    );
    return { sessions, totals: grandTotals(sessions) };
  }
}

export function dailyReport(rows: Iterable<UsageRow>, opts?: ReportOptions): DailyReport {
  rangeFilter(opts); // validate since/until before folding
  const acc = new DailyAccumulator({ timeZone: opts?.timeZone });
  for (const r of rows) acc.add(r);
  return acc.result(opts);
}

export function monthlyReport(rows: Iterable<UsageRow>, opts?: ReportOptions): MonthlyReport {
  rangeFilter(opts); // validate since/until before folding
  const acc = new DailyAccumulator({ timeZone: opts?.timeZone });
  for (const r of rows) acc.add(r);
  return acc.monthly(opts);
}

export function sessionReport(rows: Iterable<UsageRow>, opts?: ReportOptions): SessionReport {
  rangeFilter(opts);
  const acc = new SessionAccumulator({ timeZone: opts?.timeZone });
  for (const r of rows) acc.add(r);
  return acc.result(opts);
}
