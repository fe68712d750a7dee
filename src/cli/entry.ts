#!/usr/bin/env node
/**
 * The installed `outloop` binary (bundled by `npm run build` into dist/cli/outloop.cjs).
 *
 * Claude Code runs `outloop hook` for every hook event, `outloop statusline` every few seconds and
 * `outloop run` for every offloaded command, so those start from CommonJS files that Node loads like
 * `node -e 0`, without the ES module loader's start-up cost: the hook and the status line from this
 * one, `run` and `compact` (with the compactors) from outloop-offload.cjs beside it, loaded only when
 * one of them runs, so the hook's start does not parse them. Every other command goes on to the ES
 * module entry point (main.ts), which imports each command only when it runs.
 */
import { createRequire } from 'node:module';

type Run = (argv: string[]) => Promise<number>;

interface OffloadCommands {
  runCommand: Run;
  compactCommand: Run;
}

/** `run` and `compact` come from outloop-offload.cjs beside this file (see scripts/bundle-bin.mjs). */
const offload =
  (name: keyof OffloadCommands): Run =>
  (argv) =>
    (createRequire(__filename)('./outloop-offload.cjs') as OffloadCommands)[name](argv);

/**
 * Each command's modules are bundled into this file but evaluated only when that command runs, so the
 * hook never sets up the status line's socket client, nor the status line the hook's offload rules.
 */
const HOT: Record<string, Run> = {
  hook: async (argv) => (await import('./commands/hook.js')).run(argv),
  statusline: async (argv) => (await import('./commands/statusline.js')).run(argv),
  run: offload('runCommand'),
  compact: offload('compactCommand'),
};

const [name, ...rest] = process.argv.slice(2);
const hot = name === undefined ? undefined : HOT[name];
if (hot) {
  hot(rest).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      // hook and statusline catch everything themselves and must exit 0; run and compact report their own failures
      process.exitCode = name === 'run' || name === 'compact' ? 1 : 0;
    },
  );
} else {
  import('./main.js').catch((e: unknown) => {
    process.stderr.write(`outloop: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
