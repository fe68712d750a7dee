/** Drives every command of the keymap through stdin and checks the frame and the RPC calls. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { METHODS } from '../../src/rpc/protocol.js';
import { KEY_BINDINGS, type Command } from '../../src/tui/keymap.js';
import { deferred, FakeDaemon, makePattern } from './fake-client.js';
import { renderApp, type Rendered } from './render.js';
import { KEYS } from './streams.js';
import type { PatternSummary } from '../../src/rpc/protocol.js';

let r: Rendered | undefined;
afterEach(() => {
  r?.unmount();
  r = undefined;
});

/** The row carrying the selection marker. */
const selectedRow = (frame: string): string => frame.split('\n').find((l) => l.startsWith('›')) ?? '';
const ready = async (opts: Parameters<typeof renderApp>[0] = {}): Promise<Rendered> => {
  r = await renderApp(opts);
  await r.waitForFrame('● connected');
  await r.waitForFrame(/of \d/);
  return r;
};

const covered = new Set<Command>();
const drive = (cmd: Command): Command => {
  covered.add(cmd);
  return cmd;
};

describe('keys', () => {
  it('tab / shift-tab and 1-4 switch panes', async () => {
    const t = await ready();
    drive('nextPane');
    t.press(KEYS.tab);
    await t.waitForFrame('[2 Savings]');
    await t.waitForFrame('Measured savings');
    drive('prevPane');
    t.press(KEYS.shiftTab);
    await t.waitForFrame('[1 Patterns]');
    drive('paneQuota');
    t.press('3');
    await t.waitForFrame('RECOMMENDED');
    expect(t.lastFrame()).toContain('HIGH');
    expect(t.lastFrame()).toContain('official');
    expect(t.lastFrame()).toContain('estimated');
    expect(t.lastFrame()).toContain('25.0k tok/min');
    drive('paneEvents');
    t.press('4');
    await t.waitForFrame('live · p pauses');
    drive('paneSavings');
    t.press('2');
    await t.waitForFrame('routed_tool');
    expect(t.lastFrame()).toContain('$123.75');
    expect(t.lastFrame()).toContain('#3 test:pytest:backend');
    drive('panePatterns');
    t.press('1');
    await t.waitForFrame('[1 Patterns]');
  });

  it('arrows and j/k move the selection', async () => {
    const t = await ready();
    expect(selectedRow(t.lastFrame())).toContain('p00003');
    drive('down');
    t.press('j');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00002'));
    t.press(KEYS.down);
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00001'));
    drive('up');
    t.press('k');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00002'));
    t.press(KEYS.up);
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00003'));
  });

  it('page, home/end and g/G move by windows', async () => {
    const patterns = Array.from({ length: 60 }, (_, i) => makePattern(i + 1));
    const t = await ready({ daemon: new FakeDaemon({ patterns }) });
    expect(selectedRow(t.lastFrame())).toContain('p00060');
    drive('pageDown');
    t.press(KEYS.pageDown); // 18 table rows at 24 terminal rows
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00042'));
    drive('pageUp');
    t.press(KEYS.pageUp);
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00060'));
    drive('bottom');
    t.press('G');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00001'));
    expect(t.lastFrame()).toContain('rows 43-60');
    drive('top');
    t.press('g');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00060'));
    t.press(KEYS.end);
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00001'));
    t.press(KEYS.home);
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00060'));
  });

  it('? shows help from the keymap table; esc and ? close it', async () => {
    const t = await ready({ size: { columns: 100, rows: 60 } });
    drive('help');
    t.press('?');
    const frame = await t.waitForFrame('Keys · esc or ? closes');
    for (const spec of Object.values(KEY_BINDINGS)) expect(frame).toContain(spec.description);
    drive('close');
    t.press(KEYS.escape);
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('Keys · esc'));
    t.press('?');
    await t.waitForFrame('Keys · esc');
    t.press('?');
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('Keys · esc'));
  });

  it('help scrolls when it does not fit', async () => {
    const t = await ready({ size: { columns: 40, rows: 24 } });
    t.press('?');
    await t.waitForFrame('↑↓ scroll');
    expect(t.lastFrame()).not.toContain('pause / resume');
    for (let i = 0; i < 20; i++) t.press(KEYS.down);
    await t.waitForFrame('pause / resume');
  });

  it('enter opens details (examples, reviews, context, tool); esc closes', async () => {
    const t = await ready();
    drive('details');
    t.press(KEYS.enter);
    const frame = await t.waitForFrame('Reviews');
    expect(frame).toContain('#3 test:pytest:p00003');
    expect(frame).toContain('Examples');
    expect(frame).toContain('uv run pytest tests/test_3.py -q');
    expect(frame).toContain('Context profile');
    expect(frame).toContain('Tool');
    expect(frame).toContain('frequency 30');
    expect(t.daemon.callsOf(METHODS.patternsGet)).toEqual([{ id: 3 }]);
    t.press(KEYS.escape);
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('Reviews'));
    expect(t.lastFrame()).toContain('3 of 3');
  });

  it('a approves the selected pattern through RPC and reports it', async () => {
    const t = await ready();
    drive('approve');
    t.press('a');
    await t.waitForFrame('✓ approved #3 test:pytest:p00003 → approved');
    expect(t.daemon.callsOf(METHODS.patternsApprove)).toEqual([{ id: 3, actor: 'tui' }]);
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('approved'));
  });

  it('r asks for a reason, then rejects with the note; esc cancels', async () => {
    const t = await ready();
    drive('reject');
    t.press('r');
    await t.waitForFrame('reject #3 reason:');
    t.press(KEYS.escape);
    await t.waitForFrame('reject cancelled');
    expect(t.daemon.callsOf(METHODS.patternsReject)).toEqual([]);
    t.press('r');
    await t.waitForFrame('reject #3 reason:');
    t.press('f', 'l', 'a', 'k', 'y', 'x', KEYS.backspace, ' test'); // keys typed in the prompt are text, not commands
    await t.waitForFrame('reason: flaky test');
    t.press(KEYS.enter);
    await t.waitForFrame('✓ rejected #3');
    expect(t.daemon.callsOf(METHODS.patternsReject)).toEqual([{ id: 3, actor: 'tui', note: 'flaky test' }]);
  });

  it('d deprecates an approved pattern; a refusal by the daemon (a stale row) is shown, not thrown', async () => {
    const t = await ready();
    drive('deprecate');
    t.press('a');
    await t.waitForFrame('✓ approved #3');
    t.press('d');
    await t.waitForFrame('✓ deprecated #3');
    expect(t.daemon.callsOf(METHODS.patternsDeprecate)).toEqual([{ id: 3, actor: 'tui' }]);
    // #2 was rejected elsewhere while its row still says candidate: the daemon refuses
    t.daemon.overrides = {
      [METHODS.patternsApprove]: () =>
        Promise.reject(new AppError('illegal_transition', 'Cannot approve a pattern that is rejected')),
    };
    t.press('j');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00002'));
    t.press('a');
    await t.waitForFrame('✗ approve #2 failed: Cannot approve a pattern that is rejected');
  });

  it('a / r / d that do not apply say which do, without asking for a reason or sending anything', async () => {
    const daemon = new FakeDaemon({
      patterns: [makePattern(1), makePattern(2), makePattern(3, { status: 'approved' })],
    });
    const t = await ready({ daemon, size: { columns: 120, rows: 24 } });
    // the message line: the line above the status bar
    const hint = (): string => t.lastFrame().split('\n').slice(-2)[0] ?? '';
    expect(hint()).toContain('d deprecate');
    expect(hint()).not.toContain('a approve');
    expect(hint()).not.toContain('r reject');
    // a candidate: a and r apply, d does not; in details too
    t.press('j');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00002'));
    await vi.waitFor(() => expect(hint()).toContain('enter details · a approve · r reject · o offload'));
    t.press(KEYS.enter);
    await t.waitForFrame('Reviews');
    await vi.waitFor(() => expect(hint()).toMatch(/^a approve · r reject · u undo/));
    t.press('d');
    await t.waitForFrame(
      '#2 is candidate: a approve · r reject (deprecate applies to approved, implemented or active)',
    );
    expect(daemon.callsOf(METHODS.patternsDeprecate)).toEqual([]);
    t.press(KEYS.escape);
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('Reviews'));
    // back on the approved #3: r and a say what applies, ask nothing and send nothing
    t.press('k');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00003'));
    t.press('r');
    await t.waitForFrame('#3 is approved: d deprecate (reject applies to detected or candidate)');
    expect(t.lastFrame()).not.toContain('reason:');
    t.press('a');
    await t.waitForFrame('#3 is approved: d deprecate (approve applies to detected or candidate)');
    expect(daemon.callsOf(METHODS.patternsReject)).toEqual([]);
    expect(daemon.callsOf(METHODS.patternsApprove)).toEqual([]);
    t.press('?');
    await t.waitForFrame('Keys · esc or ? closes · #3 is approved: d deprecate');
    t.press('?');
    // after deprecating, no review applies
    t.press('d');
    await t.waitForFrame('✓ deprecated #3');
    t.press('d');
    await t.waitForFrame('#3 is deprecated: no review applies (deprecate applies to approved, implemented or active)');
    expect(daemon.callsOf(METHODS.patternsDeprecate)).toEqual([{ id: 3, actor: 'tui' }]);
  });

  it('u undoes the last review within 10 s, and only then', async () => {
    let now = 1_000_000;
    const t = await ready({ app: { now: () => now } });
    drive('undo');
    t.press('u');
    await t.waitForFrame('nothing to undo');
    t.press('a');
    await t.waitForFrame('✓ approved #3');
    now += 9_000;
    t.press('u');
    await t.waitForFrame('✓ undid approve of #3 test:pytest:p00003 → candidate');
    expect(t.daemon.callsOf(METHODS.patternsUndo)).toEqual([{ id: 3, actor: 'tui' }]);
    t.press('u'); // the undo itself cannot be undone
    await t.waitForFrame('nothing to undo');
    t.press('a');
    await t.waitForFrame('✓ approved #3');
    now += 10_001;
    t.press('u');
    await t.waitForFrame('nothing to undo');
    expect(t.daemon.callsOf(METHODS.patternsUndo)).toHaveLength(1);
  });

  it('o switches offload for the selected pattern; the column and the details show it', async () => {
    const daemon = new FakeDaemon({
      patterns: [makePattern(1, { offloadFamily: null }), makePattern(2), makePattern(3, { status: 'approved' })],
    });
    const t = await ready({ daemon, size: { columns: 80, rows: 24 } });
    expect(t.lastFrame()).toContain('offl');
    expect(t.lastFrame()).toContain('o offload');
    expect(selectedRow(t.lastFrame())).toMatch(/approved\s+off\s/);
    drive('offload');
    t.press('o');
    await t.waitForFrame('✓ offload on for #3 test:pytest:p00003 (test)');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toMatch(/approved\s+on\s/));
    expect(daemon.callsOf(METHODS.offloadSet)).toEqual([{ patternId: 3, on: true, actor: 'tui' }]);
    t.press(KEYS.enter);
    await t.waitForFrame('Reviews');
    expect(t.lastFrame()).toMatch(/offload\s+on · runs through outloop run, compacted as test/);
    t.press('o'); // from the details too
    await t.waitForFrame('✓ offload off for #3');
    await t.waitForFrame(/offload\s+off · o turns it on \(compacted as test\)/);
    t.press(KEYS.escape);
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('Reviews'));
    t.press('j');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00002'));
    t.press('o'); // a candidate: the daemon refuses, the message says why
    await t.waitForFrame('✗ offload on #2 failed: pattern 2 is candidate: only an approved');
    t.press('j');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toMatch(/p00001.*—/));
    t.press(KEYS.enter);
    await t.waitForFrame(/offload\s+no: no compactor reads this command/);
    expect(daemon.callsOf(METHODS.offloadSet)).toHaveLength(3);
    // an approval of a compactable pattern turns offload on
    t.press(KEYS.escape);
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('Reviews'));
    t.press('k', 'a');
    await t.waitForFrame('✓ approved #2');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toMatch(/approved\s+on\s/));
  });

  it('says when offload is switched off for every pattern', async () => {
    const daemon = new FakeDaemon({ patterns: [makePattern(1, { status: 'approved' })] });
    daemon.offloadEnabled = false;
    const t = await ready({ daemon, size: { columns: 140, rows: 24 } });
    await t.waitForFrame('offload switched off');
    t.press('o');
    await t.waitForFrame('✓ offload on for #1 test:pytest:p00001 (test) · offload is switched off for every pattern');
  });

  it('/ filters by text live; enter keeps, esc in the prompt restores, esc clears', async () => {
    const t = await ready();
    drive('filter');
    t.press('/');
    await t.waitForFrame('/ ');
    t.press('p00002');
    await t.waitForFrame('1 of 3');
    expect(t.lastFrame()).not.toContain('p00003');
    t.press(KEYS.enter);
    await t.waitForFrame('filter "p00002"');
    t.press('/', 'x');
    await t.waitForFrame('/ p00002x');
    await t.waitForFrame('0 of 3');
    t.press(KEYS.escape);
    await vi.waitFor(() => expect(t.lastFrame()).not.toContain('enter keeps'));
    expect(t.lastFrame()).toContain('filter "p00002"');
    expect(t.lastFrame()).toContain('1 of 3');
    t.press(KEYS.escape);
    await t.waitForFrame('3 of 3');
  });

  it('f cycles the status filter', async () => {
    const daemon = new FakeDaemon({
      patterns: [makePattern(1, { status: 'detected' }), makePattern(2), makePattern(3)],
    });
    const t = await ready({ daemon });
    drive('statusFilter');
    t.press('f');
    await t.waitForFrame('status detected');
    expect(t.lastFrame()).toContain('1 of 3');
    t.press('f');
    await t.waitForFrame('status candidate');
    expect(t.lastFrame()).toContain('2 of 3');
    t.press('f');
    await t.waitForFrame('No pattern matches');
  });

  it('s cycles the sort column, S reverses it', async () => {
    const patterns: PatternSummary[] = [
      makePattern(1, { confidence: 99, monthlySavingsUsd: 1 }),
      makePattern(2, { confidence: 50, monthlySavingsUsd: 9 }),
    ];
    const t = await ready({ daemon: new FakeDaemon({ patterns }) });
    expect(selectedRow(t.lastFrame())).toContain('p00002');
    drive('sort');
    t.press('s');
    await t.waitForFrame('sort confidence ↓');
    expect(selectedRow(t.lastFrame())).toContain('p00002'); // the selection follows the pattern
    t.press('g');
    await vi.waitFor(() => expect(selectedRow(t.lastFrame())).toContain('p00001'));
    drive('sortReverse');
    t.press('S');
    await t.waitForFrame('sort confidence ↑');
    const lines = t.lastFrame().split('\n');
    expect(lines.findIndex((l) => l.includes('p00002'))).toBeLessThan(lines.findIndex((l) => l.includes('p00001')));
  });

  it('p pauses the feed; new events are counted, then shown on resume', async () => {
    const t = await ready();
    t.press('4');
    await t.waitForFrame('live · p pauses');
    t.daemon.emit([{ kind: 'tool_call', summary: 'Bash pytest tests/ (exit 0)' }]);
    await t.waitForFrame('Bash pytest tests/ (exit 0)');
    drive('pause');
    t.press('p');
    await t.waitForFrame('PAUSED');
    t.daemon.emit([{ kind: 'quarantine', summary: 'bad line in hooks.jsonl:12' }]);
    await t.waitForFrame('PAUSED (+1 new)');
    expect(t.lastFrame()).not.toContain('bad line');
    expect(t.lastFrame()).toContain('feed paused');
    t.press('p');
    await t.waitForFrame('bad line in hooks.jsonl:12');
    expect(t.lastFrame()).toContain('QUARANTINE');
  });

  it('keys pressed while an action is pending are not sent twice', async () => {
    const daemon = new FakeDaemon();
    const gate = deferred<PatternSummary>();
    daemon.overrides = { [METHODS.patternsApprove]: () => gate.promise };
    const t = await ready({ daemon });
    t.press('a', 'a', 'd');
    await t.waitForFrame('still waiting for approve #3');
    expect(t.lastFrame()).toContain('approve #3…');
    expect(daemon.callsOf(METHODS.patternsApprove)).toHaveLength(1);
    expect(daemon.callsOf(METHODS.patternsDeprecate)).toHaveLength(0);
    gate.resolve(daemon.review(3, 'approve', 'tui'));
    await t.waitForFrame('✓ approved #3');
  });

  it('every command of the keymap was driven above (quit: main.test.tsx)', () => {
    const all = Object.keys(KEY_BINDINGS) as Command[];
    expect(all.filter((c) => !covered.has(c) && c !== 'quit')).toEqual([]);
  });
});
