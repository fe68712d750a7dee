/** The test-runner compactors (family `test`), in the order the registry tries them. */
import { bunTestCompactor } from './bun-test.js';
import { denoTestCompactor } from './deno-test.js';
import { jestCompactor } from './jest.js';
import { mochaCompactor } from './mocha.js';
import { nodeTestCompactor } from './node-test.js';
import { playwrightCompactor } from './playwright.js';
import type { Compactor } from './types.js';
import { vitestCompactor } from './vitest.js';

export const TEST_COMPACTORS: readonly Compactor[] = [
  vitestCompactor,
  jestCompactor,
  nodeTestCompactor,
  bunTestCompactor,
  mochaCompactor,
  playwrightCompactor,
  denoTestCompactor,
];
