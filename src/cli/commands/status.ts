import { COMMON_OPTIONS, parseCommand, printJson, reportError, EXIT } from '../shared.js';
import { fetchStatus, resolveTarget } from '../daemon-control.js';

const spec = {
  name: 'status',
  usage: 'outloop status [--json]',
  summary:
    'Show whether the daemon runs, its pid, socket, state dir and row counts. Never starts it; exit 3 when not running.',
  options: { ...COMMON_OPTIONS },
  positionals: { max: 0 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const target = resolveTarget();
  let status: Awaited<ReturnType<typeof fetchStatus>>;
  try {
    status = await fetchStatus(target);
  } catch (e) {
    return reportError('status', e, parsed.values.json === true);
  }
  if (!status) {
    if (parsed.values.json) printJson({ running: false, socket: target.socketPath, stateDir: target.stateDir });
    else process.stdout.write(`outloop daemon is not running (socket ${target.socketPath})\n`);
    return EXIT.unreachable;
  }
  if (parsed.values.json) {
    printJson(status);
    return EXIT.ok;
  }
  const c = status.counts;
  const lines = [
    `outloop ${status.version}: running (pid ${status.pid}, up ${status.uptimeS} s)`,
    `  socket     ${status.socket}`,
    `  state dir  ${status.stateDir}`,
    `  rows       ${c.hookEvents} hook events, ${c.toolCalls} tool calls, ${c.usageRecords} usage records, ${c.workflowRuns} workflow runs, ${c.patterns} patterns, ${c.quarantined} quarantined`,
    `  ingest     ${status.ingest.trackedFiles} files tracked, ${status.ingest.pendingFiles} pending, lag ${status.ingest.lagMs} ms`,
  ];
  if (status.unpricedModels > 0) lines.push(`  unpriced   ${status.unpricedModelNames.join(', ')} (priced at 0)`);
  if (status.offloadEnabled === false) lines.push("  offload    switched off for every pattern ('outloop offload on')");
  for (const w of status.warnings.slice(-10)) lines.push(`  warning    ${w}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
