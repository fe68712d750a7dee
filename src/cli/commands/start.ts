import { isAbsolute, resolve } from 'node:path';
import { COMMON_OPTIONS, parseCommand, printJson, reportError, EXIT } from '../shared.js';
import { resolveTarget, startDaemon } from '../daemon-control.js';

const spec = {
  name: 'start',
  usage: 'outloop start [--watch DIR]... [--json]',
  summary: 'Start the daemon in the background; returns once its socket answers. Already running: says so, exit 0.',
  options: { ...COMMON_OPTIONS, watch: { type: 'string', multiple: true } },
  positionals: { max: 0 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const json = parsed.values.json;
  const watch = (parsed.values.watch ?? []).map((w) => (isAbsolute(w) ? w : resolve(w)));
  try {
    const { status, alreadyRunning } = await startDaemon(resolveTarget(), { watch });
    if (json)
      printJson({
        started: !alreadyRunning,
        alreadyRunning,
        pid: status.pid,
        socket: status.socket,
        stateDir: status.stateDir,
      });
    else if (alreadyRunning)
      process.stdout.write(`outloop daemon is already running (pid ${status.pid}, socket ${status.socket})\n`);
    else
      process.stdout.write(
        `outloop daemon started (pid ${status.pid}, socket ${status.socket}, log ${status.stateDir}/daemon.log)\n`,
      );
    return EXIT.ok;
  } catch (e) {
    return reportError('start', e, json);
  }
}
