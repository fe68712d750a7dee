/**
 * TUI figures (run with tsx):
 * - patternsRender10kMs: median of 20 renders of the Patterns pane over 10,000 patterns, each with
 *   a different sort so filtering + sorting really run (as on a key press), plus the visible window;
 * - idleCpuPct: the whole app against an in-process fake daemon, nothing happening, for
 *   OUTLOOP_BENCH_SECONDS (default 60) s: process CPU time / wall time;
 * - busyCpuPct: the same while the fake pushes 100 events/s through `events/changed` (every 10th a
 *   pattern event, so throttled list refreshes of 1,000 patterns happen too). The fake daemon runs
 *   in this process, so its work is included: the figure is an upper bound for the TUI.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { useMemo } from 'react';
import { render, renderToString } from 'ink';
import type { PatternSummary } from '../src/rpc/protocol.js';
import { App } from '../src/tui/App.js';
import { DaemonProvider } from '../src/tui/client-context.js';
import { PatternsPane } from '../src/tui/components/PatternsPane.js';
import { SORT_KEYS, type SortKey } from '../src/tui/state/dashboard.js';
import { computeLayout, patternColumns } from '../src/tui/state/layout.js';
import { selectPatterns } from '../src/tui/state/patterns-view.js';
import { createTheme, ThemeContext } from '../src/tui/theme.js';
import { FakeDaemon, makePattern } from '../test/tui/fake-client.js';
import { median } from './stats.js';

export interface TuiBench {
  /** a frame after moving the selection (the 10,000-row list is memoized) */
  patternsRender10kMs: number;
  /** a frame after changing the sort: filter + sort of all 10,000 rows, then the frame */
  patternsResort10kMs: number;
  /** a first render from nothing (a fresh Ink instance and layout engine) */
  patternsFirstRender10kMs: number;
  idleCpuPct: number;
  busyCpuPct: number;
}

const COLUMNS = 100;
const ROWS = 30;

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

function PatternsBench({
  patterns,
  sortKey,
  desc,
  selected = 0,
}: {
  patterns: readonly PatternSummary[];
  sortKey: SortKey;
  desc: boolean;
  selected?: number;
}) {
  const layout = computeLayout({ columns: COLUMNS, rows: ROWS });
  const rows = useMemo(
    () => selectPatterns(patterns, { text: '', status: null, sort: { key: sortKey, desc } }),
    [patterns, sortKey, desc],
  );
  return (
    <PatternsPane
      rows={rows}
      total={patterns.length}
      offset={0}
      viewport={layout.tableRows}
      selectedId={rows[selected]?.id ?? null}
      columns={patternColumns(layout.width)}
      filterText=""
      statusFilter={null}
      sort={{ key: sortKey, desc }}
      error={undefined}
    />
  );
}

/**
 * Renders of the mounted Patterns pane over 10,000 patterns, as the live app does them: a frame
 * after a selection move (the list is memoized) and a frame after a sort change (filter + sort of
 * all 10,000 rerun). Each sample is rerender + the frame written to the terminal.
 */
