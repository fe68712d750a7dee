/**
 * Repeated sequences of operations. Within one session the signatures are first collapsed
 * (`a a b` → `a b`: running the same thing twice in a row is one step), then every run of n consecutive
 * steps (n = minN..maxN) is an n-gram. An n-gram made only of `other:*` steps is noise and is dropped, and so
 * is a back-and-forth (`a>b>a`, `a>b>a>b`): it restates the pair `a>b`/`b>a` and names no new work.
 * The daemon counts *distinct sessions* per n-gram (never raw repeats inside one session) and promotes
 * an n-gram once it is seen in at least SEQUENCE_MIN_SESSIONS sessions. Each sighting carries what the
 * sequence cost with the LLM in that session (estimated from the sizes of its calls), which its pattern's
 * uses are priced from.
 */

import { llmUseCost, toolUseTokensEstimate, type UseCost } from './pattern-economics.js';

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

/**
 * Three or more steps that alternate between the same two operations (`a>b>a`, `a>b>a>b`). Dropped when
 * n-grams are generated, so the learner never sights or stores them: the pairs `a>b` and `b>a` already say
 * the two run together, and a failing run retried after an edit is a fix loop (`fix:` patterns, counted by
 * fix-loops), not a sequence. closedSequences drops the ones stored before this rule as well.
 */
export function isBackAndForth(parts: readonly string[]): boolean {
  if (parts.length < 3 || parts[0] === parts[1]) return false;
  return parts.every((p, i) => p === parts[i % 2]);
}

/** One n-gram of a session: its signature and its steps. */
export interface SessionSequence {
  signature: string;
  parts: readonly string[];
}

/**
 * Distinct n-grams of one session's operations, shorter n first, then by position, without all-`other:*`
 * and back-and-forth n-grams.
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
      if (parts.every(isOther) || isBackAndForth(parts)) continue;
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

/** One call of a session as sequence costs see it: its operation (null: not one) and its sizes. */
export interface SequenceCall {
  signature: string | null;
  model: string | null;
  inputBytes: number;
  responseBytes: number;
}

/** A sequence seen in one session, with its estimated LLM cost there. */
export interface SequenceSighting extends SessionSequence {
  tokens: number;
  cost: number;
}

/**
 * The sequences of one session's calls (sessionSequenceGrams over their operations, in call order),
 * each with its estimated cost in the session: the sum over its steps of the largest estimated cost
 * of a call of that operation there (priced from the call's sizes, without the turn around it).
 */
export function sessionSequenceSightings(calls: readonly SequenceCall[]): SequenceSighting[] {
  const ops: string[] = [];
  const costOf = new Map<string, { tokens: number; cost: number }>();
  for (const c of calls) {
    if (c.signature === null) continue;
    ops.push(c.signature);
    const u = llmUseCost({ model: c.model, inputBytes: c.inputBytes, responseBytes: c.responseBytes, turn: null });
    const prev = costOf.get(c.signature);
    if (prev) {
      prev.tokens = Math.max(prev.tokens, u.tokens);
      prev.cost = Math.max(prev.cost, u.costUsd);
    } else costOf.set(c.signature, { tokens: u.tokens, cost: u.costUsd });
  }
  return sessionSequenceGrams(ops).map((gram) => {
    let tokens = 0;
    let cost = 0;
    for (const part of gram.parts) {
      const c = costOf.get(part);
      tokens += c?.tokens ?? 0;
      cost += c?.cost ?? 0;
    }
    return { signature: gram.signature, parts: gram.parts, tokens, cost };
  });
}

/** What a sequence pattern stores for its use in one session. */
export interface SequenceUse {
  cost: UseCost;
  toolTokensEst: number;
}

/**
 * A sequence pattern's use in one session of its sightings: the LLM cost estimated when it was
 * sighted there (0 for a sighting stored without one), and a tool's compact result per step.
 */
export function sequenceUse(sighting: { tokens: number | null; cost: number | null }, steps: number): SequenceUse {
  return {
    cost: { tokens: sighting.tokens ?? 0, costUsd: sighting.cost ?? 0, basis: 'estimated' },
    toolTokensEst: toolUseTokensEstimate(0) * steps,
  };
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

/** What closedSequences reads of a pattern: sessions are its occurrences (one per session for a sequence). */
export interface SequenceSupport {
  signature: string;
  occurrences: number;
  status: string;
}

/** A person's decision keeps a pattern listed whatever the sequences around it. */
const DECIDED = new Set(['approved', 'implemented', 'active', 'rejected', 'deprecated']);
/** Statuses whose sequences stand for the shorter ones they contain. */
const COVERING = new Set(['detected', 'candidate', 'approved', 'implemented', 'active']);

/** Every contiguous run of 2..n-1 steps of `parts`, as signatures. */
function innerSignatures(parts: readonly string[]): string[] {
  const out: string[] = [];
  for (let n = 2; n < parts.length; n++) {
    for (let i = 0; i + n <= parts.length; i++) out.push(sequenceSignature(parts.slice(i, i + n)));
  }
  return out;
}

/**
 * The patterns worth showing and offering, in their order: every non-sequence pattern, and a sequence only
 * when it is closed, i.e. no longer sequence that contains it (as consecutive steps) has the same support.
 * A longer sequence is seen in a subset of the sessions of each sequence it contains, so equal session
 * counts mean the same sessions: the shorter one adds nothing. Back-and-forth sequences (isBackAndForth)
 * are dropped too. Sequences a person has decided on stay. `universe` (default: `patterns`) is where the
 * longer sequences are looked up, so a filtered list keeps the answer of the whole store; rejected and
 * deprecated longer sequences cover nothing.
 */
export function closedSequences<T extends SequenceSupport>(
  patterns: readonly T[],
  universe: readonly SequenceSupport[] = patterns,
): T[] {
  const covered = new Map<string, Set<number>>();
  for (const u of universe) {
    const parts = COVERING.has(u.status) ? sequenceParts(u.signature) : null;
    // a back-and-forth is hidden itself, so it must not hide the pair it repeats
    if (parts === null || parts.length < 3 || isBackAndForth(parts)) continue;
    for (const inner of innerSignatures(parts)) {
      const supports = covered.get(inner) ?? new Set<number>();
      supports.add(u.occurrences);
      covered.set(inner, supports);
    }
  }
  return patterns.filter((p) => {
    const parts = sequenceParts(p.signature);
    if (parts === null || DECIDED.has(p.status)) return true;
    return !isBackAndForth(parts) && !(covered.get(p.signature)?.has(p.occurrences) ?? false);
  });
}
