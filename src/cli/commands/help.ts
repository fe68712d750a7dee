import { EXIT } from '../../core/exit-codes.js';

const TEXT = `outloop: learns the operations AI coding agents repeat and moves them out of the LLM loop.

Usage: outloop <command> [options]      (every command takes --help; most take --json)

Daemon
  start [--watch DIR]...     start the daemon in the background
  stop                       stop it cleanly
  status                     is it running? pid, socket, row counts (exit 3 when not)
  daemon                     run it in the foreground
  tui                        the live terminal UI (auto-starts the daemon)

Capture
  hook                       Claude Code hook command: spools the payload on stdin
  init [--project DIR|--user] [--dry-run]
                             add 'outloop hook' to Claude Code settings
  ingest PATH...             backfill transcripts, hook logs and ADW runs
  statusline                 Claude Code status line command
  quarantine                 lines that could not be parsed, by file and reason

Offload
  run [--pattern SIG] -- CMD run CMD, keep its whole output, print a compact form
  runs show ID | runs list   a kept output, raw; the kept outputs

Answers
  report daily|monthly|session|blocks
  patterns [--status S]      learned operations, confidence and savings
  approve|reject|deprecate ID [--note TEXT]
  analyze [--create-issues]  find automation candidates and file them
  context SESSION|WORKFLOW   what an agent loaded versus used
  context --pattern SIG      the context profile of a pattern
  forecast                   quota forecast and throttle advice
  savings [--replay]         measured savings of offloaded runs; --replay: what compacting history's outputs would save
  preflight TEXT|--file F    start, throttle, split or ask for approval?
  route TEXT [--dry-run]     run a registered tool instead of the LLM?
  tools register|list|enable|disable
  offload on|off [SIG] | status
                             which approved patterns run through 'outloop run'

Offload
  compact --command CMD      compact a command's output read on stdin (--exit-code N)

Exit codes: 0 ok, 1 failure, 2 bad usage, 3 daemon unreachable, 4 already running.
Environment: OUTLOOP_HOME (state dir), OUTLOOP_SOCKET (socket path), OUTLOOP_QUOTA_LIMIT,
  OUTLOOP_OFFLOAD=0 (outloop run shows raw output and keeps nothing).
`;

export async function run(argv: string[]): Promise<number> {
  const topic = argv[0];
  if (topic && topic !== '--help' && topic !== '-h') {
    const { run: sub } = (await import(`./${topic.replace(/[^a-z-]/g, '')}.js`).catch(() => ({ run: null }))) as {
      run: ((a: string[]) => Promise<number>) | null;
    };
    if (sub) return sub(['--help']);
    process.stderr.write(`outloop help: unknown command '${topic}'\n`);
    return EXIT.usage;
  }
  process.stdout.write(TEXT);
  return EXIT.ok;
}
