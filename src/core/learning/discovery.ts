/**
 * Auto-discovery: which patterns deserve a suggestion, and how urgent each is.
 *
 * A pattern is a discovery candidate when all hold:
 * - status is detected or candidate;
 * - occurrences ≥ 5, confidence ≥ 70, monthly savings ≥ $0.50 (all finite);
 * - it is not a whole pipeline: no `sdlc`/`zte` category, and no `sdlc`/`zte` part in a workflow signature
 *   (a signature such as `sdlc:full:all` names a whole workflow, not an operation);
 * - an unknown command (`other:*`, also behind `fix:`, or a sequence made only of `other:*` steps) needs
 *   twice the occurrences (≥ 10): it only matters if it clearly repeats.
 *
 * Priority follows a return-on-investment rule on the implementation cost of the pattern's kind
 * (test/build/typecheck 3 h, format/lint/git 2 h, anything else 6 h, at $25/h): high when ROI > 200% and
 * payback < 3 months, medium when ROI > 100% and payback < 6 months, else low. Confidence then caps it:
 * below 70 → low, below 85 → at most medium.
 */
import type { PatternKind, PatternStatus } from '../types.js';

export const DISCOVERY_THRESHOLDS = { minOccurrences: 5, minConfidence: 70, minMonthlySavingsUsd: 0.5 } as const;
export const HOURLY_RATE_USD = 25;

export type Priority = 'high' | 'medium' | 'low';

export interface DiscoveryInput {
  status: PatternStatus;
  occurrences: number;
  confidence: number;
  monthlySavingsUsd: number;
  kind: PatternKind;
  signature: string;
}

const WHOLE_PIPELINE = new Set(['sdlc', 'zte']);

/** Signature without a leading `fix:`; its category is the first `:` part (`seq` for sequences). */
function base(signature: string): string {
  return signature.startsWith('fix:') ? signature.slice(4) : signature;
}

export function signatureCategory(signature: string): string {
  const b = base(signature);
  return b.slice(0, b.includes(':') ? b.indexOf(':') : b.length).toLowerCase();
}

/** `other:*`, `fix:other:*`, or a sequence whose steps are all `other:*`. */
export function isOtherSignature(signature: string): boolean {
  const b = base(signature);
  if (b.startsWith('seq:'))
    return b
      .slice(4)
      .split('>')
      .every((p) => p.startsWith('other:'));
  return b.startsWith('other:');
}

function isWholePipelineSignature(signature: string, kind: PatternKind): boolean {
  if (WHOLE_PIPELINE.has(signatureCategory(signature))) return true;
  return (
    kind === 'workflow' &&
    signature
      .toLowerCase()
      .split(/[:>]/)
      .some((p) => WHOLE_PIPELINE.has(p))
  );
}

export function isDiscoveryCandidate(p: DiscoveryInput): boolean {
  const t = DISCOVERY_THRESHOLDS;
  if (p.status !== 'detected' && p.status !== 'candidate') return false;
  if (![p.occurrences, p.confidence, p.monthlySavingsUsd].every(Number.isFinite)) return false;
  if (p.signature.trim() === '' || isWholePipelineSignature(p.signature, p.kind)) return false;
  const minOccurrences = isOtherSignature(p.signature) ? 2 * t.minOccurrences : t.minOccurrences;
  return (
    p.occurrences >= minOccurrences && p.confidence >= t.minConfidence && p.monthlySavingsUsd >= t.minMonthlySavingsUsd
  );
}

/** Candidates ordered by monthly savings, highest first (ties by signature). */
export function selectDiscoveryCandidates<T extends DiscoveryInput>(patterns: readonly T[]): T[] {
  return patterns
    .filter(isDiscoveryCandidate)
    .sort(
      (a, b) =>
        b.monthlySavingsUsd - a.monthlySavingsUsd ||
        (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0),
    );
}

/** Implementation effort, by category: test/build/typecheck 3 h, format/lint/git 2 h, else 6 h. */
export function implementationEffort(signature: string): { hours: number; costUsd: number } {
  const cat = signature.startsWith('fix:') ? 'fix' : signatureCategory(signature);
  const hours = ['test', 'build', 'typecheck'].includes(cat) ? 3 : ['format', 'lint', 'git'].includes(cat) ? 2 : 6;
  return { hours, costUsd: hours * HOURLY_RATE_USD };
}

export interface Roi {
  monthlyUsd: number;
  annualUsd: number;
  implementationCostUsd: number;
  /** months until the implementation pays for itself; Infinity without savings */
  paybackMonths: number;
  roiPct: number;
  priority: Priority;
}

export function roi(monthlySavingsUsd: number, implementationCostUsd: number): Roi {
  const monthly = Number.isFinite(monthlySavingsUsd) && monthlySavingsUsd > 0 ? monthlySavingsUsd : 0;
  const cost = Number.isFinite(implementationCostUsd) && implementationCostUsd > 0 ? implementationCostUsd : 0;
  const annual = monthly * 12;
  const paybackMonths = monthly > 0 ? cost / monthly : Infinity;
  const roiPct = cost > 0 ? ((annual - cost) / cost) * 100 : monthly > 0 ? Infinity : 0;
  const priority: Priority =
    roiPct > 200 && paybackMonths < 3 ? 'high' : roiPct > 100 && paybackMonths < 6 ? 'medium' : 'low';
  return { monthlyUsd: monthly, annualUsd: annual, implementationCostUsd: cost, paybackMonths, roiPct, priority };
}

/**
 * Priority from savings and confidence. `implementationCostUsd` defaults to the test/build effort ($75);
 * pass `implementationEffort(signature).costUsd` for the pattern's own figure.
 */
export function priorityOf(
  monthlySavingsUsd: number,
  confidence: number,
  implementationCostUsd = 3 * HOURLY_RATE_USD,
): Priority {
  const p = roi(monthlySavingsUsd, implementationCostUsd).priority;
  if (!(confidence >= DISCOVERY_THRESHOLDS.minConfidence)) return 'low';
  if (confidence < 85 && p === 'high') return 'medium';
  return p;
}
