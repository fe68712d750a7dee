import { describe, expect, it } from 'vitest';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { pyrightCompactor } from '../../../src/core/compact/python-check.js';
import { toolFixtures } from './toolchain-fixtures.js';

const fixtures = toolFixtures('pyright');

describe('pyright compactor on captured pyright 1.1.414 output', () => {
  it.each(['errors', 'errors-tail'])('%s keeps every error under its file with the rule', (name) => {
    const f = fixtures.find((x) => x.name === name);
    const r = compact(f?.command ?? '', f?.output ?? '', f?.exitCode ?? 1);
    expect(r.tool).toBe('pyright');
    expect(r.text).toMatch(/\nfiles under \/\S+\/python-lint\/project\/pkg\/\nlegacy\.py\n/);
    expect(r.text).toMatch(/\nmodels\.py\n {2}11:16 error: Operator "\+" not supported/);
    expect(r.facts.locations).toContain(`${r.text.split('\n')[1]?.slice('files under '.length) ?? ''}models.py:11:16`);
    for (const at of ['18:12 error', '22:12 error', '7:24 error', '12:17 error', '2:21 warning'])
      expect(r.text).toContain(at);
    for (const rule of [
      'reportOperatorIssue',
      'reportReturnType',
      'reportArgumentType',
      'reportAttributeAccessIssue',
    ]) {
      expect(r.text).toContain(`(${rule})`);
    }
    expect(r.facts).toMatchObject({ errors: 5, warnings: 1 });
    expect(r.facts.locations).toHaveLength(5);
    expect(r.text).toContain('5 errors, 1 warning, 0 informations');
  });

  it('says a clean run in one line and answers null without the summary', () => {
    const f = fixtures.find((x) => x.name === 'clean');
    expect(compact(f?.command ?? '', f?.output ?? '', 0).text.split('\n')[0]).toBe(
      'pyright: 0 errors, 0 warnings, 0 informations (exit 0)',
    );
    expect(pyrightCompactor.compact(commandInfo('pyright'), '  /a.py:1:1 - error: x\n', 1)).toBeNull();
  });
});
