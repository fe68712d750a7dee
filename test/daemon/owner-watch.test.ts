import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removableOnExit } from '../../src/daemon/owner-watch.js';

describe('removableOnExit', () => {
  it('accepts only an outloop-demo-* directory directly under the temp dir', () => {
    const demo = join(tmpdir(), 'outloop-demo-abc123');
    expect(removableOnExit(demo)).toBe(demo);
    expect(removableOnExit(undefined)).toBeNull();
    expect(removableOnExit('')).toBeNull();
    expect(removableOnExit(join(tmpdir(), 'other-dir'))).toBeNull();
    expect(removableOnExit(join(demo, 'state'))).toBeNull();
    expect(removableOnExit('/home/me/outloop-demo-x')).toBeNull();
    expect(removableOnExit(join(tmpdir(), 'outloop-demo-x', '..', '..', 'etc'))).toBeNull();
  });
});
