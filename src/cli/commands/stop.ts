import { METHODS } from '../../rpc/protocol.js';
import { COMMON_OPTIONS, parseCommand, printJson, reportError, EXIT } from '../shared.js';
import { resolveTarget, tryConnect } from '../daemon-control.js';
import { socketGone } from '../wait.js';

const spec = {
  name: 'stop',
  usage: 'outloop stop [--json]',
  summary: 'Stop the daemon cleanly (daemon/shutdown) and wait until it is gone.',
  options: { ...COMMON_OPTIONS },
  positionals: { max: 0 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const json = parsed.values.json;
  const target = resolveTarget();
  const client = await tryConnect(target);
  if (!client) {
    if (json) printJson({ stopped: false, running: false });
    else process.stdout.write('outloop daemon is not running\n');
    return EXIT.ok;
  }
  try {
    const status = await client.request(METHODS.daemonStatus, {}, { timeoutMs: 5000 });
    await client.request(METHODS.daemonShutdown, {}, { timeoutMs: 5000 });
    client.close();
    const gone = await socketGone(target.socketPath, 15_000);
    if (!gone) return reportError('stop', new Error(`daemon ${status.pid} did not stop within 15 s`), json);
    if (json) printJson({ stopped: true, pid: status.pid });
    else process.stdout.write(`outloop daemon stopped (pid ${status.pid})\n`);
    return EXIT.ok;
  } catch (e) {
    client.close();
    return reportError('stop', e, json);
  }
}
