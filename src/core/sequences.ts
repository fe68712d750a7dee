/**
 * Repeated sequences of operations. Within one session the signatures are first collapsed
 * (`a a b` → `a b`: running the same thing twice in a row is one step), then every run of n consecutive
 * steps (n = minN..maxN) is an n-gram. An n-gram made only of `other:*` steps is noise and is dropped.
 * The daemon counts *distinct sessions* per n-gram (never raw repeats inside one session) and promotes
 * an n-gram once it is seen in at least SEQUENCE_MIN_SESSIONS sessions.
 */

export const SEQUENCE_MIN_SESSIONS = 3;
export const SEQUENCE_PREFIX = 'seq:';
export const SEQUENCE_JOINER = '>';

const isOther = (sig: string): boolean => sig.startsWith('other:');

/** `seq:a>b>c` for the given step signatures. */
export function sequenceSignature(parts: readonly string[]): string {
  return SEQUENCE_PREFIX + parts.join(SEQUENCE_JOINER);
}

/** The step signatures of a `seq:` signature, or null when it is not one. */
export function sequenceParts(signature: string): string[] | null {
  if (!signature.startsWith(SEQUENCE_PREFIX)) return null;
  const parts = signature.slice(SEQUENCE_PREFIX.length).split(SEQUENCE_JOINER);
  return parts.length >= 2 && parts.every((p) => p !== '') ? parts : null;
}

/** One n-gram of a session: its signature and its steps. */
export interface SessionSequence {
  signature: string;
  parts: readonly string[];
}

/**
 * Distinct n-grams of one session's operations, shorter n first, then by position.
 * minN is raised to 2 (one step is not a sequence); an empty range gives []. Empty signatures are ignored.
 */
export function sessionSequenceGrams(ops: readonly string[], minN = 2, maxN = 5): SessionSequence[] {
  const lo = Math.max(2, Math.floor(minN));
  const hi = Math.floor(maxN);
  const steps: string[] = [];
  for (const op of ops) {
    if (op !== '' && op !== steps[steps.length - 1]) steps.push(op);
  }
  const seen = new Set<string>();
  const out: SessionSequence[] = [];
  for (let n = lo; n <= hi && n <= steps.length; n++) {
    for (let i = 0; i + n <= steps.length; i++) {
      const parts = steps.slice(i, i + n);
      if (parts.every(isOther)) continue;
      const signature = sequenceSignature(parts);
      if (!seen.has(signature)) {
        seen.add(signature);
        out.push({ signature, parts });
      }
    }
  }
  return out;
}

/** The signatures of sessionSequenceGrams, in its order. */
export function sessionSequences(ops: readonly string[], minN = 2, maxN = 5): string[] {
  return sessionSequenceGrams(ops, minN, maxN).map((g) => g.signature);
}

/** Number of distinct sessions each sequence occurs in (a session counts once however often it repeats). */
export function countSequenceSessions(sessions: Iterable<readonly string[]>, minN = 2, maxN = 5): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ops of sessions) {
    for (const sig of sessionSequences(ops, minN, maxN)) counts.set(sig, (counts.get(sig) ?? 0) + 1);
  }
  return counts;
}

/** Sequences seen in at least `minSessions` distinct sessions, most sessions first, then by signature. */
export function promotedSequences(
  counts: ReadonlyMap<string, number>,
  minSessions = SEQUENCE_MIN_SESSIONS,
): { signature: string; sessions: number }[] {
  return [...counts]
    .filter(([, n]) => n >= minSessions)
    .map(([signature, sessions]) => ({ signature, sessions }))
    .sort((a, b) => b.sessions - a.sessions || (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0));
}
