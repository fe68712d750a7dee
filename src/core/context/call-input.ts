/** A tool call's input JSON, parsed once, and its string fields (found by regex when the JSON was cut). */
import { isRecord, tryParseJson } from '../json-value.js';

/** A tool input parsed once: the object, or the raw (maybe truncated) JSON text. */
export interface CallInput {
  obj: Record<string, unknown> | null;
  raw: string;
}

export function parseCallInput(json: string | null): CallInput {
  if (json === null) return { obj: null, raw: '' };
  const parsed = tryParseJson(json);
  // truncated JSON (or not an object): `field` falls back to regex extraction on the raw text
  return { obj: parsed.ok && isRecord(parsed.value) ? parsed.value : null, raw: json };
}

export function unescapeJson(s: string): string | null {
  try {
    const v: unknown = JSON.parse(`"${s}"`);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** The first of `names` that is a non-blank string field of the input. */
export function field(input: CallInput, names: readonly string[]): string | null {
  if (input.obj === null && input.raw === '') return null;
  for (const name of names) {
    if (input.obj) {
      const v = input.obj[name];
      if (typeof v === 'string' && v.trim() !== '') return v;
      continue;
    }
    const m = new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(input.raw);
    const v = m?.[1] === undefined ? null : unescapeJson(m[1]);
    if (v !== null && v.trim() !== '') return v;
  }
  return null;
}
