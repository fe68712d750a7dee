/**
 * Display labels for patterns: a sequence signature (`seq:git:status:all>typecheck:tsc:all>test:vitest:all`)
 * is long and near-duplicates share their first steps, so a narrow column showed the same text for several
 * rows. Labels name each step briefly (`git status → tsc → vitest`) and, among a list, abbreviate the leading
 * steps rows share so their distinguishing steps come into view (`… → vitest → eslint`). The signature
 * stays the key; labels are for display only.
 */
import { namesItsCategory } from './operation-words.js';
import { sequenceParts } from './sequences.js';

export const STEP_ARROW = ' → ';

/** Categories whose subcategory names the operation on its own. */
const SELF_NAMED = new Set(['other', 'script', 'deps']);

/**
 * A step's short name: `git status`, `gh pr`, the program for single-purpose tools (`vitest`, `tsc`), the
 * subcategory when it already says the category (`npm-test`), else subcategory and category (`ruff lint`,
 * `cargo test`); `@target` unless the target is all.
 */
export function stepLabel(signature: string): string {
  const [cat = '', sub = '', target = 'all'] = signature.split(':');
  let name: string;
  if (cat === 'git') name = `git ${sub}`;
  else if (cat === 'github') name = `gh ${sub}`;
  else if (SELF_NAMED.has(cat) || namesItsCategory(sub, cat) || sub.split('-').includes(cat)) name = sub;
  else name = `${sub} ${cat}`;
  return target === 'all' || target === '' ? name : `${name}@${target}`;
}

/** `git status → tsc → vitest` for a sequence signature; any other signature as it is. */
export function sequenceLabel(signature: string): string {
  const parts = sequenceParts(signature);
  return parts === null ? signature : parts.map(stepLabel).join(STEP_ARROW);
}

/**
 * The shortest start of each name that no other name in `names` starts with (at least 3 characters, and
 * the whole name when it is a start of another): `git status`, `git diff` → `git s`, `git d`.
 */
function uniqueStarts(names: ReadonlySet<string>): Map<string, string> {
  const all = [...names];
  const out = new Map<string, string>();
  for (const name of all) {
    let n = Math.min(3, name.length);
    while (n < name.length && all.some((o) => o !== name && o.startsWith(name.slice(0, n)))) n++;
    out.set(name, n < name.length ? `${name.slice(0, n)}…` : name);
  }
  return out;
}

/** Steps at their levels (0 whole, 1 short, 2 left out); runs of left-out steps read as one `…`. */
function render(names: readonly string[], levels: readonly number[], short: ReadonlyMap<string, string>): string {
  const out: string[] = [];
  names.forEach((name, i) => {
    const level = levels[i] ?? 0;
    if (level === 0) out.push(name);
    else if (level === 1) out.push(short.get(name) ?? name);
    else if (out[out.length - 1] !== '…') out.push('…');
  });
  return out.join(STEP_ARROW);
}

/** What a column `width` wide shows of `text` (it cuts long text to width - 1 characters and `…`). */
function shown(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1));
}

/** The first step index where the step lists do not all agree (a shorter list disagrees where it ends). */
function firstDifference(lists: readonly (readonly string[])[]): number {
  const longest = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) {
    const first = lists[0]?.[i];
    if (lists.some((l) => l[i] !== first)) return i;
  }
  return longest;
}

/**
 * One level shorter for the leftmost step before `d`: every such step is shortened before any is left out,
 * and a `kept` step (one that told rows apart) is never left out.
 */
function shorten(levels: number[], d: number, kept: ReadonlySet<number>): boolean {
  for (const level of [0, 1]) {
    const i = levels.findIndex((l, at) => at < d && l === level && (level === 0 || !kept.has(at)));
    if (i >= 0) {
      levels[i] = level + 1;
      return true;
    }
  }
  return false;
}

/**
 * Labels for a list of signatures (duplicates allowed), keyed by signature, such that rows read apart in
 * a column `width` wide. A sequence starts as sequenceLabel (`git status → tsc → vitest`); while several
 * read the same in the column, the steps they share before their first difference are shortened, leftmost
 * first, to their shortest distinct start (`git s… → tsc → eslint`), and then, if still needed, left out
 * (`… → tsc → eslint`), so the distinguishing steps move into view. Sequences whose steps have the same
 * names keep their signatures.
 */
export function patternLabels(signatures: Iterable<string>, width = Infinity): Map<string, string> {
  const steps = new Map<string, string[]>();
  const out = new Map<string, string>();
  for (const sig of signatures) {
    const parts = sequenceParts(sig);
    if (parts === null) out.set(sig, sig);
    else steps.set(sig, parts.map(stepLabel));
  }
  const byName = new Map<string, string[]>();
  for (const [sig, names] of steps) {
    const key = names.join(STEP_ARROW);
    byName.set(key, [...(byName.get(key) ?? []), sig]);
  }
  for (const sigs of byName.values()) {
    if (sigs.length < 2) continue;
    for (const sig of sigs) {
      steps.delete(sig);
      out.set(sig, sig);
    }
  }
  const short = uniqueStarts(new Set([...steps.values()].flat()));
  const levels = new Map([...steps].map(([sig, names]) => [sig, names.map(() => 0)]));
  const kept = new Map<string, Set<number>>();
  for (let changed = true; changed;) {
    changed = false;
    const groups = new Map<string, string[]>();
    for (const [sig, names] of steps) {
      const label = render(names, levels.get(sig) ?? [], short);
      out.set(sig, label);
      const key = shown(label, width);
      groups.set(key, [...(groups.get(key) ?? []), sig]);
    }
    for (const sigs of groups.values()) {
      if (sigs.length < 2) continue;
      const d = firstDifference(sigs.map((sig) => steps.get(sig) ?? []));
      for (const sig of sigs) {
        const lv = levels.get(sig) ?? [];
        const keep = kept.get(sig) ?? new Set<number>();
        kept.set(sig, keep);
        if (lv[d] === 2) {
          // the step that tells these rows apart was left out for another group: it comes back, short
          lv[d] = 1;
          keep.add(d);
          changed = true;
        } else changed = shorten(lv, d, keep) || changed;
      }
    }
  }
  return out;
}
