/**
 * `outloop hook`: the command Claude Code runs for every hook event, payload JSON on stdin.
 *
 * It spools every event: one file per call in `<state dir>/spool/`, written atomically by writeSpoolFile
 * (src/cli/spool.ts: tmp + rename, 0600), so the daemon's watcher never sees a partial file and
 * concurrent hooks never share one. The file is the spool envelope of core/records/spool-envelope:
 * `{"v":1,"receivedAt":ISO,"payload":"<stdin as received>"}`.
 *
 * On a Bash PreToolUse it also decides whether the command is offloaded (src/cli/hook-offload.ts and
 * core/offload/decision): when it is, it prints the PreToolUse answer (`permissionDecision: "allow"` with
 * the command rewritten to `outloop run --pattern SIG -- CMD`); in every other case it prints nothing.
 *
 * It never talks to the daemon, prints nothing else (Claude Code reads its stdout and exit code as
 * instructions) and exits 0 whatever happens; a failure appends one line to
 * `<state dir>/hook-errors.log` when it can.
 *
 * - Empty or garbage stdin is spooled as it is; the daemon quarantines it (nothing is lost
 *   silently, and a misconfigured hook shows up in the quarantine).
 * - Stdin that is not valid UTF-8 cannot go into the JSON string losslessly: the envelope then
 *   carries `"error"` and `"payloadBase64"` (the exact bytes) and no `"payload"`, which the
 *   daemon quarantines with that error.
 * - Claude Code sometimes leaves stdin open after writing the payload (anthropics/claude-code#79508), so reading also stops GRACE_MS after one complete top-level
 *   JSON object has arrived, after IDLE_MS without a byte, or READ_DEADLINE_MS after it started
 *   (a writer trickling bytes would otherwise keep it alive); whatever was read is spooled.
 * - A terminal on stdin (someone typing `outloop hook` by hand) spools nothing.
 *
 * Import graph: node:fs, node:os, node:path, src/rpc/paths.ts, src/cli/spool.ts, core/records/spool-envelope
 * and the pure core modules they use, to keep the start as cheap as bare node (measured by bench/hook.ts);
 * src/cli/hook-offload.ts and the offload rules load only for a payload that mentions PreToolUse.
 */
import { appendFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hookEnvelopeLine, undecodedHookEnvelopeLine } from '../../core/records/spool-envelope.js';
import { resolveStateDir, spoolDir } from '../../rpc/paths.js';
import { writeSpoolFile } from '../spool.js';

const USAGE = `Usage: outloop hook

Claude Code hook command: reads the event payload on stdin and writes it to
<state dir>/spool/ for the daemon. On a Bash PreToolUse whose command is an offloaded
pattern (<state dir>/offload.json) and would have run without a permission prompt, prints
the answer that runs it through 'outloop run'; prints nothing otherwise. Set
OUTLOOP_OFFLOAD=0 to never rewrite. Always exits 0, never needs the daemon.
Install it with 'outloop init'. Failures are logged to <state dir>/hook-errors.log.
`;

/** Give up waiting for more stdin after this long without a byte. */
const IDLE_MS = 3000;
/** Once a whole JSON object has arrived, wait only this long for EOF (or a trailing newline). */
const GRACE_MS = 100;
/** Stop reading this long after the start, however the bytes keep coming. */
const READ_DEADLINE_MS = 5000;
const MAX_ERROR_LOG_BYTES = 1024 * 1024;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let stateDir: string | null = null;
  // last resort: an error thrown from a stream callback must not reach Claude Code either
  process.once('uncaughtException', (e) => {
    logError(stateDir, e);
    process.exit(0);
  });
  try {
    stateDir = resolveStateDir(process.env);
    const input = await readStdin();
    if (input === null) return 0;
    try {
      writeSpoolFile(spoolDir(stateDir), envelope(input));
    } catch (e) {
      logError(stateDir, e);
    }
    const text = input.toString('utf8');
    // the offload rules load only for a payload that can be a PreToolUse (offloadAnswer's own first test)
    if (!text.includes('PreToolUse')) return 0;
    const { offloadAnswer } = await import('../hook-offload.js');
    const answer = offloadAnswer(text, stateDir, process.env, {
      execPath: process.execPath,
      script: process.argv[1],
      platform: process.platform,
    });
    if (answer !== null) process.stdout.write(`${answer}\n`);
  } catch (e) {
    logError(stateDir, e);
  }
  return 0;
}

