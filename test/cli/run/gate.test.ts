import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPattern } from '../../../src/cli/run/gate.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const SIG = 'test:node:all';
const offload = (enabled: boolean, signature = SIG): string =>
  JSON.stringify({
    v: 1,
    enabled,
    writtenAt: '2026-12-06T00:00:00Z',
    patterns: [{ signature, patternId: 3, family: 'test' }],
  });

function stateWith(text: string | null): string {
  const dir = dirs.make();
  if (text !== null) writeFileSync(join(dir, 'offload.json'), text);
  return dir;
}

describe('outloop run --pattern gate', () => {
  it('lets the approved operation through', () => {
    expect(checkPattern('node --test t.test.mjs', SIG, stateWith(offload(true)), '/w')).toEqual({
      ok: true,
      entry: { signature: SIG, patternId: 3, family: 'test' },
    });
  });
  it.each([
    ['node --test a.mjs; rm -rf ~', offload(true), "not one simple command (';' joins commands)"],
    ['node --test a.mjs > out', offload(true), 'not one simple command (redirection)'],
    ['npm test', offload(true), `the command is operation test:npm:all, not ${SIG}`],
    ['node --test a.mjs', null, 'is missing: nothing is offloaded'],
    ['node --test a.mjs', '{corrupt', 'is unreadable or of another version'],
    ['node --test a.mjs', offload(false), 'offload is switched off'],
    ['node --test a.mjs', offload(true, 'lint:eslint:all'), `pattern ${SIG} is not offloaded`],
  ])('refuses %s (offload.json %s)', (command, file, reason) => {
    const gate = checkPattern(command, SIG, stateWith(file), '/w');
    expect(gate.ok).toBe(false);
    expect(gate.ok ? '' : gate.reason).toContain(reason);
  });
});
