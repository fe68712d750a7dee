import { METHODS } from '../../rpc/protocol.js';
import { COMMON_OPTIONS, parseCommand, printJson, reportError, EXIT } from '../shared.js';
import { resolveTarget, tryConnect } from '../daemon-control.js';
import { processExited, socketGone } from '../wait.js';

const spec = {
  name: 'stop',
  usage: 'outloop stop [--json]',
  summary: 'Stop the daemon cleanly (daemon/shutdown) and wait until its process has exited.',
  options: { ...COMMON_OPTIONS },
  positionals: { max: 0 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const json = parsed.values.json;
  const target = resolveTarget();
  let client: Awaited<ReturnType<typeof tryConnect>>;
  try {
    client = await tryConnect(target);
  } catch (e) {
    return reportError('stop', e, json);
  }
  if (!client) {
    if (json) printJson({ stopped: false, running: false });
    else process.stdout.write('outloop daemon is not running\n');
    return EXIT.ok;
  }
  try {
    const status = await client.request(METHODS.daemonStatus, {}, { timeoutMs: 5000 });
    await client.request(METHODS.daemonShutdown, {}, { timeoutMs: 5000 });
    client.close();
    // The socket goes first; the process exits after it has closed the database and released the
    // lock, and only then may a new daemon start for this state dir.
    const deadline = Date.now() + 15_000;
    const gone =
      (await socketGone(target.socketPath, 15_000)) && (await processExited(status.pid, deadline - Date.now()));
    if (!gone) return reportError('stop', new Error(`daemon ${status.pid} did not stop within 15 s`), json);
    if (json) printJson({ stopped: true, pid: status.pid });
    else process.stdout.write(`outloop daemon stopped (pid ${status.pid})\n`);
    return EXIT.ok;
  } catch (e) {
    client.close();
    return reportError('stop', e, json);
  }
}
