import { describe, expect, it } from 'vitest';
import { cleanLines, collapseRepeats, foldSimilar } from '../../../src/core/compact/generic.js';
import { compact } from '../../../src/core/compact/index.js';

/** How many output lines the compact text stands for: repeats, similar runs and the cut counted. */
function represented(text: string): number {
  let n = 0;
  for (const line of text.split('\n').slice(0, -1)) {
    const times = / {2}\(×(\d+)\)$/.exec(line);
    const similar = /^ {2}… (\d+) similar lines …$/.exec(line);
    const cut = /^… (\d+) lines? of the output left out …$/.exec(line);
    n += Number(times?.[1] ?? similar?.[1] ?? cut?.[1] ?? 1);
  }
  return n;
}

/** The count in the closing line: `[outloop: N lines, …]`. */
function closingLines(text: string): number {
  const m = /\[outloop: (?:nothing left out \()?(\d+) lines/.exec(text.split('\n').pop() ?? '');
  return Number(m?.[1]);
}

describe('generic compactor', () => {
  it('keeps short output whole and says nothing was left out', () => {
    const r = compact('ls -la', 'a\nb\nc\n', 0);
    expect(r.tool).toBe('generic');
    expect(r.text).toBe('a\nb\nc\n[outloop: nothing left out (3 lines)]');
  });

  it('removes ANSI escapes and applies \\r redraws of progress bars', () => {
    const out =
      '\x1b[32mok\x1b[0m\nDownloading 10%\rDownloading 50%\rDownloading 100%\ndone\x1b]8;;http://x\x07link\x1b]8;;\x07\n';
    expect(cleanLines(out)).toEqual(['ok', 'Downloading 100%', 'donelink']);
  });

  it('collapses identical lines with a count and near-identical ones around a count', () => {
    const lines = [
      'start',
      ...Array(5).fill('retrying'),
      ...Array.from({ length: 10 }, (_, i) => `fetched ${i + 1}/10`),
      'end',
    ];
    expect(foldSimilar(lines)).toEqual([
      'start',
      'retrying  (×5)',
      'fetched 1/10',
      '  … 8 similar lines …',
      'fetched 10/10',
      'end',
    ]);
  });

  it('condenses losslessly where the output is the information: only identical runs are counted', () => {
    const lines = ['a', 'a', 'a', 'line 1', 'line 2', 'line 3', 'line 4', '', '', 'b'];
    expect(collapseRepeats(lines)).toEqual(['a  (×3)', 'line 1', 'line 2', 'line 3', 'line 4', '  (×2)', 'b']);
  });

  it('keeps head and tail of long output and counts what it cut, in the text and the closing line', () => {
    const out = Array.from(
      { length: 5000 },
      (_, i) => `line ${i} ${'x'.repeat(i % 7)}${i % 2 ? 'odd' : 'even'} ${String.fromCharCode(97 + (i % 26))}`,
    ).join('\n');
    const r = compact('./build.sh', out, 0);
    expect(r.text).toContain('line 0 ');
    expect(r.text).toContain('line 4999 ');
    expect(r.text).toMatch(/^… \d+ lines of the output left out …$/m);
    expect(represented(r.text)).toBe(5000);
    expect(closingLines(r.text)).toBe(5000);
    expect(r.compactTokens).toBeLessThan(r.rawTokens / 10);
  });

  it('counts every line behind a large output read only at its ends', () => {
    const lines: string[] = [];
    for (let i = 0; lines.length < 300_000; i++) {
      if (i % 50 === 0) lines.push(...Array<string>(40).fill('waiting for lock'));
      else if (i % 7 === 0) lines.push(...Array.from({ length: 30 }, (_, k) => `progress ${k}/30`));
      else lines.push(`step ${i.toString(36)} ${i % 3 ? 'compile' : 'link'} ${'abcdefghij'[i % 10] ?? ''}`);
    }
    for (const end of ['', '\n']) {
      const out = lines.join('\n') + end;
      expect(out.length).toBeGreaterThan(2 * 1024 * 1024);
      const r = compact('./build.sh', out, 0);
      expect(represented(r.text)).toBe(lines.length);
      expect(closingLines(r.text)).toBe(lines.length);
      expect(r.text).toContain(lines[0]);
      expect(r.text).toContain(lines[lines.length - 1]);
    }
  });

  it('survives binary output: no NUL reaches the text, and it says so', () => {
    const bytes = Array.from({ length: 4096 }, (_, i) => String.fromCharCode(i % 256)).join('');
    const r = compact('cat image.png', bytes, 0);
    expect(r.text).not.toContain('\0');
    expect(r.text.startsWith('[binary output')).toBe(true);
  });

  it('passes replacement characters of invalid UTF-8 through', () => {
    const r = compact('cat notes.txt', 'caf\uFFFD au lait\nna\uFFFDve\n', 0);
    expect(r.text).toContain('caf\uFFFD au lait');
  });

  it('caps a 50 MB single line and 200,000 lines', () => {
    const huge = 'y'.repeat(50 * 1024 * 1024);
    const r1 = compact('yes | head -c 50M', huge, 0);
    expect(r1.text.length).toBeLessThan(2000);
    expect(r1.text).toContain(`${huge.length - 300} more characters`);
    const many = Array.from({ length: 200_000 }, (_, i) => `row ${i}: ${i % 3 === 0 ? 'alpha' : 'beta'}`).join('\n');
    const r2 = compact('./export.sh', many, 0);
    expect(closingLines(r2.text)).toBe(200_000);
    expect(r2.text.split('\n').length).toBeLessThan(120);
  });

  it('keeps interleaved stdout and stderr in their order', () => {
    const out = 'compiling a\nwarning: unused x\ncompiling b\nerror: missing y\n';
    expect(compact('./make.sh', out, 1).text).toContain(
      'compiling a\nwarning: unused x\ncompiling b\nerror: missing y',
    );
  });

  it('answers for empty output', () => {
    const r = compact('true', '', 0);
    expect(r.tool).toBe('generic');
    expect(r.rawTokens).toBe(0);
  });
});

describe('bad input stays linear', () => {
  it('sniffs 200,000 blank lines behind npm test without going quadratic', () => {
    const r = compact('npm test', '\n'.repeat(200_000), 1);
    expect(r.tool).toBe('generic');
    expect(r.text.split('\n').length).toBeLessThan(5);
  });

  it('reads a failure whose stack line is a megabyte long', () => {
    const out = ` FAIL  a.test.ts > x\nError: boom\n    at ${'a'.repeat(1_000_000)}\n\n Test Files  1 failed (1)\n      Tests  1 failed (1)\n`;
    const r = compact('npx vitest run', out, 1);
    expect(r.tool).toBe('vitest');
    expect(r.facts.failures).toEqual(['a.test.ts > x']);
    expect(r.text.length).toBeLessThan(1000);
  });

  it('says how much a dedicated compactor left out even when its text is not shorter', () => {
    const out = ' Test Files  1 passed (1)\n      Tests  1 passed (1)\n';
    const r = compact('npx vitest run', out, 0);
    expect(r.tool).toBe('vitest');
    expect(r.text).not.toContain('nothing left out');
  });
});
