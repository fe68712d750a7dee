/**
 * The measured savings of offloaded and routed runs, as `savings/summary` reports them: today, this
 * month and all time, by optimization type, the top patterns and one point per UTC day; a period of
 * days when one is asked for. Plain data: the store sums the rows, every layer reads these shapes.
 */

/** Measured savings of the runs logged in a period. */
export interface SavingsPeriod {
  since: string | null;
  until: string | null;
  usd: number;
  tokens: number;
  runs: number;
  /** per optimization type; rawTokens and compactTokens: what the LLM would have read and what it read */
  byType: { type: string; usd: number; tokens: number; runs: number; rawTokens: number; compactTokens: number }[];
}

export interface SavingsSummary {
  todayUsd: number;
  monthUsd: number;
  allTimeUsd: number;
  tokensSavedAllTime: number;
  /** per optimization type; rawTokens and compactTokens: what the LLM would have read and what it read */
  byType: { type: string; usd: number; tokens: number; rawTokens: number; compactTokens: number }[];
  topPatterns: { id: number; signature: string; usd: number }[];
  daily: { date: string; usd: number }[];
  /** only when `since` or `until` was given */
  period?: SavingsPeriod;
}
