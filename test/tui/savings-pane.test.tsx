/** The Savings pane: measured savings of runs beside what the replay says offloading would have saved. */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { METHODS, type SavingsReplayResult } from '../../src/rpc/protocol.js';
import { SavingsPane } from '../../src/tui/components/SavingsPane.js';
import { createTheme, ThemeContext } from '../../src/tui/theme.js';
import { defaultReplay, defaultSavings, FakeDaemon } from './fake-client.js';
import { renderApp, type Rendered } from './render.js';

let r: Rendered | undefined;
afterEach(() => {
  r?.unmount();
  r = undefined;
});

function pane(replay: SavingsReplayResult | null, replayError?: string): string {
  const inst = render(
    <ThemeContext.Provider value={createTheme({ NO_COLOR: '1' })}>
      <SavingsPane
        savings={defaultSavings()}
        error={undefined}
        replay={replay}
        replayError={replayError}
        width={100}
        height={24}
      />
    </ThemeContext.Provider>,
  );
  const frame = inst.lastFrame() ?? '';
  inst.unmount();
  return frame;
}

describe('Savings pane', () => {
  it('shows saved (runs) and would have saved (replay) side by side, each labelled, from the daemon', async () => {
    r = await renderApp({ daemon: new FakeDaemon() });
    await r.waitForFrame('● connected');
    r.press('2');
    await r.waitForFrame('Would have saved');
    const frame = r.lastFrame();
    expect(frame).toContain('Measured savings (offloaded and routed runs)');
    expect(frame).toContain('saved (runs) today $1.25');
    expect(frame).toContain('(measured, replay of the last 30 days)');
    expect(frame).toMatch(/would have saved \$0\.78/);
    expect(frame).toContain('93%');
    expect(frame).toMatch(/carry-over \(cache reads, separate\)/);
    expect(frame).toContain('test:vitest:all');
    const calls = r.daemon.current.calls.filter((c) => c.method === METHODS.savingsReplay);
    expect(calls.length).toBeGreaterThan(0);
    expect((calls[0]?.params as { since?: string }).since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('says when there is nothing to replay, while it loads, and when the replay failed', () => {
    const empty = defaultReplay();
    empty.totals = { ...empty.totals, calls: 0 };
    empty.byPattern = [];
    expect(pane(empty)).toContain('no recorded Bash output to replay');
    expect(pane(null)).toContain('replaying recorded outputs…');
    expect(pane(null, 'the daemon is shutting down')).toContain('replay: the daemon is shutting down');
    // the runs' figures stay whatever the replay's state
    expect(pane(null, 'x')).toContain('$123.75');
  });
});
