/**
 * Which compactor family a learned pattern would be offloaded as, or null when it cannot be offloaded.
 *
 * Only command patterns (one Bash operation) qualify; sequences, fix loops and workflows never do. The
 * family is, in order:
 * 1. `familyOf(example)` of the first stored example a dedicated compactor knows (not `generic`);
 * 2. else the signature's category: test → test, build and typecheck → build, lint → lint,
 *    format → format, deps → install, git → git. Those categories are the ones the compactor families
 *    are made for, so a runner the compactors do not recognise by name (`make test`, `npm test`) is
 *    still offloaded under its category's family and `compact()` picks the compactor by the output
 *    (sniff) or falls back to the generic one;
 * 3. else null: a command that only the generic compactor would read is not worth offloading.
 */
import { familyOf, type CompactFamily } from '../compact/index.js';
import type { PatternKind, PatternStatus } from '../types.js';

/** Statuses in which a person has approved the pattern: only these are ever offloaded. */
export const OFFLOADABLE_STATUSES: readonly PatternStatus[] = ['approved', 'implemented', 'active'];

const CATEGORY_FAMILY: Readonly<Record<string, CompactFamily>> = {
  test: 'test',
  build: 'build',
  typecheck: 'build',
  lint: 'lint',
  format: 'format',
  deps: 'install',
  git: 'git',
};

export interface FamilyInput {
  kind: PatternKind;
  signature: string;
  examples: readonly string[];
}

export function offloadFamily(p: FamilyInput): CompactFamily | null {
  if (p.kind !== 'command') return null;
  for (const ex of p.examples) {
    const f = familyOf(ex);
    if (f !== 'generic') return f;
  }
  const category = p.signature.slice(0, p.signature.indexOf(':'));
  return Object.hasOwn(CATEGORY_FAMILY, category) ? (CATEGORY_FAMILY[category] ?? null) : null;
}
