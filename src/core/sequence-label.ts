/**
 * Display labels for patterns: a sequence signature (`seq:git:status:all>typecheck:tsc:all>test:vitest:all`)
 * is long and near-duplicates share their first steps, so a narrow column showed the same text for several
 * rows. Labels name each step briefly (`git status → tsc → vitest`) and, among a list, leave out the leading
 * steps a sequence shares with another one so its distinguishing steps come first (`… vitest (3 steps)`).
 * The signature stays the key; labels are for display only.
 */
import { namesItsCategory } from './operation.js';
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

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** A sequence labelled without its first `skip` steps. */
function labelFrom(parts: readonly string[], skip: number): string {
  const shown = parts.slice(skip).map(stepLabel).join(STEP_ARROW);
  return skip === 0 ? shown : `… ${shown} (${parts.length} steps)`;
}

/** The last index before `skip` where the step lists do not all agree (-1: none). */
function lastDifference(lists: readonly (readonly string[])[], skip: number): number {
  for (let i = skip - 1; i >= 0; i--) {
    const first = lists[0]?.[i];
    if (lists.some((l) => l[i] !== first)) return i;
  }
  return -1;
}

/** How many leading steps each sequence shares with another one of the list (at most all but its last). */
function sharedStarts(seqs: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  // sorted step lists: the longest shared start of each is with a neighbour
  const sorted = [...seqs].sort(([, a], [, b]) => compareSteps(a, b));
  const out = new Map<string, number>();
  sorted.forEach(([sig, parts], i) => {
    const before = sorted[i - 1]?.[1];
    const after = sorted[i + 1]?.[1];
    const shared = Math.max(before ? commonPrefix(parts, before) : 0, after ? commonPrefix(parts, after) : 0);
    out.set(sig, Math.min(shared, parts.length - 1));
  });
  return out;
}

/**
 * Labels for a list of signatures (duplicates allowed), keyed by signature. A sequence sharing its first
 * k steps with another sequence of the list is labelled from step k+1 on with its length (`… vitest
 * (3 steps)`), so rows that start alike differ in their first characters; the others get sequenceLabel.
 * Equal labels (the same ending and length after different starts) show the steps from the last one where
 * their starts differ; signatures whose step names are equal keep their signatures.
 */
export function patternLabels(signatures: Iterable<string>): Map<string, string> {
  const seqs = new Map<string, string[]>();
  const out = new Map<string, string>();
  for (const sig of signatures) {
    const parts = sequenceParts(sig);
    if (parts === null) out.set(sig, sig);
    else seqs.set(sig, parts);
  }
  const skips = sharedStarts(seqs);
  for (let changed = true; changed;) {
    changed = false;
    const holders = new Map<string, string[]>();
    for (const [sig, parts] of seqs) {
      const label = labelFrom(parts, skips.get(sig) ?? 0);
      out.set(sig, label);
      holders.set(label, [...(holders.get(label) ?? []), sig]);
    }
    for (const sigs of holders.values()) {
      if (sigs.length < 2) continue;
      // equal labels have equal lengths and skips: their starts differ somewhere before the skip
      const skip = skips.get(sigs[0] ?? '') ?? 0;
      const at = lastDifference(
        sigs.map((sig) => seqs.get(sig) ?? []),
        skip,
      );
      for (const sig of sigs) {
        if (at >= 0) skips.set(sig, at);
        else out.set(sig, sig);
      }
      changed ||= at >= 0;
    }
  }
  return out;
}

function compareSteps(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
