#!/usr/bin/env node
/**
 * The `outloop` entry point. Kept tiny: each command module is imported only when it runs, so
 * `outloop hook` and `outloop statusline` start as fast as bare node.
 */
type CommandModule = { run: (argv: string[]) => Promise<number> };

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  hook: () => import('./commands/hook.js'),
  init: () => import('./commands/init.js'),
  start: () => import('./commands/start.js'),
  stop: () => import('./commands/stop.js'),
  status: () => import('./commands/status.js'),
  daemon: () => import('./commands/daemon.js'),
  ingest: () => import('./commands/ingest.js'),
  report: () => import('./commands/report.js'),
  context: () => import('./commands/context.js'),
  patterns: () => import('./commands/patterns.js'),
  approve: () => import('./commands/approve.js'),
  reject: () => import('./commands/reject.js'),
  deprecate: () => import('./commands/deprecate.js'),
  analyze: () => import('./commands/analyze.js'),
  tui: () => import('./commands/tui.js'),
  demo: () => import('./commands/demo.js'),
  tools: () => import('./commands/tools.js'),
  offload: () => import('./commands/offload.js'),
  route: () => import('./commands/route.js'),
  preflight: () => import('./commands/preflight.js'),
  quarantine: () => import('./commands/quarantine.js'),
  forecast: () => import('./commands/forecast.js'),
  savings: () => import('./commands/savings.js'),
  statusline: () => import('./commands/statusline.js'),
  run: () => import('./commands/run.js'),
  runs: () => import('./commands/runs.js'),
  compact: () => import('./commands/compact.js'),
  help: () => import('./commands/help.js'),
};

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  let key = name ?? 'help';
  if (key === '--help' || key === '-h') key = 'help';
  if (key === '--version' || key === '-v' || key === 'version') {
    const { VERSION } = await import('../core/version.js');
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const load = COMMANDS[key];
  if (!load) {
    const message = `unknown command '${key}'. Run 'outloop help' for the list.`;
    // like every command's errors: with --json, the error document on stdout too
    if (rest.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ error: { type: 'invalid_argument', message, code: 2 } }, null, 2)}\n`);
    }
    process.stderr.write(`outloop: ${message}\n`);
    process.exitCode = 2;
    return;
  }
  const mod = await load();
  process.exitCode = await mod.run(rest);
}

main().catch((e: unknown) => {
  process.stderr.write(`outloop: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
