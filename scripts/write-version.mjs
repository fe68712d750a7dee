/**
 * Writes src/core/version.ts from package.json's `version`. `npm run build` runs it before tsc, so
 * `outloop --version` (from the bundled bin or main.js), the daemon's status and the savings replay
 * key all report the version of the package they were built from. The generated file is committed,
 * because `tsc --noEmit` and the tests read src/ without building; it is rewritten only when its
 * text changes, so an unchanged version leaves its modification time alone.
 *
 * `node scripts/write-version.mjs [project-dir]` writes another project's file (the tests use that).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const TARGET = join(ROOT, 'src', 'core', 'version.ts');

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// a semver string: digits, letters, dots, '+' and '-' only, so it goes into a quoted literal as is
if (typeof version !== 'string' || !/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(version)) {
  console.error(`write-version: package.json has no semver "version" (found ${JSON.stringify(version)})`);
  process.exit(1);
}

const text = `/** The package version, generated from package.json by scripts/write-version.mjs (npm run build). */
export const VERSION = '${version}';
`;

let current = null;
try {
  current = readFileSync(TARGET, 'utf8');
} catch {
  // not written yet
}
if (current !== text) writeFileSync(TARGET, text);
