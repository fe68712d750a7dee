/**
 * Bundles dist/cli/entry.js (compiled by tsc) into dist/cli/outloop.cjs, the package's `bin`: one
 * CommonJS file holding `outloop hook`, `outloop statusline` and `outloop run` (its dynamic import is
 * bundled too, initialised only when it runs), which Node starts as cheaply as `node -e 0`. Every
 * other command is left to the ES module entry point (`import('./main.js')`).
 */
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../dist/cli/entry.js', import.meta.url));
const outfile = fileURLToPath(new URL('../dist/cli/outloop.cjs', import.meta.url));

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.19',
  external: ['./main.js'],
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
