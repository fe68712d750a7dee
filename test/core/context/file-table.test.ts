import { describe, expect, it } from 'vitest';
import { efficiencyReport } from '../../../src/core/context/efficiency-report.js';
import { restoreTable, saveTable } from '../../../src/core/context/efficiency-state.js';
import { FileTable } from '../../../src/core/context/file-table.js';

const ROOT = '/home/ana/src/shop';

describe('FileTable', () => {
  it('knows a file under the root once, however it was loaded', () => {
    const t = new FileTable(ROOT);
    t.loadIn('app/cart.py', 100, false);
    t.load(`${ROOT}/app/cart.py`, 50, false);
    expect(t.loaded).toHaveLength(1);
    expect(t.loaded[0]).toMatchObject({ key: 'app/cart.py', inRoot: true, bytes: 150, loads: 2 });
  });

  it('keys a file outside the root by its path; drive paths are flagged', () => {
    const t = new FileTable(ROOT);
    t.load('/etc/hosts', 10, false);
    t.load('C:/Users/ana/notes.md', 10, true);
    expect(t.loaded.map((e) => [e.inRoot, e.win, e.media])).toEqual([
      [false, false, false],
      [false, true, true],
    ]);
  });

  it('a token uses the loaded files it names as a path suffix, not a mere name suffix', () => {
    const t = new FileTable(ROOT);
    t.loadIn('app/cart.py', 100, false);
    t.loadIn('app/minicart.py', 100, false);
    t.matchToken(null, 'cart.py', ROOT, true);
    expect(t.used).toEqual(['app/cart.py']);
    expect(t.usedInRoot).toEqual([true]);
    expect(t.isUsed(t.loaded[0]!)).toBe(true);
    expect(t.isUsed(t.loaded[1]!)).toBe(false);
  });
});

describe('efficiencyReport and the saved table', () => {
  it('reports the same after a save and restore', () => {
    const t = new FileTable(ROOT);
    t.loadIn('app/cart.py', 4000, false);
    t.load('/etc/hosts', 400, false);
    t.useIn('app/cart.py');
    t.use('/tmp/new.txt');
    const report = efficiencyReport(t);
    expect(report).toMatchObject({
      filesLoaded: 2,
      filesUsed: 2,
      filesLoadedAndUsed: 1,
      efficiencyPct: 50,
      tokensLoaded: 1100,
      tokensUsed: 1000,
      used: ['app/cart.py', '/tmp/new.txt'],
      topWasted: [{ path: '/etc/hosts', tokens: 100 }],
    });
    const back = restoreTable(saveTable(t));
    expect(back).not.toBeNull();
    expect(efficiencyReport(back!)).toEqual(report);
  });

  it('is not restored from another form', () => {
    expect(restoreTable('[2,null,[],[]]')).toBeNull();
    expect(restoreTable('[1,"/r",["a",0,1,1],[]]')).toBeNull();
  });
});
