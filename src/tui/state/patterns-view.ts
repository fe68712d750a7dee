/** Filtering and sorting of the pattern list: pure, memoized by the caller (`useMemo`). */
import { assertNever } from '../../core/assert-never.js';
import type { PatternStatus } from '../../core/types.js';
import type { PatternSummary } from '../../rpc/protocol.js';
import type { SortKey } from './dashboard.js';

function compareBy(key: SortKey): (a: PatternSummary, b: PatternSummary) => number {
  switch (key) {
    case 'savings':
      return (a, b) => a.monthlySavingsUsd - b.monthlySavingsUsd;
    case 'confidence':
      return (a, b) => a.confidence - b.confidence;
    case 'uses':
      return (a, b) => a.occurrences30d - b.occurrences30d;
    case 'lastSeen':
      return (a, b) => (a.lastSeen < b.lastSeen ? -1 : a.lastSeen > b.lastSeen ? 1 : 0);
    case 'signature':
      return (a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0);
    default: {
      return assertNever(key);
    }
  }
}

function matchesText(p: PatternSummary, needle: string): boolean {
  return (
    p.signature.toLowerCase().includes(needle) ||
    p.status.includes(needle) ||
    p.kind.includes(needle) ||
    (p.toolName?.toLowerCase().includes(needle) ?? false)
  );
}

export interface PatternQuery {
  text: string;
  status: PatternStatus | null;
  sort: { key: SortKey; desc: boolean };
}

/** The rows the table shows: filtered by status and text (case-insensitive, every word must match), sorted stably (ties by id). */
export function selectPatterns(all: readonly PatternSummary[] | null, q: PatternQuery): PatternSummary[] {
  if (all === null) return [];
  const words = q.text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const rows = all.filter((p) => (q.status === null || p.status === q.status) && words.every((w) => matchesText(p, w)));
  const cmp = compareBy(q.sort.key);
  const dir = q.sort.desc ? -1 : 1;
  rows.sort((a, b) => dir * cmp(a, b) || a.id - b.id);
  return rows;
}
