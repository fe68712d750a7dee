/** The row a usage report folds, and the report shapes (those of `ccusage daily|monthly|session --json`). */
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

/** The figures of one group (day, month or session). */
export interface GroupFigures extends Totals {
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
