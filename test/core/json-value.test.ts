import { describe, expect, it } from 'vitest';
import { stringListOf } from '../../src/core/json-value.js';

describe('stringListOf', () => {
  it('keeps the strings of a JSON array and nothing else', () => {
    expect(stringListOf('["a", 1, null, "b", {"c": 1}]')).toEqual(['a', 'b']);
    expect(stringListOf('[]')).toEqual([]);
  });

  it('answers [] for text that is not a JSON array', () => {
    expect(stringListOf('{"a": "b"}')).toEqual([]);
    expect(stringListOf('"a"')).toEqual([]);
    expect(stringListOf('[1, 2')).toEqual([]);
    expect(stringListOf('')).toEqual([]);
  });
});
