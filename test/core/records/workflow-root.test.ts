import { describe, expect, it } from 'vitest';
import { callFacts } from '../../../src/core/context/facts.js';
import { worktreeRoot } from '../../../src/core/records/workflow-root.js';
import { call } from '../../helpers/context-calls.js';

const read = (path: string, cwd: string | null = null) =>
  callFacts(call('Read', { file_path: path }, { cwd, responseBytes: 10 }));

describe('worktreeRoot', () => {
  it('finds <project>/trees/<id> in the paths of calls without a cwd, on POSIX and Windows', () => {
    expect(worktreeRoot([read('/home/ana/proj/trees/a1b2c3d4/src/a.ts')], 'a1b2c3d4')).toBe(
      '/home/ana/proj/trees/a1b2c3d4',
    );
    expect(worktreeRoot([read('C:\\Users\\Ana\\My Proj\\TREES\\A1B2C3D4\\src\\a.ts')], 'a1b2c3d4')).toBe(
      'c:/Users/Ana/My Proj/TREES/A1B2C3D4',
    );
    expect(worktreeRoot([read('/p/trees/a1b2c3d4')], 'a1b2c3d4')).toBe('/p/trees/a1b2c3d4');
  });

  it('bad input: another id, a longer segment, relative paths, calls with a cwd, odd ids', () => {
    expect(worktreeRoot([read('/p/trees/a1b2c3d4e/src/a.ts')], 'a1b2c3d4')).toBeNull();
    expect(worktreeRoot([read('/p/trees/ffffffff/src/a.ts')], 'a1b2c3d4')).toBeNull();
    expect(worktreeRoot([read('trees/a1b2c3d4/src/a.ts')], 'a1b2c3d4')).toBeNull();
    // a POSIX path compares case-sensitively
    expect(worktreeRoot([read('/p/TREES/a1b2c3d4/a.ts')], 'a1b2c3d4')).toBeNull();
    expect(worktreeRoot([read('/p/trees/a1b2c3d4/a.ts', '/elsewhere')], 'a1b2c3d4')).toBeNull();
    expect(worktreeRoot([null, read('/p/trees/x/a.ts')], '')).toBeNull();
    expect(worktreeRoot([read('/p/trees/x/y/a.ts')], 'x/y')).toBeNull();
    expect(worktreeRoot([], 'a1b2c3d4')).toBeNull();
  });
});
