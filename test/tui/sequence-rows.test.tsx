/** Near-duplicate sequences at 80x24: every visible row of the pattern table can be told apart. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeDaemon, makePattern } from './fake-client.js';
import { renderApp, type Rendered } from './render.js';
import { KEYS } from './streams.js';

let r: Rendered | undefined;
afterEach(() => {
  r?.unmount();
  r = undefined;
});

const G = 'git:status:all';
const D = 'git:diff:all';
const T = 'typecheck:tsc:all';
const V = 'test:vitest:all';
const E = 'lint:eslint:all';
const P = 'format:prettier:all';
const S = 'script:get-teamwork-tasks:all';
const SEQUENCES = [
  [G, T, V],
  [G, T, E],
  [G, T, V, E],
  [G, T],
  [G, V],
  [D, T, V],
  [T, V],
  [T, E],
  [V, E, P],
  [V, E],
  [S, G, T, V],
  [S, G, T, E],
];

/** Sequences that differ only after a long shared start; every other column is the same. */
function daemon(): FakeDaemon {
  return new FakeDaemon({
    patterns: SEQUENCES.map((parts, i) =>
      makePattern(i + 1, {
        signature: `seq:${parts.join('>')}`,
        kind: 'sequence',
        status: 'detected',
        occurrences30d: 7,
        confidence: 70,
        monthlySavingsUsd: 3,
        tokenBasis: 'estimated',
        offloadFamily: null,
      }),
    ),
  });
}

/** The table rows of a frame: the lines under the header row. */
function tableRows(frame: string, count: number): string[] {
  const lines = frame.split('\n');
  const header = lines.findIndex((l) => /signature\s+status/.test(l));
  return lines.slice(header + 1, header + 1 + count).map((l) => l.replace(/^[› ] ?/, '').trimEnd());
}

describe('sequence rows at 80x24', () => {
  it('no two visible rows are the same, and the details show the full steps', async () => {
    r = await renderApp({ daemon: daemon(), size: { columns: 80, rows: 24 } });
    await r.waitForFrame('● connected');
    await r.waitForFrame(`of ${SEQUENCES.length}`);
    const rows = tableRows(r.lastFrame(), SEQUENCES.length);
    expect(rows).toHaveLength(SEQUENCES.length);
    for (const row of rows) expect(row).toMatch(/detected/);
    expect(new Set(rows).size).toBe(rows.length);
    // labels, not signatures; a shared start is shortened or left out so the differing steps show
    for (const row of rows) expect(row).not.toMatch(/^seq:/);
    expect(rows).toContainEqual(expect.stringMatching(/^… → git s… → tsc → vi/));
    // the first row's details list every step of its signature
    r.press(KEYS.enter);
    await r.waitForFrame('Reviews');
    const frame = r.lastFrame();
    const id = Number(/#(\d+)/.exec(frame)?.[1]);
    const parts = SEQUENCES[id - 1] ?? [];
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((step, i) => expect(frame).toContain(`${i + 1}. ${step}`));
    expect(frame).toMatch(new RegExp(`steps \\(${parts.length}\\)`));
    r.press(KEYS.escape);
    await vi.waitFor(() => expect(r?.lastFrame()).not.toContain('Reviews'));
  });
});
