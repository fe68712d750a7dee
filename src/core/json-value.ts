/** Small lenient readers for parsed JSON values (unknown in, typed or null out). */

export type JsonRecord = Record<string, unknown>;

export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse JSON without throwing. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A non-empty string, else null. */
export function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** The first non-empty string among the given keys. */
export function strOf(o: JsonRecord, ...keys: string[]): string | null {
  for (const k of keys) {
    const s = str(o[k]);
    if (s !== null) return s;
  }
  return null;
}

/** A finite number, else null. */
export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The first finite number among the given keys. */
export function numOf(o: JsonRecord, ...keys: string[]): number | null {
  for (const k of keys) {
    const n = num(o[k]);
    if (n !== null) return n;
  }
  return null;
}

/** A non-negative finite count, else 0. */
export function count(v: unknown): number {
  const n = num(v);
  return n !== null && n > 0 ? n : 0;
}

/** The first value among keys that is not undefined (null is a value). */
export function valueOf(o: JsonRecord, ...keys: string[]): unknown {
  for (const k of keys) {
    if (o[k] !== undefined) return o[k];
  }
  return undefined;
}

export function recordOf(v: unknown): JsonRecord | null {
  return isRecord(v) ? v : null;
}

/** JSON.stringify that never throws (cycles cannot occur in parsed JSON, but be safe). */
export function safeStringify(v: unknown): string | null {
  try {
    const s = JSON.stringify(v);
    return typeof s === 'string' ? s : null;
  } catch {
    return null;
  }
}

/** The strings of a JSON array text (other elements skipped); [] when the text is not a JSON array. */
export function stringListOf(json: string): string[] {
  const parsed = tryParseJson(json);
  return parsed.ok && Array.isArray(parsed.value) ? parsed.value.filter((x): x is string => typeof x === 'string') : [];
}
