/**
 * The efficiency report of a session's file table: every loaded file with its measured tokens
 * (ceil(bytes / 4)), the used files, the loaded-and-used share, and the ten files that wasted the
 * most tokens. Paths show relative to the session cwd when under it.
 */
import type { Basis } from '../types.js';
import { isPlainPath, relativizer } from '../paths.js';
import type { FileTable } from './file-table.js';

export interface FileStat {
  path: string;
  tokens: number;
  loads: number;
  /** set when the file is an image or a PDF (tokens are still ceil(response bytes / 4)) */
  media?: boolean;
}

export interface Efficiency {
  filesLoaded: number;
  filesUsed: number;
  filesLoadedAndUsed: number;
  /** filesLoadedAndUsed / filesLoaded * 100, one decimal; 0 when nothing was loaded */
  efficiencyPct: number;
  tokensLoaded: number;
  tokensUsed: number;
  tokensWasted: number;
  basis: Extract<Basis, 'measured'>;
  loaded: FileStat[];
  used: string[];
  topWasted: { path: string; tokens: number }[];
}

const tokensOf = (bytes: number): number => Math.ceil(bytes / 4);

/** How a file under the root shows (`rk`: its path after the root), and how any other path shows. */
function shower(table: FileTable): { showIn: (rk: string) => string; show: (abs: string) => string } {
  const { root, prefix } = table;
  const show = root !== null ? relativizer(root) : (abs: string): string => abs;
  // `${root}/${rk}` shows as `rk` when both are already normal (no `.`, `..`, `//`, `\\`, edge spaces)
  const plainRoot = prefix !== null && root !== null && isPlainPath(root);
  const showIn = (rk: string): string =>
    plainRoot && rk.charCodeAt(0) !== 47 && isPlainPath(rk) ? rk : show(`${prefix ?? ''}${rk}`);
  return { showIn, show };
}

export function efficiencyReport(table: FileTable): Efficiency {
  const { showIn, show } = shower(table);
  const loadedStats: FileStat[] = [];
  const top: { path: string; tokens: number }[] = [];
  let tokensLoaded = 0;
  let tokensUsed = 0;
  let both = 0;
  for (const e of table.loaded) {
    const path = e.inRoot ? showIn(e.key) : show(table.absOf(e));
    const tokens = tokensOf(e.bytes);
    loadedStats.push(e.media ? { path, tokens, loads: e.loads, media: true } : { path, tokens, loads: e.loads });
    tokensLoaded += tokens;
    if (table.isUsed(e)) {
      tokensUsed += tokens;
      both += 1;
    } else if (tokens > 0) keepTop(top, path, tokens);
  }
  const filesLoaded = table.loaded.length;
  const inRoot = table.usedInRoot;
  return {
    filesLoaded,
    filesUsed: table.used.length,
    filesLoadedAndUsed: both,
    efficiencyPct: filesLoaded === 0 ? 0 : Math.round((both / filesLoaded) * 1000) / 10,
    tokensLoaded,
    tokensUsed,
    tokensWasted: tokensLoaded - tokensUsed,
    basis: 'measured',
    loaded: loadedStats,
    used: table.used.map((u, i) => (inRoot[i] ? showIn(u) : show(u))),
    topWasted: top,
  };
}

const TOP_WASTED = 10;

/**
 * Keeps `top` the first TOP_WASTED files by tokens (largest first), then path, then order seen:
 * what a stable sort of all of them would start with.
 */
function keepTop(top: { path: string; tokens: number }[], path: string, tokens: number): void {
  let i = top.length;
  for (; i > 0; i--) {
    const t = top[i - 1];
    // goes before `t`: more tokens, or as many and a smaller path (after it when equal: stable)
    if (t === undefined || !(tokens > t.tokens || (tokens === t.tokens && path < t.path))) break;
  }
  if (i >= TOP_WASTED) return;
  top.splice(i, 0, { path, tokens });
  if (top.length > TOP_WASTED) top.pop();
}
