/**
 * Bundles the CommonJS files Node starts as cheaply as `node -e 0`:
 * - dist/cli/outloop.cjs (from dist/cli/entry.js), the package's `bin`: `outloop hook` and `outloop
 *   statusline`, and the dispatch of every other command;
 * - dist/cli/outloop-offload.cjs (from dist/cli/offload-entry.js) beside it: `outloop run` and `outloop
 *   compact`, loaded by the bin only when one of them runs, so the hook's start never parses the compactors.
 * Every other command is left to the ES module entry point (`import('./main.js')`).
 */
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = (name) => fileURLToPath(new URL(`../dist/cli/${name}`, import.meta.url));
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20.19', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: [dist('entry.js')],
  outfile: dist('outloop.cjs'),
  external: ['./main.js', './outloop-offload.cjs'],
});
await build({ ...common, entryPoints: [dist('offload-entry.js')], outfile: dist('outloop-offload.cjs') });
chmodSync(dist('outloop.cjs'), 0o755);
