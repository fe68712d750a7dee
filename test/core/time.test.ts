import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import {
  addDaysToKey,
  dateKeyToMs,
  daysInMonth,
  floorToHour,
  makeDateKeyer,
  normalizeDateArg,
  parseTimestamp,
  startOfUtcDay,
  toIso,
  utcDateKey,
} from '../../src/core/time.js';

const ms = (iso: string): number => Date.parse(iso);

describe('daysInMonth', () => {
  it.each([
    [2024, 1, 31],
    [2024, 2, 29],
    [2025, 2, 28],
    [2000, 2, 29],
    [2100, 2, 28],
    [2025, 4, 30],
    [2025, 12, 31],
  ])('%i-%i has %i days', (y, m, d) => {
    expect(daysInMonth(y, m)).toBe(d);
  });
});

describe('addDaysToKey', () => {
  it.each([
    ['2025-01-31', 1, '2025-02-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-03-01', -7, '2024-02-23'],
    ['2025-06-15', 0, '2025-06-15'],
  ])('%s %+i → %s', (key, n, want) => {
    expect(addDaysToKey(key, n)).toBe(want);
  });
});

describe('utc helpers', () => {
  it('keys, floors and parses in UTC', () => {
    expect(utcDateKey(ms('2025-01-31T23:59:59.999Z'))).toBe('2025-01-31');
    expect(utcDateKey(ms('2025-02-01T00:00:00.000Z'))).toBe('2025-02-01');
    expect(utcDateKey(ms('2025-01-01T01:00:00+02:00'))).toBe('2024-12-31');
    expect(toIso(floorToHour(ms('2024-01-01T10:59:59.999Z')))).toBe('2024-01-01T10:00:00.000Z');
    expect(toIso(startOfUtcDay(ms('2024-02-29T13:14:15Z')))).toBe('2024-02-29T00:00:00.000Z');
    expect(dateKeyToMs('2024-02-29')).toBe(ms('2024-02-29T00:00:00Z'));
    expect(parseTimestamp('nope')).toBeNull();
    expect(parseTimestamp('')).toBeNull();
    expect(parseTimestamp('2025-01-01T00:00:00Z')).toBe(1735689600000);
  });
});

describe('process time zone', () => {
  it('never moves a UTC day, month or key', () => {
    const saved = process.env['TZ'];
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env['TZ'] = tz;
        // 1 March UTC is still 28 February in Los Angeles and already 1 March afternoon on Kiritimati
        expect(utcDateKey(ms('2025-03-01T03:30:00Z'))).toBe('2025-03-01');
        expect(makeDateKeyer()(ms('2025-03-01T03:30:00Z'))).toBe('2025-03-01');
        expect(toIso(startOfUtcDay(ms('2025-03-01T03:30:00Z')))).toBe('2025-03-01T00:00:00.000Z');
        expect(dateKeyToMs('2025-03-01')).toBe(ms('2025-03-01T00:00:00Z'));
        expect(addDaysToKey('2025-03-30', 1)).toBe('2025-03-31');
        expect(daysInMonth(2025, 2)).toBe(28);
      }
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });
});

describe('normalizeDateArg', () => {
  it.each([
    ['20250131', '2025-01-31'],
    ['2025-01-31', '2025-01-31'],
    [' 20240229 ', '2024-02-29'],
  ])('%s → %s', (input, want) => {
    expect(normalizeDateArg(input)).toBe(want);
  });
  it.each(['2025-02-29', '2025-02-30', '2025/01/31', '2025131', '', 'yesterday', '2025-13-01'])(
    'rejects %j',
    (input) => {
      expect(() => normalizeDateArg(input, 'since')).toThrow(AppError);
      try {
        normalizeDateArg(input, 'since');
      } catch (e) {
        expect((e as AppError).code).toBe('invalid_argument');
      }
    },
  );
});

describe('makeDateKeyer', () => {
  it.each([
    [undefined, '2025-01-01T03:00:00Z', '2025-01-01'],
    ['UTC', '2024-12-31T23:59:59Z', '2024-12-31'],
    ['America/New_York', '2025-01-01T03:00:00Z', '2024-12-31'],
    ['America/New_York', '2025-01-01T05:00:00Z', '2025-01-01'],
    ['Asia/Tokyo', '2025-01-31T15:00:00Z', '2025-02-01'],
    ['Asia/Tokyo', '2025-01-31T14:59:59Z', '2025-01-31'],
    ['Asia/Kolkata', '2024-02-29T18:29:59Z', '2024-02-29'],
    ['Asia/Kolkata', '2024-02-29T18:30:00Z', '2024-03-01'],
    ['Asia/Kathmandu', '2025-01-31T18:14:59Z', '2025-01-31'],
    ['Asia/Kathmandu', '2025-01-31T18:15:00Z', '2025-02-01'],
  ])('%s: %s → %s', (tz, iso, want) => {
    expect(makeDateKeyer(tz)(ms(iso))).toBe(want);
  });

  it('stays right across a DST change and repeated calls (cache)', () => {
    const key = makeDateKeyer('America/New_York');
    // 2025-03-09 02:00 EST → 03:00 EDT; midnight EDT on 03-10 is 04:00Z
    expect(key(ms('2025-03-10T03:59:59Z'))).toBe('2025-03-09');
    expect(key(ms('2025-03-10T04:00:00Z'))).toBe('2025-03-10');
    expect(key(ms('2025-03-10T03:59:59Z'))).toBe('2025-03-09');
  });

  it('rejects an unknown zone', () => {
    expect(() => makeDateKeyer('Mars/Olympus')).toThrow(/unknown time zone/);
  });
});
