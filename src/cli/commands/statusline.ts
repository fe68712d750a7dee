/**
 * `outloop statusline`: Claude Code's status line command (`"statusLine": {"type": "command",
 * "command": "outloop statusline"}`). Reads the status-line JSON on stdin, hands it to the daemon
 * (which stores `rate_limits` and `cost` as official readings) and prints the one line the daemon
 * composes from memory: `today $12.34 · 5h 61% · 7d 34% · risk low`.
 *
 * When the daemon is down or slow (OUTLOOP_STATUSLINE_TIMEOUT_MS, default 300), it prints a plain
 * line from the payload alone (`session $3.18 · 5h 61% · 7d 35% · outloop offline`). It never
 * starts the daemon, never writes to stderr and always exits 0: a status line must not break.
 *
 * Import graph: node:net (rpc/quick-call.ts), src/rpc/paths.ts, the protocol's table and core/json-value.ts
 * only: never the json-rpc-2.0 client.
 */
import { num, recordOf } from '../../core/json-value.js';
import { resolveSocketPath } from '../../rpc/paths.js';
import { METHODS } from '../../rpc/protocol.js';
import { quickCall } from '../../rpc/quick-call.js';

const USAGE = `Usage: outloop statusline [--json]

Claude Code status line command: reads the status-line JSON on stdin, records its rate_limits
and cost with the daemon, and prints one line (today's cost, 5-hour block, risk).
Falls back to a line from the payload alone when the daemon is not running. Always exits 0.
`;

const DEFAULT_TIMEOUT_MS = 300;
const IDLE_MS = 1000;
const MAX_STDIN_BYTES = 1024 * 1024;

/** The line when the daemon cannot answer: only what the payload itself says. */
export function fallbackLine(payload: unknown): string {
  const p = recordOf(payload);
  const parts: string[] = [];
  const cost = num(recordOf(p?.['cost'])?.['total_cost_usd']);
  if (cost !== null) parts.push(`session $${cost.toFixed(2)}`);
  const limits = recordOf(p?.['rate_limits']);
  const five = num(recordOf(limits?.['five_hour'])?.['used_percentage']);
  const seven = num(recordOf(limits?.['seven_day'])?.['used_percentage']);
  if (five !== null) parts.push(`5h ${Math.round(five)}%`);
  if (seven !== null) parts.push(`7d ${Math.round(seven)}%`);
  parts.push('outloop offline');
  return parts.join(' · ');
}

function readStdin(): Promise<string | null> {
  const stdin = process.stdin;
  if (stdin.isTTY) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | null = null;
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      stdin.removeAllListeners('data');
      stdin.on('error', () => undefined);
      stdin.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(finish, IDLE_MS);
    };
    stdin.on('data', (chunk: Buffer | string) => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(b);
      size += b.length;
      if (size >= MAX_STDIN_BYTES) return finish();
      // Claude Code may leave stdin open: stop once a whole JSON document has arrived.
      if (b[b.length - 1] === 0x7d || b[b.length - 2] === 0x7d) {
        try {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
          return finish();
        } catch {
          // not complete yet
        }
      }
      arm();
    });
    stdin.once('end', finish);
    stdin.once('error', finish);
    arm();
  });
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const json = argv.includes('--json');
  let payload: unknown = {};
  try {
    const raw = await readStdin();
    if (raw !== null && raw.trim() !== '') payload = (JSON.parse(raw) as unknown) ?? {};
  } catch {
    payload = {};
  }
  const t = Number(process.env['OUTLOOP_STATUSLINE_TIMEOUT_MS']);
  const timeoutMs = Number.isFinite(t) && t > 0 ? t : DEFAULT_TIMEOUT_MS;
  let line: string;
  let source: 'daemon' | 'fallback' = 'daemon';
  try {
    const r = await quickCall(resolveSocketPath(process.env), METHODS.statuslineUpdate, { payload }, timeoutMs);
    line = r.line;
  } catch {
    source = 'fallback';
    line = fallbackLine(payload);
  }
  process.stdout.write(json ? `${JSON.stringify({ line, source })}\n` : `${line}\n`);
  return 0;
}
