import { connectOrStart, resolveTarget } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand } from '../shared.js';

const spec = {
  name: 'tui',
  usage: 'outloop tui [--no-autostart]',
  summary:
    'The live terminal UI: patterns, savings, quota risk and the event feed; approve patterns with the keyboard (? for keys). Starts the daemon when it is not running.',
  options: { ...DAEMON_CLIENT_OPTIONS },
  positionals: { max: 0 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(
      "outloop tui: the TUI needs a terminal (stdin and stdout are not one); for scripts use 'outloop status', 'outloop patterns' or 'outloop report' with --json\n",
    );
    return EXIT.usage;
  }
  const target = resolveTarget();
  const autostart = !parsed.values['no-autostart'];
  // React's development build is many times slower per frame; users get the production one.
  process.env['NODE_ENV'] ??= 'production';
  const { runTui } = await import('../../tui/main.js');
  return runTui({ connect: () => connectOrStart(target, autostart) });
}
