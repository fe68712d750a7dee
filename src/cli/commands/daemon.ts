import { runDaemon } from '../../daemon/main.js';
import { COMMON_OPTIONS, parseCommand } from '../shared.js';
import { resolveTarget } from '../daemon-control.js';

const spec = {
  name: 'daemon',
  usage: 'outloop daemon [--watch DIR]...',
  summary: 'Run the daemon in the foreground (logs go to <state dir>/daemon.log). Exit 4 when one is already running.',
  options: { ...COMMON_OPTIONS, watch: { type: 'string', multiple: true } },
  positionals: { max: 0 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const target = resolveTarget();
  const code = await runDaemon({ ...target, watch: parsed.values.watch ?? [], env: process.env });
  return code;
}
