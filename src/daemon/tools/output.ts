/**
 * What a tool run means for routing, and the compact answer the caller gets.
 *
 * A run succeeds when the tool exited 0 on its own (no timeout, no signal), its output stayed
 * under the cap, the output is not garbage, and it did not report failure in JSON.
 * "Garbage" is output a caller cannot read as text: bytes that are not valid UTF-8, or any NUL byte
 * (binary). Empty output with exit 0 is fine ("(no output)"); ANSI colours and other control
 * characters are kept as text. Output whose trimmed stdout is a JSON object is read as the plan's
 * tool contract `{success, summary, failures, next_steps}`: `success: false` is a failure and
 * `summary` becomes the summary; stdout that merely starts with `{` or `[` but does not parse is
 * plain text, not garbage.
 *
 * The answer carries a summary (at most SUMMARY_MAX_CHARS: the JSON summary, else the last three
 * non-empty lines of stdout, else of stderr) and `output`: stdout, then `[stderr]` and stderr when
 * there is any, cut to its last ANSWER_OUTPUT_MAX_BYTES (`truncated` says so). The tool's own cap
 * (default 1 MiB) bounds what it may print; the answer's tail bound keeps replies small.
 */
import type { RunOutcome } from './runner.js';

export const SUMMARY_MAX_CHARS = 300;
export const ANSWER_OUTPUT_MAX_BYTES = 16 * 1024;
const REASON_DETAIL_CHARS = 200;

export interface Interpreted {
  ok: boolean;
  /** why the run failed; null on success */
  failure: string | null;
  summary: string;
  output: string;
  truncated: boolean;
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

function decodeUtf8(b: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return null;
  }
}

function lastLines(text: string, n: number): string {
  const lines = text
    .replace(ANSI_RE, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.slice(-n).join(' | ');
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The last `maxBytes` bytes of text, cut at a character boundary. */
export function tailBytes(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const b = Buffer.from(text, 'utf8');
  if (b.length <= maxBytes) return { text, truncated: false };
  let start = b.length - maxBytes;
  while (start < b.length && ((b[start] ?? 0) & 0xc0) === 0x80) start++;
  return { text: b.subarray(start).toString('utf8'), truncated: true };
}

function garbage(b: Buffer, name: string): { text: string; problem: string | null } {
  if (b.includes(0)) return { text: '', problem: `${name} contains NUL bytes (binary output)` };
  const text = decodeUtf8(b);
  if (text === null) return { text: '', problem: `${name} is not valid UTF-8` };
  return { text, problem: null };
}

function jsonContract(stdout: string): { success: boolean | null; summary: string | null } | null {
  const t = stdout.trim();
  if (!t.startsWith('{')) return null;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const s = o['summary'];
  const summary = typeof s === 'string' ? s : s !== undefined && s !== null ? JSON.stringify(s) : null;
  const failures = Array.isArray(o['failures']) ? o['failures'].length : 0;
  const withFailures = failures > 0 ? `${summary ?? ''}${summary ? '; ' : ''}${failures} failure(s)` : summary;
  return { success: typeof o['success'] === 'boolean' ? o['success'] : null, summary: withFailures };
}

export function interpret(o: RunOutcome, timeoutMs: number, capBytes: number): Interpreted {
  const so = garbage(o.stdout, 'stdout');
  const se = garbage(o.stderr, 'stderr');
  const stdout = so.text;
  const stderr = se.text;
  const contract = so.problem === null ? jsonContract(stdout) : null;
  const summary = cap(
    contract?.summary ?? (lastLines(stdout, 3) || lastLines(stderr, 3) || '(no output)'),
    SUMMARY_MAX_CHARS,
  );
  const joined =
    stderr === '' ? stdout : `${stdout}${stdout === '' || stdout.endsWith('\n') ? '' : '\n'}[stderr]\n${stderr}`;
  const tail = tailBytes(joined, ANSWER_OUTPUT_MAX_BYTES);
  const detail = cap(lastLines(stderr, 1) || lastLines(stdout, 1), REASON_DETAIL_CHARS);
  const withDetail = (s: string): string => (detail ? `${s}: ${detail}` : s);

  let failure: string | null = null;
  if (o.spawnError !== null) failure = `the tool could not be started (${o.spawnError})`;
  else if (o.overCap) failure = `output passed the ${capBytes}-byte cap; the tool was killed`;
  else if (o.timedOut)
    failure = `timed out after ${Math.round(timeoutMs / 100) / 10} s; the tool's process group was killed`;
  else if (o.signal !== null) failure = `killed by ${o.signal}`;
  else if (o.exitCode !== 0) failure = withDetail(`exit code ${o.exitCode ?? 'unknown'}`);
  else if (so.problem !== null) failure = `printed garbage: ${so.problem}`;
  else if (se.problem !== null) failure = `printed garbage: ${se.problem}`;
  else if (contract?.success === false) {
    failure = `the tool reported success: false${contract.summary ? `: ${cap(contract.summary, REASON_DETAIL_CHARS)}` : ''}`;
  }

  const garbled = so.problem !== null || se.problem !== null;
  return {
    ok: failure === null,
    failure,
    summary: garbled ? cap([so.problem, se.problem].filter(Boolean).join('; '), SUMMARY_MAX_CHARS) : summary,
    output: garbled ? '' : tail.text,
    truncated: garbled ? o.bytes > 0 : tail.truncated,
  };
}
