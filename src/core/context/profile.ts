/**
 * Context profile of one repeated operation (pattern): what its occurrences typically use, the
 * globs that would load exactly that, and what loading only those globs would have saved.
 */
import type { Efficiency } from './efficiency.js';
import { coveringGlobs, globMatches } from '../globs.js';
import { dirOf, normalizePath } from '../paths.js';

export interface ContextProfile {
  /** coveringGlobs(every file used in any occurrence, every file loaded and never used) */
  globs: string[];
  /** used in >= 50% of the occurrences; when none is, the 10 most used. share in 0..1, 2 decimals */
  typicalFiles: { path: string; share: number }[];
  /** directories holding a used file in >= 50% of the occurrences; when none, the 10 most used */
  typicalDirs: string[];
  /** mean tokensLoaded per occurrence, rounded */
  avgTokensLoaded: number;
  /** mean tokensUsed per occurrence, rounded */
  avgTokensUsed: number;
  /** mean, per occurrence, of the tokens of loaded files that no profile glob matches, rounded */
  estimatedTokensSaved: number;
  samples: number;
}

interface Ranked {
  path: string;
  count: number;
}

function rank(counts: ReadonlyMap<string, number>, samples: number): Ranked[] {
  const all = [...counts.entries()]
    .map(([path, count]) => ({ path, count }))
    .sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const typical = all.filter((r) => r.count * 2 >= samples);
  return typical.length > 0 ? typical : all.slice(0, 10);
}

function countOnce(counts: Map<string, number>, items: Iterable<string>): void {
  for (const item of new Set(items)) counts.set(item, (counts.get(item) ?? 0) + 1);
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

export function buildContextProfile(occurrences: readonly Efficiency[]): ContextProfile {
  const samples = occurrences.length;
  if (samples === 0) {
    return {
      globs: [],
      typicalFiles: [],
      typicalDirs: [],
      avgTokensLoaded: 0,
      avgTokensUsed: 0,
      estimatedTokensSaved: 0,
      samples: 0,
    };
  }
  const fileCounts = new Map<string, number>();
  const dirCounts = new Map<string, number>();
  const usedAll = new Set<string>();
  const loadedAll = new Set<string>();
  for (const occ of occurrences) {
    const used = occ.used.map((p) => normalizePath(p));
    countOnce(fileCounts, used);
    countOnce(dirCounts, used.map(dirOf));
    for (const p of used) usedAll.add(p);
    for (const f of occ.loaded) loadedAll.add(normalizePath(f.path));
  }
  const avoid = [...loadedAll].filter((p) => !usedAll.has(p));
  const globs = coveringGlobs([...usedAll], avoid);

  let saved = 0;
  let tokensLoaded = 0;
  let tokensUsed = 0;
  for (const occ of occurrences) {
    tokensLoaded += occ.tokensLoaded;
    tokensUsed += occ.tokensUsed;
    for (const f of occ.loaded) {
      if (!globs.some((g) => globMatches(g, f.path))) saved += f.tokens;
    }
  }
  return {
    globs,
    typicalFiles: rank(fileCounts, samples).map((r) => ({
      path: r.path,
      share: round2(r.count / samples),
    })),
    typicalDirs: rank(dirCounts, samples).map((r) => r.path),
    avgTokensLoaded: Math.round(tokensLoaded / samples),
    avgTokensUsed: Math.round(tokensUsed / samples),
    estimatedTokensSaved: Math.round(saved / samples),
    samples,
  };
}
