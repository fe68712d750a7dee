/**
 * The commands of offloaded work, bundled by `npm run build` into dist/cli/outloop-offload.cjs beside the
 * `outloop` binary: `outloop run` (every offloaded command) and `outloop compact`. They carry the compactors
 * and the operation rules, which the hook and the status line never need, so they live in a file of their
 * own that the binary loads only when one of them runs.
 */
export { run as runCommand } from './commands/run.js';
export { run as compactCommand } from './commands/compact.js';
