/** What a new user sees first: an empty store says how to get data. */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDaemon } from './fake-client.js';
import { renderApp, type Rendered } from './render.js';

let r: Rendered | undefined;
afterEach(() => {
  r?.unmount();
  r = undefined;
});

describe('the Patterns pane with no data', () => {
  it('names the three ways to get some', async () => {
    r = await renderApp({ daemon: new FakeDaemon({ patterns: [] }) });
    await r.waitForFrame('No patterns learned yet');
    const frame = r.lastFrame();
    expect(frame).toContain('outloop ingest ~/.claude/projects');
    expect(frame).toContain('outloop init');
    expect(frame).toContain('npm run demo');
  });
});
