import { describe, it, expect } from 'vitest';
import { fnv1a64 } from '../../src/core/hash.js';

/** Reference FNV-1a 64 with BigInt over TextEncoder bytes. */
function reference(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

describe('fnv1a64', () => {
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('known vector %j', (input, expected) => {
    expect(fnv1a64(input)).toBe(expected);
  });

  it.each(['héllo wörld', 'C:\\Users\\Zoë (work)\\projét', '😀 emoji and 中文', '\ud800 lone', 'x'.repeat(1000)])(
    'matches the BigInt reference for %j',
    (input) => {
      expect(fnv1a64(input)).toBe(reference(input));
      expect(fnv1a64(input)).toMatch(/^[0-9a-f]{16}$/);
    },
  );
});
