#!/usr/bin/env node
/**
 * The installed `outloop` binary (bundled by `npm run build` into dist/cli/outloop.cjs).
 *
 * Claude Code runs `outloop hook` for every hook event and `outloop statusline` every few seconds,
 * so those two start from one small CommonJS file that holds nothing else: Node loads it like
 * `node -e 0`, without the ES module loader's start-up cost. Every other command goes on to the
 * ES module entry point (main.ts), which imports each command only when it runs.
 */
import { run as hook } from './commands/hook.js';
import { run as statusline } from './commands/statusline.js';

type Run = (argv: string[]) => Promise<number>;

const HOT: Record<string, Run> = { hook, statusline };

const [name, ...rest] = process.argv.slice(2);
const hot = name === undefined ? undefined : HOT[name];
if (hot) {
  hot(rest).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      // Both commands catch everything themselves; a status line or hook must still exit 0.
      process.exitCode = 0;
    },
  );
} else {
  import('./main.js').catch((e: unknown) => {
    process.stderr.write(`outloop: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
