import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { recoverJsonArray } from '../../../src/core/records/json-array-recover.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/hooks/${name}`, import.meta.url), 'utf8');

describe('recoverJsonArray', () => {
  it.each([
    ['[]', [], 0, true],
    ['  [ ]  \n', [], 0, true],
    ['\uFEFF[1]', ['1'], 0, true],
    ['[1, "a,]", {"b":[1,2]}, null, true]', ['1', '"a,]"', '{"b":[1,2]}', 'null', 'true'], 0, true],
    ['[{"s":"quote \\" and \\\\"}]', ['{"s":"quote \\" and \\\\"}'], 0, true],
    ['[{"a":1},{"b":2}', ['{"a":1}', '{"b":2}'], 0, false],
    ['[{"a":1},{"b":', ['{"a":1}'], 5, false],
    ['[{"a":1},{"b":"unterminated', ['{"a":1}'], 18, false],
    ['[{"a":1},', ['{"a":1}'], 0, false],
    ['[1, 2', ['1'], 1, false],
    ['[{"a":1}]\n', ['{"a":1}'], 0, true],
    ['[{"a":1}] junk', ['{"a":1}'], 4, true],
    ['[{"a":1}]]', ['{"a":1}'], 1, true],
    ['[{"a":1]', [], 7, false],
    ['[{"a":1}} ,{"b":2}]', ['{"a":1}'], 11, false],
    ['[{"a":1} {"b":2}]', ['{"a":1}'], 8, false],
    ['[1,]', ['1'], 1, false],
    ['{"not":"array"}', [], 15, false],
    ['', [], 0, false],
    ['   ', [], 0, false],
    ['[{"é":"ü"}, x', ['{"é":"ü"}'], 1, false],
  ])('%j', (text, elements, rejectedBytes, complete) => {
    expect(recoverJsonArray(text)).toEqual({ elements, rejectedBytes, complete });
  });

  it('recovers a valid array followed by stray bytes (quirk 2)', () => {
    const r = recoverJsonArray(fixture('PostToolUse-stray.json'));
    expect(r.elements).toHaveLength(2);
    expect(r.rejectedBytes).toBe(7); // `"\n  }\n]`
    expect(r.complete).toBe(true);
    expect(r.elements.map((e) => (JSON.parse(e) as { tool_name: string }).tool_name)).toEqual(['Bash', 'Edit']);
  });

  it('recovers the valid prefix of a file truncated mid-element', () => {
    const text = fixture('PostToolUse-truncated.json');
    const r = recoverJsonArray(text);
    expect(r.elements).toHaveLength(1);
    expect(r.complete).toBe(false);
    const second = text.slice(text.indexOf('{', text.indexOf(r.elements[0] ?? '') + (r.elements[0]?.length ?? 0)));
    expect(r.rejectedBytes).toBe(new TextEncoder().encode(second.trim()).length);
  });

  it('keeps pretty-printed multi-line elements whole', () => {
    const r = recoverJsonArray(fixture('PreToolUse.json'));
    expect(r.elements.map((e) => JSON.parse(e) as unknown)).toEqual(JSON.parse(fixture('PreToolUse.json')));
  });

  it('handles a large file with long strings and many escapes', () => {
    const payload = { hook_event_name: 'PostToolUse', tool_response: { stdout: 'line \\ "q"\n'.repeat(20_000) } };
    const text = JSON.stringify(Array.from({ length: 50 }, () => payload));
    const r = recoverJsonArray(text);
    expect(r.elements).toHaveLength(50);
    expect(r.complete).toBe(true);
    expect(JSON.parse(r.elements[49] ?? '')).toEqual(payload);
  });
});
