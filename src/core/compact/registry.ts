import { TEST_COMPACTORS } from './test-runners.js';
import type { Compactor } from './types.js';

/**
 * Every dedicated compactor, most specific first: the first whose `matches` (or, for commands that hide
 * their runner, `sniff`) accepts the command and whose `compact` reads the output answers. The generic
 * compactor is not listed; it answers when none of these does.
 */
export const COMPACTORS: readonly Compactor[] = [...TEST_COMPACTORS];
