/**
 * What a Bash call printed, as kept by the store for the savings replay: the text the agent read, capped
 * (the first and last parts of a huge output), with its true size.
 */
import { isRecord } from '../json-value.js';
import { utf8ByteLength } from '../text.js';
import type { CallOutput, ToolCallSource } from '../types.js';

/** Characters kept from the start and from the end of an output longer than both together. */
export const OUTPUT_HEAD_CHARS = 1024 * 1024;
export const OUTPUT_TAIL_CHARS = 1024 * 1024;

/** Marks where a kept output was cut (between its head and its tail). */
export const OUTPUT_CUT_MARK = '\n[outloop: output cut here]\n';

export type { CallOutput } from '../types.js';

/** The output to keep of `text`: all of it when it fits, else its head and its tail. */
export function keptOutput(text: string): CallOutput {
  if (text.length <= OUTPUT_HEAD_CHARS + OUTPUT_TAIL_CHARS) {
    return { text, rawBytes: utf8ByteLength(text), truncated: false };
  }
  return {
    text: text.slice(0, OUTPUT_HEAD_CHARS) + OUTPUT_CUT_MARK + text.slice(text.length - OUTPUT_TAIL_CHARS),
    rawBytes: utf8ByteLength(text),
    truncated: true,
  };
}

/** True for Claude Code's shell tool (the only tool whose output is kept). */
export function isBashTool(name: string | null | undefined): boolean {
  return name !== null && name !== undefined && name.toLowerCase() === 'bash';
}

/**
 * A Bash tool response of a hook payload as the agent reads it: stdout, then stderr on its own line;
 * a plain string as it is. Null when the response carries neither.
 */
export function bashResponseText(response: unknown): string | null {
  if (typeof response === 'string') return response;
  if (!isRecord(response)) return null;
  const out = typeof response['stdout'] === 'string' ? response['stdout'] : null;
  const err = typeof response['stderr'] === 'string' ? response['stderr'] : null;
  if (out === null && err === null) return null;
  if (out && err) return `${out}\n${err}`;
  return out || err || '';
}

/**
 * Whether a transcript or stream-json tool_result may be a Bash call's: its structured result has
 * Bash's shape (`stdout`), or there is none to tell (the store then decides by the call's tool name).
 */
export function mayBeBashResult(structured: unknown): boolean {
  if (!isRecord(structured)) return true;
  return typeof structured['stdout'] === 'string' || typeof structured['stderr'] === 'string';
}

/**
 * Which copy of an output a call keeps when several sources saw it: the text the agent read (the
 * transcript's or stream's tool_result) over the hook's stdout/stderr; then the larger, then the
 * greater text, so the choice does not depend on the order the sources arrive in.
 */
export function outputRank(source: ToolCallSource): number {
  return source === 'transcript' || source === 'stream' ? 2 : source === 'hook' ? 1 : 0;
}
