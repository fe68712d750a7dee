#!/usr/bin/env node
/**
 * The installed `outloop` binary (bundled by `npm run build` into dist/cli/outloop.cjs).
 *
 * Claude Code runs `outloop hook` for every hook event, `outloop statusline` every few seconds and
 * `outloop run` for every offloaded command, so those three start from one small CommonJS file that
 * holds nothing else: Node loads it like `node -e 0`, without the ES module loader's start-up cost.
 * `run` (compactors and operation rules) is initialised only when it runs, so the hook's start does
 * not pay for it. Every other command goes on to the ES module entry point (main.ts), which imports
 * each command only when it runs.
 */
import { run as hook } from './commands/hook.js';
import { run as statusline } from './commands/statusline.js';

type Run = (argv: string[]) => Promise<number>;

const HOT: Record<string, Run> = {
  hook,
  statusline,
  run: (argv) => import('./commands/run.js').then((m) => m.run(argv)),
};

const [name, ...rest] = process.argv.slice(2);
const hot = name === undefined ? undefined : HOT[name];
if (hot) {
  hot(rest).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      // hook and statusline catch everything themselves and must exit 0; run reports its own failures
      process.exitCode = name === 'run' ? 1 : 0;
    },
  );
} else {
  import('./main.js').catch((e: unknown) => {
    process.stderr.write(`outloop: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