/** The spool file's text: stdin decoded as UTF-8, or its bytes in base64 when it is not valid UTF-8. */
export function envelope(input: Buffer, receivedAt: string = new Date().toISOString()): string {
  let text: string | null;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
  } catch {
    text = null;
  }
  if (text !== null) return hookEnvelopeLine(text, receivedAt);
  return undecodedHookEnvelopeLine(input.toString('base64'), receivedAt);
}

/**
 * Reads stdin until EOF, until GRACE_MS after one complete top-level JSON object has arrived,
 * until IDLE_MS pass without data, or until READ_DEADLINE_MS in all; then lets go of stdin so an unclosed pipe cannot keep the process alive.
 * (process.stdin, not fs.read on fd 0: a read blocked in the thread pool makes even
 * process.exit wait for the writer to close the pipe.) A terminal on stdin is not read at all.
 */
function readStdin(): Promise<Buffer | null> {
  const stdin = process.stdin;
  if (stdin.isTTY) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const scan = new ObjectScanner();
    let timer: NodeJS.Timeout | null = null;
    let complete = false;
    let done = false;
    const deadline = setTimeout(() => finish(), READ_DEADLINE_MS);
    const finish = (): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      clearTimeout(deadline);
      try {
        stdin.removeListener('data', onData);
        stdin.on('error', () => undefined);
        stdin.destroy();
      } finally {
        resolve(Buffer.concat(chunks));
      }
    };
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(finish, complete ? GRACE_MS : IDLE_MS);
    };
    const onData = (chunk: Buffer | string): void => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      chunks.push(b);
      if (!complete && scan.feed(b)) complete = true;
      arm();
    };
    stdin.on('data', onData);
    stdin.once('end', finish);
    stdin.once('error', finish);
    arm();
  });
}

/**
 * Tracks brace depth outside JSON strings, byte by byte (UTF-8 continuation bytes are never
 * `"`, `\`, `{` or `}`). `feed` returns true once the input started with `{` and that object
 * has closed.
 */
class ObjectScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  private dead = false;

  feed(bytes: Buffer): boolean {
    if (this.dead) return false;
    for (const b of bytes) {
      if (!this.started) {
        if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
        if (b !== 0x7b) {
          this.dead = true; // not an object: read to EOF or idle
          return false;
        }
        this.started = true;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === 0x5c) this.escaped = true;
        else if (b === 0x22) this.inString = false;
      } else if (b === 0x22) this.inString = true;
      else if (b === 0x7b) this.depth++;
      else if (b === 0x7d && --this.depth === 0) return true;
    }
    return false;
  }
}

function logError(stateDir: string | null, e: unknown): void {
  if (stateDir === null) return;
  try {
    const path = join(stateDir, 'hook-errors.log');
    try {
      if (statSync(path).size > MAX_ERROR_LOG_BYTES) renameSync(path, `${path}.1`);
    } catch {
      // no log yet
    }
    const err = e as NodeJS.ErrnoException;
    const message = (err instanceof Error ? `${err.code ? `${err.code}: ` : ''}${err.message}` : String(e)).replace(
      /\s+/g,
      ' ',
    );
    appendFileSync(path, `${new Date().toISOString()} pid ${process.pid}: ${message}\n`, { mode: 0o600 });
  } catch {
    // nowhere to report: stay silent, Claude Code must not notice
  }
}