async function benchRender(): Promise<{ moveMs: number; resortMs: number; firstMs: number }> {
  const patterns = Array.from({ length: 10_000 }, (_, i) =>
    makePattern(i + 1, { monthlySavingsUsd: (i * 7919) % 1000 }),
  );
  const theme = createTheme({ NO_COLOR: '1' });
  const stdout = new SinkStdout();
  const el = (sortKey: SortKey, desc: boolean, selected = 0): React.JSX.Element => (
    <ThemeContext.Provider value={theme}>
      <PatternsBench patterns={patterns} sortKey={sortKey} desc={desc} selected={selected} />
    </ThemeContext.Provider>
  );
  const t0 = performance.now();
  const first = renderToString(el('savings', true), { columns: COLUMNS });
  const firstMs = performance.now() - t0;
  if (!first.includes('10,000 of 10,000')) throw new Error('bench: the pane did not render');
  const instance = render(el('savings', true), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: new QuietStdin() as unknown as NodeJS.ReadStream,
    patchConsole: false,
    exitOnCtrlC: false,
    maxFps: 1000,
  });
  const frame = async (fn: () => void): Promise<number> => {
    const before = stdout.bytes;
    const t = performance.now();
    fn();
    while (stdout.bytes === before && performance.now() - t < 2000) await new Promise((r) => setImmediate(r));
    return performance.now() - t;
  };
  try {
    await sleep(100);
    const resort: number[] = [];
    for (let i = 0; i < 20; i++) {
      const key = SORT_KEYS[i % SORT_KEYS.length] ?? 'savings';
      resort.push(await frame(() => instance.rerender(el(key, i % 2 === 0))));
    }
    const move: number[] = [];
    const last = SORT_KEYS[19 % SORT_KEYS.length] ?? 'savings';
    for (let i = 0; i < 20; i++) move.push(await frame(() => instance.rerender(el(last, false, 1 + (i % 10)))));
    return { moveMs: round(median(move)), resortMs: round(median(resort)), firstMs: round(firstMs) };
  } finally {
    instance.unmount();
    instance.cleanup();
  }
}

/** A terminal that keeps only the byte count. */
class SinkStdout extends EventEmitter {
  readonly isTTY = true;
  readonly columns = COLUMNS;
  readonly rows = ROWS;
  bytes = 0;
  tail = '';
  write = (s: string): boolean => {
    this.bytes += s.length;
    this.tail = (this.tail + s).slice(-4000);
    return true;
  };
}

class QuietStdin extends EventEmitter {
  readonly isTTY = true;
  read = (): null => null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

async function cpuPct(ms: number): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(ms);
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  return round(((c.user + c.system) / 1000 / wall) * 100);
}

async function benchCpu(seconds: number): Promise<{ idleCpuPct: number; busyCpuPct: number }> {
  const daemon = new FakeDaemon({ patterns: Array.from({ length: 1000 }, (_, i) => makePattern(i + 1)) });
  const client = await daemon.connect();
  const stdout = new SinkStdout();
  const instance = render(
    <DaemonProvider initialClient={client} connect={daemon.connect}>
      <App />
    </DaemonProvider>,
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: new QuietStdin() as unknown as NodeJS.ReadStream,
      stderr: new SinkStdout() as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 10,
    },
  );
  try {
    const deadline = Date.now() + 10_000;
    while (!stdout.tail.includes('1,000 of 1,000')) {
      if (Date.now() > deadline) throw new Error('bench: the app did not load');
      await sleep(20);
    }
    await sleep(1500); // let the initial refresh throttle window pass
    const idleCpuPct = await cpuPct(seconds * 1000);

    let n = 0;
    const pump = setInterval(() => {
      n += 1;
      daemon.emit([
        n % 10 === 0
          ? { kind: 'pattern', summary: `pattern ${n} updated`, patternId: 1 + (n % 1000) }
          : { kind: n % 2 === 0 ? 'tool_call' : 'hook_event', summary: `Bash pytest tests/test_${n}.py (exit 0)` },
      ]);
    }, 10);
    let busyCpuPct: number;
    try {
      busyCpuPct = await cpuPct(seconds * 1000);
    } finally {
      clearInterval(pump);
    }
    return { idleCpuPct, busyCpuPct };
  } finally {
    instance.unmount();
    instance.cleanup();
  }
}

export async function benchTui(): Promise<TuiBench> {
  const seconds = Math.max(1, Number(process.env['OUTLOOP_BENCH_SECONDS'] ?? 60) || 60);
  const r = await benchRender();
  const cpu = await benchCpu(seconds);
  return {
    patternsRender10kMs: r.moveMs,
    patternsResort10kMs: r.resortMs,
    patternsFirstRender10kMs: r.firstMs,
    ...cpu,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchTui().then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
