/**
 * Covering globs for context profiles: the few globs that would load the files an operation uses
 * and nothing it loaded in vain.
 *
 * Glob syntax (what `globMatches` understands): `/`-separated segments; `**` is zero or more whole
 * segments; `*` is any run of characters inside one segment; `?` is one character. Everything else
 * is literal. Drive and UNC paths compare case-insensitively.
 */
import { dirOf, extOf, isWindowsPath, normalizePath } from './paths.js';

const regexCache = new Map<string, RegExp>();

function segmentRegex(seg: string): RegExp {
  const hit = regexCache.get(seg);
  if (hit) return hit;
  let src = '';
  for (const ch of seg) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  const re = new RegExp(`^${src}$`, 'u');
  if (regexCache.size > 4096) regexCache.clear();
  regexCache.set(seg, re);
  return re;
}

function matchFrom(g: readonly string[], gi: number, p: readonly string[], pi: number): boolean {
  if (gi === g.length) return pi === p.length;
  const seg = g[gi] ?? '';
  if (seg === '**') {
    for (let k = pi; k <= p.length; k++) if (matchFrom(g, gi + 1, p, k)) return true;
    return false;
  }
  const part = p[pi];
  if (part === undefined || !segmentRegex(seg).test(part)) return false;
  return matchFrom(g, gi + 1, p, pi + 1);
}

function splitPath(p: string): string[] {
  if (p.startsWith('/')) return ['', ...p.slice(1).split('/')];
  return p.split('/');
}

/** Does `glob` match `path`? The path is normalized first (`./`, backslashes, `..`). */
export function globMatches(glob: string, path: string): boolean {
  let g = glob.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  let p = normalizePath(path);
  if (isWindowsPath(p) || isWindowsPath(g)) {
    g = g.toLowerCase();
    p = p.toLowerCase();
  }
  return matchFrom(splitPath(g), 0, splitPath(p), 0);
}

type Kind = 'flat' | 'deep-ext' | 'deep' | 'exact';
/** Preference among candidates that cover as many files from equally deep bases. */
const KIND_RANK: Record<Kind, number> = { flat: 0, 'deep-ext': 1, deep: 2, exact: 3 };

interface Candidate {
  glob: string;
  kind: Kind;
  /** '' for the root of a relative tree */
  base: string;
}

function dirKey(p: string): string {
  const d = dirOf(p);
  return d === '.' ? '' : d;
}

function join(base: string, rest: string): string {
  if (base === '') return rest;
  return base.endsWith('/') ? base + rest : `${base}/${rest}`;
}

function ancestors(dir: string): string[] {
  const out: string[] = [dir];
  let d = dir;
  while (d !== '' && d !== '/' && !/^[a-z]:\/$/.test(d) && d !== '//') {
    const parent = dirKey(d);
    if (parent === d) break;
    out.push(parent);
    d = parent;
  }
  return out;
}

function depth(base: string): number {
  return base === '' ? 0 : base.split('/').filter((s) => s !== '').length + 1;
}

function isUnder(dir: string, base: string): boolean {
  if (base === '') return !dir.startsWith('/') && !/^[a-z]:\//.test(dir);
  return dir === base || dir.startsWith(base.endsWith('/') ? base : `${base}/`);
}

/** Does the candidate reach into `dir` (could it load files that live directly in `dir`)? */
function reaches(c: Candidate, dir: string): boolean {
  if (c.kind === 'exact') return false;
  if (c.kind === 'flat') return dir === c.base;
  return isUnder(dir, c.base);
}

function candidatesFor(file: string): Candidate[] {
  const dir = dirKey(file);
  const ext = extOf(file);
  const out: Candidate[] = [{ glob: file, kind: 'exact', base: dir }];
  if (ext !== '') out.push({ glob: join(dir, `*.${ext}`), kind: 'flat', base: dir });
  for (const a of ancestors(dir)) {
    if (ext !== '') out.push({ glob: join(a, `**/*.${ext}`), kind: 'deep-ext', base: a });
    out.push({ glob: join(a, '**'), kind: 'deep', base: a });
  }
  return out;
}

/**
 * The smallest set of globs (`dir/**\/*.ext`, `dir/**`, `dir/*.ext` or exact paths) that covers
 * every `used` path while matching no `avoid` path and reaching no "unused directory" (a directory
 * that directly holds an avoid path and no used path). Exact paths always satisfy both rules, so
 * the rules are strict. Greedy set cover: repeatedly take the allowed glob covering the most
 * still-uncovered files (ties: deeper base, then `*.ext` over `**\/*.ext` over `**`); once no glob
 * covers two or more, the rest are listed as exact paths. Globs made redundant are dropped; the
 * result is sorted. Paths present in both lists count as used.
 */
export function coveringGlobs(used: readonly string[], avoid: readonly string[]): string[] {
  const usedSet = [...new Set(used.map((p) => normalizePath(p)))];
  const usedKeys = new Set(usedSet);
  const avoidSet = [...new Set(avoid.map((p) => normalizePath(p)))].filter((p) => !usedKeys.has(p));
  const usedDirs = new Set(usedSet.map(dirKey));
  const unusedDirs = [...new Set(avoidSet.map(dirKey))].filter((d) => !usedDirs.has(d));

  const byGlob = new Map<string, Candidate>();
  for (const f of usedSet) for (const c of candidatesFor(f)) byGlob.set(c.glob, c);
  const allowed = [...byGlob.values()].filter(
    (c) => !avoidSet.some((a) => globMatches(c.glob, a)) && !unusedDirs.some((d) => reaches(c, d)),
  );
  const covers = new Map<string, string[]>();
  for (const c of allowed)
    covers.set(
      c.glob,
      usedSet.filter((f) => globMatches(c.glob, f)),
    );

  const uncovered = new Set(usedSet);
  const chosen: Candidate[] = [];
  while (uncovered.size > 0) {
    let best: Candidate | null = null;
    let bestCount = 0;
    for (const c of allowed) {
      const n = (covers.get(c.glob) ?? []).filter((f) => uncovered.has(f)).length;
      if (n > bestCount || (n === bestCount && n > 0 && best !== null && better(c, best))) {
        best = c;
        bestCount = n;
      }
    }
    if (best === null || bestCount < 2) {
      for (const f of uncovered) chosen.push({ glob: f, kind: 'exact', base: dirKey(f) });
      break;
    }
    for (const f of covers.get(best.glob) ?? []) uncovered.delete(f);
    chosen.push(best);
  }
  return dropRedundant(chosen, usedSet).sort();
}

function better(a: Candidate, b: Candidate): boolean {
  if (depth(a.base) !== depth(b.base)) return depth(a.base) > depth(b.base);
  if (KIND_RANK[a.kind] !== KIND_RANK[b.kind]) return KIND_RANK[a.kind] < KIND_RANK[b.kind];
  return a.glob < b.glob;
}

function dropRedundant(chosen: Candidate[], used: readonly string[]): string[] {
  const keep = chosen.map((c) => c.glob);
  for (const g of [...keep]) {
    const others = keep.filter((o) => o !== g);
    const mine = used.filter((f) => globMatches(g, f));
    if (mine.every((f) => others.some((o) => globMatches(o, f)))) keep.splice(keep.indexOf(g), 1);
  }
  return keep;
}
