/**
 * What a tool run means for routing, and the compact answer the caller gets.
 *
 * A run succeeds when the tool exited 0 on its own (no timeout, no signal), its output stayed
 * under the cap, the output is not garbage, and it did not report failure in JSON.
 * "Garbage" is output a caller cannot read as text: bytes that are not valid UTF-8, or any NUL byte
 * (binary). Empty output with exit 0 is fine ("(no output)"); ANSI colours and other control
 * characters are kept as text. Output whose trimmed stdout is a JSON object is read as the
 * tool contract `{success, summary, failures, next_steps}`: `success: false` is a failure and
 * `summary` becomes the summary; stdout that merely starts with `{` or `[` but does not parse is
 * plain text, not garbage.
 *
 * The answer carries a summary (at most SUMMARY_MAX_CHARS: the JSON summary, else the last three
 * non-empty lines of stdout, else of stderr) and `output`: stdout, then `[stderr]` and stderr when
 * there is any, cut to its last ANSWER_OUTPUT_MAX_BYTES (`truncated` says so). The tool's own cap
 * (default 1 MiB) bounds what it may print; the answer's tail bound keeps replies small.
 */
import { isUtf8 } from 'node:buffer';
import type { RunOutcome } from './tool-runner.js';

export const SUMMARY_MAX_CHARS = 300;
export const ANSWER_OUTPUT_MAX_BYTES = 16 * 1024;
const REASON_DETAIL_CHARS = 200;
/** How much of the end of each stream is decoded for the summary and the answer's output. */
const TEXT_WINDOW_BYTES = 64 * 1024;
/** stdout larger than this is not read as the JSON tool contract (its answer is a short object). */
const CONTRACT_MAX_BYTES = 1024 * 1024;

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

/**
 * Whether the output is garbage, checked on the bytes: a tool may print up to its cap (64 MiB at
 * most), and decoding all of it, splitting it into lines and joining it again would cost many
 * times that in memory for an answer that keeps a few KiB.
 */
function garbage(b: Buffer, name: string): string | null {
  if (b.includes(0)) return `${name} contains NUL bytes (binary output)`;
  if (!isUtf8(b)) return `${name} is not valid UTF-8`;
  return null;
}

/** The text of the last `maxBytes` bytes of valid UTF-8, cut at a character boundary. */
function tailText(b: Buffer, maxBytes: number): string {
  if (b.length <= maxBytes) return b.toString('utf8');
  let start = b.length - maxBytes;
  while (start < b.length && ((b[start] ?? 0) & 0xc0) === 0x80) start++;
  return b.subarray(start).toString('utf8');
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
  const soProblem = garbage(o.stdout, 'stdout');
  const seProblem = garbage(o.stderr, 'stderr');
  // what the summary and the answer's output are made of: the ends of the streams only
  const stdout = soProblem === null ? tailText(o.stdout, TEXT_WINDOW_BYTES) : '';
  const stderr = seProblem === null ? tailText(o.stderr, TEXT_WINDOW_BYTES) : '';
  const contract =
    soProblem === null && o.stdout.length <= CONTRACT_MAX_BYTES ? jsonContract(o.stdout.toString('utf8')) : null;
  const summary = cap(
    contract?.summary ?? (lastLines(stdout, 3) || lastLines(stderr, 3) || '(no output)'),
    SUMMARY_MAX_CHARS,
  );
  const stdoutEndsLine = o.stdout.length === 0 || o.stdout[o.stdout.length - 1] === 0x0a;
  const joined = stderr === '' ? stdout : `${stdout}${stdoutEndsLine ? '' : '\n'}[stderr]\n${stderr}`;
  const cutBefore = o.stdout.length > TEXT_WINDOW_BYTES || o.stderr.length > TEXT_WINDOW_BYTES;
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
  else if (soProblem !== null) failure = `printed garbage: ${soProblem}`;
  else if (seProblem !== null) failure = `printed garbage: ${seProblem}`;
  else if (contract?.success === false) {
    failure = `the tool reported success: false${contract.summary ? `: ${cap(contract.summary, REASON_DETAIL_CHARS)}` : ''}`;
  }

  const garbled = soProblem !== null || seProblem !== null;
  return {
    ok: failure === null,
    failure,
    summary: garbled ? cap([soProblem, seProblem].filter(Boolean).join('; '), SUMMARY_MAX_CHARS) : summary,
    output: garbled ? '' : tail.text,
    truncated: garbled ? o.bytes > 0 : tail.truncated || cutBefore,
  };
}
