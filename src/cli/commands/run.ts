/**
 * `outloop run [--pattern SIG] -- COMMAND...`: runs the words after `--`, joined with spaces, as
 * `bash -c STRING` (as Claude Code's Bash tool would), keeps the whole output in
 * `<state dir>/runs/<id>.log`, prints its compact form and exits with the command's status.
 *
 * - `--pattern SIG` (what the PreToolUse hook writes): runs only the approved operation SIG (see
 *   run/gate.ts); anything else is refused unrun, exit 126, one line on stderr.
 * - `OUTLOOP_OFFLOAD=0`: the command runs untouched with its raw output; nothing kept or reported.
 * - After the command: one `run` envelope in the spool (the daemon turns it into a tool call and a
 *   measured saving), then old logs are pruned (run/retention.ts).
 * - `--pattern` is checked before anything else, OUTLOOP_OFFLOAD=0 included: the wrapper never runs
 *   a command that was not approved, whatever the environment says.
 *
 * On the hot path (bundled into dist/cli/outloop-offload.cjs): imports core/compact, core/offload,
 * core/records/spool-envelope, rpc/paths, src/cli/spool.ts, src/cli/run/ and node builtins only; the operation
 * rules (core/learning/operation, through run/gate.ts) load only for `--pattern`.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { compact, textTokens } from '../../core/compact/index.js';
import type { RunReport } from '../../core/offload/offload-file.js';
import { readRunArgs } from '../../core/offload/run-wrap.js';
import { runEnvelopeLine } from '../../core/records/spool-envelope.js';
import { resolveStateDir, spoolDir } from '../../rpc/paths.js';
import { runCommand, type Ended } from '../run/capture.js';
import { OutputCollector, type Collected } from '../run/collector.js';
import { createRunLog, newRunId } from '../run/log-store.js';
import { pruneDue, pruneRuns, readRetention } from '../run/retention.js';
import { writeSpoolFile } from '../spool.js';

const USAGE = `Usage: outloop run [--pattern SIG] [--json] -- COMMAND...

Runs COMMAND (its words joined with spaces) with bash -c, keeps the whole output in
<state dir>/runs/<id>.log and prints a compact form; exits with the command's status.
With --pattern, runs only the offloaded operation SIG (else exit 126, not run).
OUTLOOP_OFFLOAD=0 runs the command with its raw output and keeps nothing.
See a kept log with 'outloop runs show ID'.
`;

/** Exit status of a refusal: the command was not run (as a shell says of a command it cannot execute). */
export const REFUSED = 126;

export async function run(argv: string[]): Promise<number> {
  const args = readRunArgs(argv);
  if (args?.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args === null) {
    process.stderr.write(`outloop run: expected a command after the options\n\n${USAGE}`);
    return 2;
  }
  const stateDir = resolveStateDir(process.env);
  const cwd = process.cwd();
  const why = args.pattern === null ? null : await refusal(args.command, args.pattern, stateDir, cwd);
  if (why !== null) {
    if (args.json)
      process.stdout.write(`${JSON.stringify({ error: { type: 'refused', message: why, code: REFUSED } })}\n`);
    process.stderr.write(`outloop run: refused, not run: ${why}\n`);
    return REFUSED;
  }
  if (process.env['OUTLOOP_OFFLOAD'] === '0') return (await runCommand(args.command, null)).exitCode;
  const id = newRunId();
  let fd: number;
  try {
    fd = createRunLog(stateDir, id);
  } catch (e) {
    process.stderr.write(`outloop run: cannot keep the log (${(e as Error).message}); output shown raw\n`);
    return (await runCommand(args.command, null)).exitCode;
  }
  const collector = new OutputCollector(fd);
  const startedAt = new Date();
  const ended = await runCommand(args.command, (chunk) => collector.add(chunk));
  const endedAt = new Date();
  try {
    const report = finish({ ...args, id, cwd, startedAt, endedAt, ended, out: collector.finish() });
    keep(stateDir, id, report);
  } catch (e) {
    logError(stateDir, e);
  }
  return ended.exitCode;
}

/** Why `command` may not run for `pattern`, or null when it may. */
async function refusal(command: string, pattern: string, stateDir: string, cwd: string): Promise<string | null> {
  // the operation rules load only here: a run without --pattern does not pay for them
  const { checkPattern } = await import('../run/gate.js');
  const gate = checkPattern(command, pattern, stateDir, cwd);
  return gate.ok ? null : gate.reason;
}

interface Finished {
  id: string;
  command: string;
  pattern: string | null;
  json: boolean;
  cwd: string;
  startedAt: Date;
  endedAt: Date;
  ended: Ended;
  out: Collected;
}

/** Compacts the output, prints it, and returns the report of the run. */
function finish(f: Finished): RunReport {
  const result = compact(f.command, f.out.text, f.ended.exitCode, { seeAll: `outloop runs show ${f.id}` });
  const notes = [result.text];
  if (f.out.leftOut > 0)
    notes.push(
      `[outloop: this summary read only the start and the end of ${f.out.rawBytes} bytes of output; ` +
        `${f.out.leftOut} bytes between them are only in the log]`,
    );
  if (f.out.logProblem) notes.push(`[outloop: the kept log is incomplete: ${f.out.logProblem}]`);
  const text = notes.join('\n');
  const report: RunReport = {
    id: f.id,
    signature: f.pattern,
    command: f.command,
    cwd: f.cwd,
    exitCode: f.ended.exitCode,
    signal: f.ended.signal,
    startedAt: f.startedAt.toISOString(),
    endedAt: f.endedAt.toISOString(),
    durationMs: Math.max(0, f.endedAt.getTime() - f.startedAt.getTime()),
    family: result.family,
    tool: result.tool,
    rawBytes: f.out.rawBytes,
    // both sides measured alike: ceil(bytes / 4) of what the command printed and of what was shown
    rawTokens: Math.ceil(f.out.rawBytes / 4),
    compactTokens: textTokens(text),
    sessionId: process.env['CLAUDE_CODE_SESSION_ID'] || process.env['CLAUDE_SESSION_ID'] || null,
  };
  process.stdout.write(f.json ? `${JSON.stringify({ run: report, text })}\n` : `${text}\n`);
  return report;
}

/** Spools the report for the daemon (always: it may be down) and prunes old logs. */
function keep(stateDir: string, id: string, report: RunReport): void {
  try {
    writeSpoolFile(spoolDir(stateDir), runEnvelopeLine(report, new Date().toISOString()));
  } catch (e) {
    logError(stateDir, e);
  }
  const limits = readRetention(stateDir);
  if (pruneDue(stateDir, report.rawBytes, limits)) pruneRuns(stateDir, id, limits);
}

/** What went wrong after the command ran goes to `<state dir>/run-errors.log`, not to the agent. */
function logError(stateDir: string, e: unknown): void {
  try {
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ');
    appendFileSync(join(stateDir, 'run-errors.log'), `${new Date().toISOString()} pid ${process.pid}: ${message}\n`, {
      mode: 0o600,
    });
  } catch {
    // nowhere to report
  }
}
