/**
 * The quarantine is bounded: a file of bad lines keeps the first N rows and counts the rest per
 * file and reason; reading the file again counts nothing twice; the listing groups by file and
 * reason with a sample and the full counts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupQuarantine } from '../../../src/daemon/handlers/quarantine.js';
import { loadConfig } from '../../../src/daemon/config.js';
import { count, one, testEngines } from '../../helpers/ingest.js';

const { dirs, engine } = testEngines(() => ({ parseInWorker: false }));

function transcript(name: string, body: string): string {
  const dir = join(dirs.make('ol-qb-'), 'projects', '-home-ana-src-shop-api');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

const badLines = (n: number, prefix = 'not json'): string =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i}\n`).join('');

describe('quarantine bound', () => {
  it('a file of 50,000 bad lines keeps 100 rows and reports 50,000', async () => {
    const e = engine();
    const path = transcript('5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c.jsonl', badLines(50_000));
    const counts = await e.ingest(path);
    expect(count(e.store, 'quarantine')).toBe(100);
    expect(counts.quarantined).toBe(50_000);
    expect(e.store.quarantine.total()).toBe(50_000);
    expect(e.store.counts.snapshot().quarantined).toBe(50_000);
    e.store.counts.refresh();
    expect(e.store.counts.snapshot().quarantined).toBe(50_000);

    const list = groupQuarantine(e.store.quarantine.groups(), e.store.quarantine.keepPerFile);
    expect(list).toMatchObject({ keepPerFile: 100, kept: 100, total: 50_000 });
    expect(list.files).toHaveLength(1);
    expect(list.files[0]).toMatchObject({ path, kept: 100, total: 50_000 });
    expect(list.files[0]?.reasons).toEqual([
      { reason: 'invalid-json', kept: 100, total: 50_000, sampleOffset: 0, sample: 'not json 0' },
    ]);

    // read again from the start (checkpoint gone): nothing is kept or counted twice
    e.store.offsets.delete(path);
    const again = await e.ingest(path);
    expect(again.quarantined).toBe(0);
    expect(count(e.store, 'quarantine')).toBe(100);
    expect(e.store.quarantine.total()).toBe(50_000);
  });

  it('the bound is per file, counts are per reason, and appended lines are counted', async () => {
    const e = engine();
    e.store.quarantine.keepPerFile = 5;
    const a = transcript('aaaaaaaa-8a44-4b8e-9a7c-1d2e3f4a5b6c.jsonl', badLines(8) + '[1]\n"x"\n'.repeat(3));
    const b = transcript('bbbbbbbb-8a44-4b8e-9a7c-1d2e3f4a5b6c.jsonl', badLines(3));
    await e.ingest(a, b);
    expect(count(e.store, 'quarantine')).toBe(8);
    writeFileSync(b, badLines(4, 'more'), { flag: 'a' });
    await e.ingest(b);
    const list = groupQuarantine(e.store.quarantine.groups(), 5);
    expect(list.total).toBe(8 + 6 + 7);
    const byPath = Object.fromEntries(list.files.map((f) => [f.path, f]));
    expect(byPath[a]?.kept).toBe(5);
    expect(byPath[a]?.reasons.map((r) => [r.reason, r.kept, r.total])).toEqual([
      ['invalid-json', 5, 8],
      ['not-an-object', 0, 6],
    ]);
    expect(byPath[b]).toMatchObject({ kept: 5, total: 7 });
    // a reason only counted still has a sample line
    expect(byPath[a]?.reasons[1]?.sample).toMatch(/^(\[1\]|"x")$/);
    expect(one(e.store, 'SELECT count(*) AS n FROM quarantine_overflow')?.['n']).toBe(3);
    // the path filter
    expect(groupQuarantine(e.store.quarantine.groups(), 5, 'bbbbbbbb').files.map((f) => f.path)).toEqual([b]);
  });

  it('config.json sets the rows kept per file', () => {
    const dir = dirs.make('ol-qb-cfg-');
    expect(loadConfig(dir).config.quarantineKeepPerFile).toBe(100);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ quarantineKeepPerFile: 7 }));
    expect(loadConfig(dir).config.quarantineKeepPerFile).toBe(7);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ quarantineKeepPerFile: -3 }));
    expect(loadConfig(dir).config.quarantineKeepPerFile).toBe(100);
  });
});
