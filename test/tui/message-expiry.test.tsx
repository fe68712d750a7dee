/** Messages leave the message line when their time is up: the undo offer with the undo window. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { METHODS } from '../../src/rpc/protocol.js';
import { ERROR_MESSAGE_MS, MESSAGE_MS, UNDO_WINDOW_MS } from '../../src/tui/state/dashboard.js';
import { renderApp, type Rendered } from './render.js';
import { KEYS } from './streams.js';

let r: Rendered | undefined;
afterEach(() => {
  r?.unmount();
  r = undefined;
  vi.useRealTimers();
});

const ready = async (): Promise<Rendered> => {
  // the undo window is measured on the same (fake) clock as the timers
  r = await renderApp({ app: { now: () => Date.now() } });
  await r.waitForFrame('● connected');
  await r.waitForFrame(/of \d/);
  // only the timers: promises, I/O and Ink's input handling stay real
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  return r;
};

/** Advances the fake clock and lets Ink draw what changed. */
const advance = async (ms: number): Promise<void> => {
  await vi.advanceTimersByTimeAsync(ms);
};

describe('message line', () => {
  it('the "u undoes (10 s)" offer goes when the undo window closes, and the key hints come back', async () => {
    const t = await ready();
    t.press('a');
    await t.waitForFrame('u undoes (10 s)');
    await advance(UNDO_WINDOW_MS - 1_000);
    expect(t.lastFrame()).toContain('u undoes (10 s)');
    await advance(1_000);
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('u undoes'));
    expect(t.lastFrame()).toContain('? help');
    // the window is closed too: `u` has nothing to undo
    t.press('u');
    await t.waitForFrame('nothing to undo');
  });

  it('other messages go after a while; errors stay longer; a newer message starts again', async () => {
    const t = await ready();
    t.press('r');
    await t.waitForFrame('reject #3 reason:');
    t.press(KEYS.escape);
    await t.waitForFrame('reject cancelled');
    await advance(MESSAGE_MS - 2_000);
    t.press('u'); // a new message replaces it and gets its own time
    await t.waitForFrame('nothing to undo');
    await advance(2_000);
    expect(t.lastFrame()).toContain('nothing to undo');
    await advance(MESSAGE_MS - 2_000);
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('nothing to undo'));
    t.daemon.overrides = {
      [METHODS.patternsApprove]: () => Promise.reject(new AppError('illegal_transition', 'refused')),
    };
    t.press('a');
    await t.waitForFrame('✗ approve #3 failed: refused');
    await advance(MESSAGE_MS);
    expect(t.lastFrame()).toContain('✗');
    await advance(ERROR_MESSAGE_MS - MESSAGE_MS);
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('✗'));
  });
});
