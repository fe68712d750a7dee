/**
 * Pattern confidence 0-100 = frequency (0-40) + consistency (0-30) + success (0-30), from running
 * aggregates the daemon updates one use at a time (no rescans).
 *
 * - Frequency, a step table on distinct occurrences (sessions/workflows):
 *   ≥10 → 40, ≥5 → 30, ≥3 → 20, else 10.
 * - Consistency from the coefficient of variation of durations, cv = sd / mean (population sd, Welford):
 *   round(30 × (1 − min(cv, 1))), so cv 0 → 30 and cv ≥ 1 → 0. Fewer than 2 durations, or a zero mean →
 *   neutral 15. (The plan used raw variance in s², which gives 10 to nearly every real workflow.)
 * - Success from observed outcomes: round(30 × successes / (successes + failures)); none observed →
 *   neutral 15.
 * - Nothing observed at all (no occurrence, no use) → 10, the starting value.
 */

export interface PatternStats {
  /** distinct sessions/workflows the pattern occurred in */
  occurrences: number;
  /** individual uses (a session may use a pattern more than once) */
  uses: number;
  durN: number;
  durMean: number;
  /** Welford's sum of squared deviations from the mean */
  durM2: number;
  successes: number;
  failures: number;
}

export interface UseObservation {
  durationMs: number | null;
  ok: boolean | null;
  /** true when this use is the first in a new session/workflow (occurrences + 1) */
  newOccurrence?: boolean;
}

export interface ConfidenceBreakdown {
  frequency: number;
  consistency: number;
  success: number;
  total: number;
  /** coefficient of variation of durations, null when it cannot be computed */
  cv: number | null;
  /** successes / (successes + failures), null without outcomes */
  successRate: number | null;
}

export const CONFIDENCE_WITHOUT_DATA = 10;

export function emptyStats(): PatternStats {
  return { occurrences: 0, uses: 0, durN: 0, durMean: 0, durM2: 0, successes: 0, failures: 0 };
}

/** Pure: the stats after one more use. Invalid durations (negative, NaN, infinite) are ignored. */
export function addUse(s: PatternStats, use: UseObservation): PatternStats {
  const next: PatternStats = { ...s };
  if (use.newOccurrence === true) next.occurrences = s.occurrences + 1;
  foldUseInto(next, use.durationMs, use.ok);
  return next;
}

/** addUse in place, without the occurrence: a fold over many rows allocates nothing per row. */
export function foldUseInto(s: PatternStats, durationMs: number | null, ok: boolean | null): void {
  s.uses++;
  if (durationMs !== null && Number.isFinite(durationMs) && durationMs >= 0) {
    s.durN++;
    const delta = durationMs - s.durMean;
    s.durMean += delta / s.durN;
    s.durM2 += delta * (durationMs - s.durMean);
  }
  if (ok === true) s.successes++;
  else if (ok === false) s.failures++;
}

/** Population standard deviation / mean of the durations, or null (fewer than 2, or mean 0). */
export function durationCv(s: PatternStats): number | null {
  if (s.durN < 2 || !(s.durMean > 0)) return null;
  const variance = Math.max(0, s.durM2) / s.durN;
  return Math.sqrt(variance) / s.durMean;
}

export function frequencyPoints(occurrences: number): number {
  if (occurrences >= 10) return 40;
  if (occurrences >= 5) return 30;
  if (occurrences >= 3) return 20;
  return 10;
}

export function confidenceBreakdown(s: PatternStats): ConfidenceBreakdown {
  const cv = durationCv(s);
  const outcomes = s.successes + s.failures;
  const successRate = outcomes > 0 ? s.successes / outcomes : null;
  if (s.occurrences <= 0 && s.uses <= 0) {
    return {
      frequency: CONFIDENCE_WITHOUT_DATA,
      consistency: 0,
      success: 0,
      total: CONFIDENCE_WITHOUT_DATA,
      cv,
      successRate,
    };
  }
  const frequency = frequencyPoints(s.occurrences);
  const consistency = cv === null ? 15 : Math.round(30 * (1 - Math.min(cv, 1)));
  const success = successRate === null ? 15 : Math.round(30 * successRate);
  const total = Math.max(0, Math.min(100, frequency + consistency + success));
  return { frequency, consistency, success, total, cv, successRate };
}

/** Confidence 0-100 (integer). */
export function confidence(s: PatternStats): number {
  return confidenceBreakdown(s).total;
}
