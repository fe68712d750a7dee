import { describe, it, expect } from 'vitest';
import { capText, countWords, epochToIso, toIsoUtc, utf8ByteLength } from '../../src/core/text.js';

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['中', 3],
    ['😀', 4],
    ['\ud800', 3],
    ['a\ud83dz', 5],
    ['C:\\Users\\Zoë', 13],
  ])('%j → %i', (s, n) => {
    expect(utf8ByteLength(s)).toBe(n);
    expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).length);
  });

  it('counts long text the same way (lone surrogates, pairs, 2- and 3-byte characters)', () => {
    const unit = 'a é 中 😀 \ud800 z \udc00 ✓\n';
    const long = unit.repeat(10_000);
    expect(long.length).toBeGreaterThan(64 * 1024);
    expect(utf8ByteLength(long)).toBe(10_000 * utf8ByteLength(unit));
  });
});

describe('capText', () => {
  it.each([
    ['hello', 10, 'hello'],
    ['hello', 3, 'hel'],
    ['hello', 0, ''],
    ['a😀b', 2, 'a'],
    ['a😀b', 3, 'a😀'],
  ])('capText(%j, %i) → %j', (s, max, out) => {
    expect(capText(s, max)).toBe(out);
  });
});

describe('countWords', () => {
  it.each([
    [null, 0],
    ['', 0],
    ['  one  two\nthree\t', 3],
  ])('%j → %i', (s, n) => {
    expect(countWords(s)).toBe(n);
  });
});

describe('toIsoUtc', () => {
  it.each([
    ['2026-03-02T09:14:05.112Z', '2026-03-02T09:14:05.112Z'],
    ['2025-11-21T14:02:11.482913', '2025-11-21T14:02:11.482Z'],
    ['2025-11-21 14:02:11', '2025-11-21T14:02:11.000Z'],
    ['2025-11-21T14:02:11+00:00', '2025-11-21T14:02:11.000Z'],
    ['2025-11-21T14:02:11.5+02:00', '2025-11-21T12:02:11.500Z'],
    ['2025-11-21T14:02:11-0530', '2025-11-21T19:32:11.000Z'],
    ['2025-11-21', '2025-11-21T00:00:00.000Z'],
    [1784037600, '2026-07-14T14:00:00.000Z'],
    [1784037600000, '2026-07-14T14:00:00.000Z'],
    ['2025-02-30T00:00:00Z', null],
    ['yesterday', null],
    ['', null],
    [null, null],
    [{}, null],
  ])('%j → %j', (v, out) => {
    expect(toIsoUtc(v)).toBe(out);
  });

  it('epochToIso rejects negatives and NaN', () => {
    expect(epochToIso(-1)).toBeNull();
    expect(epochToIso(Number.NaN)).toBeNull();
  });
});
