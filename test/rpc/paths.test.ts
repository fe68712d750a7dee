import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertSocketPathLength,
  MAX_SOCKET_PATH_BYTES,
  resolveSocketPath,
  resolveStateDir,
  SocketPathTooLongError,
  spoolDir,
} from '../../src/rpc/paths.js';

describe('resolveStateDir', () => {
  it.each([
    [{ OUTLOOP_HOME: '/s/home', XDG_STATE_HOME: '/x', HOME: '/h' }, '/s/home'],
    [{ XDG_STATE_HOME: '/x', HOME: '/h' }, '/x/outloop'],
    [{ HOME: '/h' }, '/h/.local/state/outloop'],
    [{ OUTLOOP_HOME: '', XDG_STATE_HOME: '', HOME: '/h' }, '/h/.local/state/outloop'],
  ])('%j → %s', (env, want) => {
    expect(resolveStateDir(env)).toBe(want);
  });
});

describe('resolveSocketPath', () => {
  it.each([
    [{ OUTLOOP_SOCKET: '/tmp/a.sock', XDG_RUNTIME_DIR: '/run/user/1', OUTLOOP_HOME: '/s' }, '/tmp/a.sock'],
    [{ XDG_RUNTIME_DIR: '/run/user/1', OUTLOOP_HOME: '/s' }, '/run/user/1/outloop/outloop.sock'],
    [{ OUTLOOP_HOME: '/s' }, '/s/outloop.sock'],
    [{ HOME: '/h' }, '/h/.local/state/outloop/outloop.sock'],
    [{ OUTLOOP_SOCKET: '', XDG_RUNTIME_DIR: '', OUTLOOP_HOME: '/s' }, '/s/outloop.sock'],
  ])('%j → %s', (env, want) => {
    expect(resolveSocketPath(env)).toBe(want);
  });
});

describe('socket path length', () => {
  it('accepts a path at the limit', () => {
    const path = `/tmp/${'a'.repeat(MAX_SOCKET_PATH_BYTES - 5)}`;
    expect(Buffer.byteLength(path)).toBe(MAX_SOCKET_PATH_BYTES);
    expect(() => assertSocketPathLength(path)).not.toThrow();
  });

  it('rejects a longer one with a message naming OUTLOOP_SOCKET', () => {
    const path = join('/tmp', 'x'.repeat(120), 'outloop.sock');
    expect(() => assertSocketPathLength(path)).toThrow(SocketPathTooLongError);
    expect(() => assertSocketPathLength(path)).toThrow(/OUTLOOP_SOCKET/);
  });

  it('counts bytes, not characters', () => {
    const path = `/tmp/${'é'.repeat(60)}`;
    expect(path.length).toBeLessThan(MAX_SOCKET_PATH_BYTES);
    expect(() => assertSocketPathLength(path)).toThrow(SocketPathTooLongError);
  });
});

it('puts the spool under the state dir', () => {
  expect(spoolDir('/s')).toBe('/s/spool');
});
