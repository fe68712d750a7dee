/**
 * Accumulators that fold usage rows one at a time into report rows: by calendar day in a time zone
 * (and by month from the days), or by session. Rows whose `ts` does not parse are skipped and counted.
 */
import { makeDateKeyer, parseTimestamp, type DateKeyer } from '../time.js';
import {
  addRowToGroup,
  cmp,
  figures,
  grandTotals,
  mergeGroup,
  rangeFilter,
  sortKeys,
  type Group,
} from './usage-groups.js';
import {
  UNKNOWN_PROJECT,
  UNKNOWN_SESSION,
  type DailyReport,
  type DailyRow,
  type MonthlyReport,
  type MonthlyRow,
  type RangeOptions,
  type SessionReport,
  type SessionRow,
  type UsageRow,
} from './usage-report-types.js';

/** Rows folded by their time: skips and counts the rows whose `ts` does not parse. */
abstract class TimedAccumulator {
  protected readonly keyer: DateKeyer;
  #skipped = 0;

  constructor(opts?: { timeZone?: string }) {
    this.keyer = makeDateKeyer(opts?.timeZone);
  }

  /** Rows skipped because their `ts` did not parse. */
  get skipped(): number {
    return this.#skipped;
  }

  add(row: UsageRow): void {
    const ms = parseTimestamp(row.ts);
    if (ms === null) this.#skipped++;
    else this.addAt(row, ms);
  }

  protected abstract addAt(row: UsageRow, ms: number): void;
}

/** Folds rows into (day, model) sums; O(days × models) memory whatever the row count. */
export class DailyAccumulator extends TimedAccumulator {
  readonly #days = new Map<string, Group>();

  protected addAt(row: UsageRow, ms: number): void {
    const day = this.keyer(ms);
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
export class SessionAccumulator extends TimedAccumulator {
  readonly #sessions = new Map<string, SessionAcc>();

  protected addAt(row: UsageRow, ms: number): void {
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
      const lastActivity = this.keyer(s.lastMs);
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
