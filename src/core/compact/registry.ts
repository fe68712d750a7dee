import { cBuildCompactor } from './c-build.js';
import { cargoTestCompactor } from './cargo-test.js';
import { goBuildCompactor } from './go-build.js';
import { goTestCompactor } from './go-test.js';
import { flake8Compactor } from './flake8.js';
import { mypyCompactor, pyrightCompactor } from './python-check.js';
import { pytestCompactor } from './pytest.js';
import { rustcCompactor } from './rustc.js';
import { biomeFormatCompactor, biomeLintCompactor } from './biome.js';
import { nextBuildCompactor, viteBuildCompactor, webpackCompactor } from './bundlers.js';
import { esbuildCompactor, tsupCompactor } from './esbuild.js';
import { eslintCompactor } from './eslint.js';
import { gitCommitCompactor, gitLosslessCompactor, gitStatusCompactor, gitTransferCompactor } from './git.js';
import {
  bunInstallCompactor,
  npmInstallCompactor,
  pipInstallCompactor,
  pnpmInstallCompactor,
  uvCompactor,
  yarnInstallCompactor,
} from './install.js';
import { prettierCompactor } from './prettier.js';
import { tscCompactor, vueTscCompactor } from './tsc.js';
import { TEST_COMPACTORS } from './test-runners.js';
import type { Compactor } from './types.js';

/**
 * Every dedicated compactor, most specific first: the first whose `matches` (or, for commands that hide
 * their runner, `sniff`) accepts the command and whose `compact` reads the output answers. The generic
 * compactor is not listed; it answers when none of these does.
 */
export const COMPACTORS: readonly Compactor[] = [
  // test runners (vitest, jest, node --test, bun, mocha, playwright, deno)
  ...TEST_COMPACTORS,
  // Python, Go, Rust and C toolchains
  pytestCompactor,
  goTestCompactor,
  goBuildCompactor,
  cargoTestCompactor,
  rustcCompactor,
  mypyCompactor,
  pyrightCompactor,
  flake8Compactor,
  cBuildCompactor,
  // build, lint, format, install and git
  tscCompactor,
  vueTscCompactor,
  viteBuildCompactor,
  nextBuildCompactor,
  webpackCompactor,
  esbuildCompactor,
  tsupCompactor,
  eslintCompactor,
  biomeLintCompactor,
  biomeFormatCompactor,
  prettierCompactor,
  npmInstallCompactor,
  pnpmInstallCompactor,
  yarnInstallCompactor,
  bunInstallCompactor,
  pipInstallCompactor,
  uvCompactor,
  gitStatusCompactor,
  gitLosslessCompactor,
  gitTransferCompactor,
  gitCommitCompactor,
];
