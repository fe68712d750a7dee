import { compact } from '../../core/compact/index.js';
import { COMMON_OPTIONS, EXIT, parseCommand, printJson, reportError, UsageError } from '../shared.js';

const spec = {
  name: 'compact',
  usage: 'outloop compact --command CMD [--exit-code N] [--json] < output',
  summary:
    "Compacts a command's output read on stdin (stdout and stderr as the agent saw them) into what an agent needs: " +
    'test failures with their locations, counts and the runner summary, or the generic head and tail with repeats ' +
    'collapsed. --json adds the family, raw and compact token counts and the facts read.',
  options: {
    ...COMMON_OPTIONS,
    command: { type: 'string' },
    'exit-code': { type: 'string' },
  },
  positionals: { max: 0 },
} as const;

/** All of stdin as bytes, decoded as UTF-8 with invalid sequences replaced (U+FFFD), never rejected. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

function exitCodeOption(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`--exit-code must be an integer, got '${value}'`);
  return Number(value);
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  try {
    if (v.command === undefined || v.command.trim() === '') throw new UsageError('--command CMD is required');
    const exitCode = exitCodeOption(v['exit-code']);
    const r = compact(v.command, await readStdin(), exitCode);
    if (v.json) {
      printJson({
        family: r.family,
        text: r.text,
        rawTokens: r.rawTokens,
        compactTokens: r.compactTokens,
        facts: r.facts,
      });
    } else process.stdout.write(`${r.text}\n`);
    return EXIT.ok;
  } catch (e) {
    return reportError('compact', e, v.json);
  }
}
