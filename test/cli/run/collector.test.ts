import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputCollector } from '../../../src/cli/run/collector.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

describe('OutputCollector', () => {
  it('writes every byte to the log and hands back the whole output when it fits', () => {
    const path = join(dirs.make(), 'r.log');
    const c = new OutputCollector(openSync(path, 'w'), 64, 64);
    c.add(Buffer.from('one\n'));
    c.add(Buffer.from('twö\n'));
    const out = c.finish();
    expect(out).toEqual({ text: 'one\ntwö\n', rawBytes: 9, leftOut: 0, logProblem: null });
    expect(readFileSync(path, 'utf8')).toBe('one\ntwö\n');
  });

  it('keeps only the head and the tail in memory, says how much was left out, and the log has it all', () => {
    const path = join(dirs.make(), 'r.log');
    const c = new OutputCollector(openSync(path, 'w'), 100, 100);
    const lines = Array.from({ length: 500 }, (_, i) => `line ${String(i).padStart(4, '0')}\n`);
    for (const l of lines) c.add(Buffer.from(l));
    const out = c.finish();
    const all = lines.join('');
    expect(out.rawBytes).toBe(all.length);
    expect(readFileSync(path, 'utf8')).toBe(all);
    expect(out.text.startsWith(all.slice(0, 100))).toBe(true);
    expect(out.text.endsWith('line 0499\n')).toBe(true);
    expect(out.text).toMatch(/\[outloop: \d+ bytes in the middle of the output were not read for this summary/);
    expect(out.text).not.toContain('line 0250');
    expect(out.leftOut).toBeGreaterThan(all.length - 200);
    expect(out.text.length).toBeLessThan(400);
  });

  it('a log that cannot be written is reported, and the output is still collected', () => {
    const path = join(dirs.make(), 'r.log');
    writeFileSync(path, '');
    // a descriptor open for reading only: every write fails (EBADF), as a full disk would
    const c = new OutputCollector(openSync(path, 'r'), 64, 64);
    c.add(Buffer.from('x\n'));
    const out = c.finish();
    expect(out.text).toBe('x\n');
    expect(out.logProblem).toMatch(/^writing the log failed after 0 bytes/);
  });
});
