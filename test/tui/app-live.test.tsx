/** Live behaviour: events, refreshes, reconnects, big lists, narrow and resized terminals. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { METHODS, type PatternSummary } from '../../src/rpc/protocol.js';
import { deferred, FakeDaemon, makePattern } from './fake-client.js';
import { renderApp, type Rendered } from './render.js';
import { KEYS } from './streams.js';

let r: Rendered | undefined;
afterEach(() => {
  r?.unmount();
  r = undefined;
});

const ready = async (opts: Parameters<typeof renderApp>[0] = {}): Promise<Rendered> => {
  r = await renderApp(opts);
  await r.waitForFrame('● connected');
  await r.waitForFrame(/of \d/);
  return r;
};
const lines = (frame: string): string[] => frame.split('\n');
const widest = (frame: string): number => Math.max(...lines(frame).map((l) => [...l].length));

describe('live data', () => {
  it('open details refresh when the pattern is approved from elsewhere', async () => {
    const t = await ready();
    t.press(KEYS.enter);
    await t.waitForFrame('Reviews');
    expect(t.lastFrame()).toContain('none yet');
    t.daemon.review(3, 'approve', 'alice');
    t.daemon.emit([{ kind: 'review', summary: 'alice approved #3', patternId: 3 }]);
    await t.waitForFrame('alice approve: candidate → approved');
    expect(lines(t.lastFrame())[2]).toContain('approved');
    // an event about another pattern does not refetch these details
    const gets = t.daemon.callsOf(METHODS.patternsGet).length;
    t.daemon.emit([{ kind: 'review', summary: 'bob rejected #2', patternId: 2 }]);
    await vi.waitFor(() => expect(t.daemon.callsOf(METHODS.patternsList).length).toBeGreaterThanOrEqual(3));
    expect(t.daemon.callsOf(METHODS.patternsGet).length).toBe(gets);
  });

  it('pattern, usage and savings events refresh what they touch', async () => {
    const t = await ready();
    t.daemon.patterns.set(4, makePattern(4, { signature: 'lint:eslint:frontend', monthlySavingsUsd: 99 }));
    t.daemon.emit([{ kind: 'pattern', summary: 'new pattern lint:eslint:frontend', patternId: 4 }]);
    await t.waitForFrame('lint:eslint:frontend');
    const forecasts = t.daemon.callsOf(METHODS.forecast).length;
    t.daemon.emit([{ kind: 'usage', summary: '12k tokens' }]);
    await vi.waitFor(() => expect(t.daemon.callsOf(METHODS.forecast).length).toBe(forecasts + 1));
    const savings = t.daemon.callsOf(METHODS.savingsSummary).length;
    t.daemon.emit([{ kind: 'savings', summary: 'saved $0.12' }]);
    await vi.waitFor(() => expect(t.daemon.callsOf(METHODS.savingsSummary).length).toBe(savings + 1));
  });

  it('a burst of events is coalesced into few refreshes', async () => {
    const t = await ready({ app: { dataOptions: { refreshMinIntervalMs: 200, eventFlushMs: 5 } } });
    const before = t.daemon.callsOf(METHODS.patternsList).length;
    for (let i = 0; i < 200; i++) t.daemon.emit([{ kind: 'pattern', summary: `p ${i}`, patternId: 1 }]);
    t.press('4');
    await t.waitForFrame('p 199');
    // 200 notifications → one batch → one refresh of the list
    await vi.waitFor(() => expect(t.daemon.callsOf(METHODS.patternsList).length).toBe(before + 1));
    expect(t.daemon.callsOf(METHODS.daemonStatus).length).toBe(2);
  });

  it('survives a daemon restart mid-action: shows the failure, reconnects, resubscribes with its cursor', async () => {
    const daemon = new FakeDaemon();
    const t = await ready({ daemon });
    t.daemon.emit([{ kind: 'tool_call', summary: 'Bash ls' }]);
    await vi.waitFor(() => expect(daemon.callsOf(METHODS.patternsList).length).toBeGreaterThanOrEqual(1));
    const hang = deferred<PatternSummary>();
    daemon.overrides = { [METHODS.patternsApprove]: () => hang.promise };
    t.press('a');
    await t.waitForFrame('approve #3…');
    daemon.down = true;
    daemon.restart();
    await t.waitForFrame('✗ approve #3 failed: connection to the daemon lost');
    await t.waitForFrame('reconnecting');
    await vi.waitFor(() => expect(daemon.connectAttempts).toBeGreaterThanOrEqual(3));
    await t.waitForFrame(/attempt \d/);
    // actions while disconnected are refused with a message
    t.press('a'); // approve applies to the candidate #3: only the connection stops it
    await t.waitForFrame('not connected to the daemon');
    daemon.overrides = {};
    daemon.down = false;
    await t.waitForFrame('● connected');
    await vi.waitFor(() => expect(daemon.callsOf(METHODS.eventsSubscribe)).toHaveLength(2));
    const subs = daemon.callsOf(METHODS.eventsSubscribe);
    expect(subs[0]).toEqual({});
    expect(subs[subs.length - 1]).toEqual({ since: 'c:1:1' });
    // the new instance answers as a fresh instance; the TUI works on
    t.press('a');
    await t.waitForFrame('✓ approved #3');
  });

  it('10,000 patterns: renders only the visible window', async () => {
    const patterns = Array.from({ length: 10_000 }, (_, i) => makePattern(i + 1));
    const t = await ready({ daemon: new FakeDaemon({ patterns }) });
    const frame = await t.waitForFrame('10,000 of 10,000');
    const rows = lines(frame).filter((l) => l.includes('test:pytest:p'));
    expect(rows.length).toBe(18); // 24 rows − header, info, table header, message, status, spare
    t.press('G');
    await t.waitForFrame('rows 9983-10000');
    expect(t.lastFrame()).toContain('p00001');
    t.press('/', '0999');
    await t.waitForFrame('11 of 10,000'); // 00999 and 09990-09999
  });

  it('truncates very long signatures and examples to the width', async () => {
    const long = `build:${'x'.repeat(500)}:backend`;
    const daemon = new FakeDaemon({
      patterns: [makePattern(1, { signature: long, examples: [`npm run ${'y'.repeat(800)}`] })],
    });
    const t = await ready({ daemon });
    await t.waitForFrame('build:xxx');
    expect(widest(t.lastFrame())).toBeLessThanOrEqual(100);
    expect(t.lastFrame()).toContain('…');
    t.press(KEYS.enter);
    await t.waitForFrame('npm run yyy');
    expect(widest(t.lastFrame())).toBeLessThanOrEqual(100);
  });

  it('works in a 40-column terminal', async () => {
    const t = await ready({ size: { columns: 40, rows: 24 } });
    const frame = t.lastFrame();
    expect(widest(frame)).toBeLessThanOrEqual(40);
    expect(lines(frame).length).toBeLessThanOrEqual(23);
    expect(frame).toContain('[1 Patterns]');
    expect(frame).toContain('$/mo');
    expect(frame).not.toContain('conf');
    for (const key of ['2', '3', '4']) {
      t.press(key);
      await t.waitForFrame(`[${key} `);
      expect(widest(t.lastFrame())).toBeLessThanOrEqual(40);
    }
    t.press('1', KEYS.enter);
    await t.waitForFrame('Reviews');
    expect(widest(t.lastFrame())).toBeLessThanOrEqual(40);
  });

  it('adapts to resizes', async () => {
    const t = await ready({ size: { columns: 80, rows: 24 } });
    expect(t.lastFrame()).toContain('basis');
    expect(lines(t.lastFrame()).length).toBe(23);
    t.stdout?.resize(50, 12);
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('basis'));
    expect(widest(t.lastFrame())).toBeLessThanOrEqual(50);
    expect(lines(t.lastFrame()).length).toBe(11);
    t.stdout?.resize(120, 40);
    await t.waitForFrame('tool');
    expect(lines(t.lastFrame()).length).toBe(39);
  });

  it('shows the fresh-instance backlog in the feed and bounds it', async () => {
    const backlog = Array.from({ length: 30 }, (_, i) => ({
      seq: i + 1,
      kind: 'hook_event' as const,
      ts: '2025-01-15T11:00:00.000Z',
      summary: `backlog ${i + 1}`,
    }));
    const t = await ready({ daemon: new FakeDaemon({ backlog }) });
    t.press('4');
    await t.waitForFrame('backlog 30');
    expect(t.lastFrame()).not.toContain('backlog 1\n');
    t.press('k', 'k', 'k');
    await t.waitForFrame('3 newer below');
    expect(t.lastFrame()).toContain('backlog 27');
    expect(t.lastFrame()).not.toContain('backlog 30');
  });
});
