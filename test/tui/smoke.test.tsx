import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, type Rendered } from './render.js';

describe('ink-testing-library with ink 6', () => {
  it('renders a frame and delivers stdin to useInput', async () => {
    const { lastFrame, unmount } = render(<Text>hello ink 6</Text>);
    expect(lastFrame()).toBe('hello ink 6');
    unmount();
  });
});

describe('dashboard smoke', () => {
  let r: Rendered | undefined;
  afterEach(() => r?.unmount());

  it('shows the patterns table and the status bar', async () => {
    r = await renderApp();
    const frame = await r.waitForFrame('test:pytest:p00003');
    expect(frame).toContain('1 Patterns');
    expect(frame).toContain('● connected');
    expect(frame).toContain('3 of 3');
  });
});
