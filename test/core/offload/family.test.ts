import { describe, expect, it } from 'vitest';
import { offloadFamily } from '../../../src/core/offload/family.js';

const cmd = (signature: string, ...examples: string[]) => ({ kind: 'command' as const, signature, examples });

describe('offloadFamily', () => {
  it('maps the signature category when no dedicated compactor knows the examples', () => {
    expect(offloadFamily(cmd('test:pytest:backend', 'pytest -q'))).toBe('test');
    expect(offloadFamily(cmd('test:npm-test:all', 'npm test'))).toBe('test');
    expect(offloadFamily(cmd('typecheck:tsc:all'))).toBe('build');
    expect(offloadFamily(cmd('build:vite:frontend'))).toBe('build');
    expect(offloadFamily(cmd('lint:eslint:all'))).toBe('lint');
    expect(offloadFamily(cmd('format:prettier:all'))).toBe('format');
    expect(offloadFamily(cmd('deps:pip-install:backend'))).toBe('install');
    expect(offloadFamily(cmd('git:status:all'))).toBe('git');
  });

  it('leaves out what only the generic compactor would read, and every non-command pattern', () => {
    expect(offloadFamily(cmd('other:curl:all', 'curl https://example.com'))).toBeNull();
    expect(offloadFamily(cmd('docs:typedoc:all', 'typedoc'))).toBeNull();
    expect(offloadFamily(cmd('nocolon'))).toBeNull();
    expect(offloadFamily(cmd('constructor:x:y'))).toBeNull();
    expect(
      offloadFamily({ kind: 'sequence', signature: 'seq:test:pytest:all>lint:eslint:all', examples: [] }),
    ).toBeNull();
    expect(offloadFamily({ kind: 'fix_loop', signature: 'fix:test:pytest:all', examples: ['pytest'] })).toBeNull();
    expect(offloadFamily({ kind: 'workflow', signature: 'test:sdlc:all', examples: [] })).toBeNull();
  });
});
