/**
 * Reading a settings file's text: JSON with the position of the first error as line and column, the way a
 * person editing the file wants it (used by `outloop init` before it merges anything).
 */
import { withoutBom } from '../text.js';

export type ParsedSettings =
  { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

/**
 * Parses a settings file's text. Empty (or whitespace-only) text is `{}`; a leading BOM is
 * ignored. On invalid JSON, reports the 1-based line and column of the first error.
 */
export function parseSettingsText(text: string): ParsedSettings {
  const body = withoutBom(text);
  if (body.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (e) {
    const offset = jsonErrorOffset(body);
    const before = body.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    // V8 appends a multi-line excerpt or a position; line and column say it better
    const raw = e instanceof Error ? e.message : String(e);
    const message = raw
      .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
      .replace(/ at position \d+.*$/s, '');
    return { ok: false, message, line, column };
  }
}

class JsonStop extends Error {
  constructor(readonly at: number) {
    super('json syntax error');
  }
}

/** The offset of the first JSON syntax error in `s` (s.length when the input ends early). */
export function jsonErrorOffset(s: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonStop(Math.min(i, s.length));
  };
  const ws = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const expect = (ch: string): void => {
    ws();
    if (s[i] !== ch) fail();
    i++;
  };
  const string = (): void => {
    if (s[i] !== '"') fail();
    i++;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const e = s[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) fail();
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail();
        i += 2;
        continue;
      }
      i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        expect(':');
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const num = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    num.lastIndex = i;
    if (num.test(s)) {
      i = num.lastIndex;
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (s.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    fail();
  };
  try {
    value();
    ws();
    if (i < s.length) fail();
    return s.length;
  } catch (e) {
    if (e instanceof JsonStop) return e.at;
    throw e;
  }
}
