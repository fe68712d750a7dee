/** A tool call's input JSON, parsed once, and its string fields (found by regex when the JSON was cut). */
/** A tool input parsed once: the object, or the raw (maybe truncated) JSON text. */
export interface CallInput {
  obj: Record<string, unknown> | null;
  raw: string;
}

export function parseCallInput(json: string | null): CallInput {
  if (json === null) return { obj: null, raw: '' };
  try {
    const v: unknown = JSON.parse(json);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return { obj: v as Record<string, unknown>, raw: json };
    }
  } catch {
    // truncated JSON: fall back to regex extraction
  }
  return { obj: null, raw: json };
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
