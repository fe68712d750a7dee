import { describe, expect, it, vi } from 'vitest';
import { runTui } from '../../src/tui/main.js';
import { FakeDaemon } from './fake-client.js';
import { FakeStdin, FakeStdout, KEYS } from './streams.js';

function streams() {
  const stdout = new FakeStdout(80, 24);
  const stderr = new FakeStdout(80, 24);
  const stdin = new FakeStdin();
  return {
    stdout,
    stderr,
    stdin,
    opts: { stdout: stdout.asStream(), stderr: stderr.asStream(), stdin: stdin.asStream() },
  };
}

describe('runTui', () => {
  it('exits 3 with one line on stderr when the daemon is unreachable, without starting Ink', async () => {
    const daemon = new FakeDaemon();
    daemon.down = true;
    const s = streams();
    const code = await runTui({ connect: daemon.connect, ...s.opts });
    expect(code).toBe(3);
    expect(s.stdout.frames).toEqual([]);
    expect(s.stderr.frames).toHaveLength(1);
    expect(s.stderr.frames[0]).toMatch(/^outloop tui: cannot reach the daemon: .*\n$/);
    expect(s.stderr.frames[0]?.split('\n')).toHaveLength(2);
  });

  it.each([
    ['q', 'q'],
    ['ctrl-c', KEYS.ctrlC],
  ])('%s quits with exit code 0 and closes the connection', async (_name, key) => {
    const daemon = new FakeDaemon();
    const s = streams();
    const done = runTui({ connect: daemon.connect, ...s.opts, patchConsole: false });
    const output = (): string => s.stdout.frames.join('');
    await vi.waitFor(() => expect(output()).toContain('● connected'));
    await vi.waitFor(() => expect(output()).toContain('3 of 3'));
    s.stdin.write(key);
    await expect(done).resolves.toBe(0);
    expect(daemon.clients.every((c) => c.closed)).toBe(true);
  });
});
