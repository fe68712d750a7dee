import { renderToString } from 'ink';
import { describe, expect, it } from 'vitest';
import { gaugeCells } from '../../src/tui/components/Gauge.js';
import { PatternDetails } from '../../src/tui/components/PatternDetails.js';
import { PatternsPane } from '../../src/tui/components/PatternsPane.js';
import { sparkline } from '../../src/tui/components/Sparkline.js';
import { formatTokens, formatUsd } from '../../src/tui/format.js';
import { computeLayout, patternColumns } from '../../src/tui/state/layout.js';
import { selectPatterns } from '../../src/tui/state/patterns-view.js';
import { toDailySeries, toQuotaView } from '../../src/tui/state/quota-view.js';
import { createTheme } from '../../src/tui/theme.js';
import { dailyReportOf, dailyRow, defaultForecast, makePattern } from './fake-client.js';

describe('layout', () => {
  it('80x24 leaves the last row free and fits 18 table rows', () => {
    expect(computeLayout({ columns: 80, rows: 24 })).toEqual({
      width: 80,
      height: 23,
      bodyHeight: 20,
      tableRows: 18,
      feedRows: 19,
    });
  });

  it('columns drop the least important first and give the signature the rest', () => {
    const ids = (w: number) => patternColumns(w).map((c) => c.id);
    expect(ids(100)).toEqual(['signature', 'status', 'offload', 'uses', 'confidence', 'savings', 'basis', 'tool']);
    expect(ids(80)).toEqual(['signature', 'status', 'offload', 'uses', 'confidence', 'savings', 'basis', 'tool']);
    expect(ids(60)).toEqual(['signature', 'status', 'offload', 'uses', 'confidence', 'savings', 'basis']);
    expect(ids(50)).toEqual(['signature', 'status', 'uses', 'confidence', 'savings']);
    expect(ids(40)).toEqual(['signature', 'status', 'savings']);
    for (const w of [40, 60, 80, 100, 200]) {
      const total = 2 + patternColumns(w).reduce((s, c) => s + c.width + 1, 0);
      expect(total).toBeLessThanOrEqual(w + 1);
      expect(patternColumns(w)[0]?.width).toBeGreaterThanOrEqual(14);
    }
  });
});

describe('pattern list', () => {
  const list = [
    makePattern(1, { signature: 'test:pytest:backend', status: 'approved', confidence: 90 }),
    makePattern(2, { signature: 'lint:eslint:frontend', toolName: 'eslint-fix', confidence: 80 }),
    makePattern(3, { signature: 'test:jest:frontend', confidence: 80 }),
  ];

  it('filters by every word (signature, status, kind, tool) and by status', () => {
    const ids = (text: string, status: 'approved' | null = null) =>
      selectPatterns(list, { text, status, sort: { key: 'signature', desc: false } }).map((p) => p.id);
    expect(ids('')).toEqual([2, 3, 1]);
    expect(ids('FRONTEND')).toEqual([2, 3]);
    expect(ids('test frontend')).toEqual([3]);
    expect(ids('eslint-fix')).toEqual([2]);
    expect(ids('approved')).toEqual([1]);
    expect(ids('', 'approved')).toEqual([1]);
    expect(selectPatterns(null, { text: '', status: null, sort: { key: 'savings', desc: true } })).toEqual([]);
  });

  it('sorts with ties broken by id', () => {
    const ids = selectPatterns(list, { text: '', status: null, sort: { key: 'confidence', desc: true } }).map(
      (p) => p.id,
    );
    expect(ids).toEqual([1, 2, 3]);
  });

  it('the pane renders a window of a 10,000-row list', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => makePattern(i + 1));
    const out = renderToString(
      <PatternsPane
        rows={rows}
        total={rows.length}
        offset={5000}
        viewport={18}
        selectedId={5001}
        columns={patternColumns(80)}
        filterText=""
        statusFilter={null}
        sort={{ key: 'savings', desc: true }}
        error={undefined}
      />,
      { columns: 80 },
    );
    const lines = out.split('\n');
    expect(lines).toHaveLength(20);
    expect(lines[0]).toContain('rows 5001-5018');
    expect(lines[2]).toMatch(/^› test:pytest:p05001/);
  });
});

describe('pattern details', () => {
  const usesLine = (over: Parameters<typeof makePattern>[1]): string => {
    const out = renderToString(
      <PatternDetails id={1} detail={null} summary={makePattern(1, over)} error={undefined} height={12} />,
      { columns: 120 },
    );
    return out.split('\n').find((l) => l.startsWith('uses')) ?? '';
  };

  it('counts routed runs only where a tool or offload can route the pattern', () => {
    const noRoute = usesLine({ uses: 4, occurrences: 3, occurrences30d: 2 });
    expect(noRoute).toContain('2 in 30 d · 3 all time · 4 runs');
    expect(noRoute).toContain('none routed (no tool, no offload)');
    expect(noRoute).not.toMatch(/\d routed/);
    expect(usesLine({ uses: 4, toolName: 'backend-tests', routedRuns: 1 })).toMatch(/4 runs · 1 routed$/);
    expect(usesLine({ uses: 4, status: 'approved', offload: true })).toMatch(/4 runs · 0 routed$/);
    // runs routed before the tool or offload went away stay true
    expect(usesLine({ uses: 9, routedRuns: 3 })).toMatch(/9 runs · 3 routed$/);
  });
});

describe('quota view', () => {
  it('reads core/usage/forecast output', () => {
    const q = toQuotaView(defaultForecast());
    expect(q).toMatchObject({ usagePct: 52, projectedPct: 88, risk: 'high', trend: 'rising', provenance: 'estimated' });
    expect(q?.throttle.recommended).toBe(true);
    expect(q?.fiveHour).toMatchObject({ pct: 40, provenance: 'official', burnTokensPerMin: 25_000 });
  });

  it('keeps the figures a forecast leaves open (an idle window, no rate) as null', () => {
    const f = defaultForecast();
    const idle = { ...f.fiveHour, start: null, end: null, burnTokensPerMin: null, burnUsdPerHour: null, pct: null };
    const q = toQuotaView({ ...f, fiveHour: idle, throttle: { recommended: false, reasons: [] } });
    expect(q?.fiveHour).toMatchObject({ pct: null, burnTokensPerMin: null, burnUsdPerHour: null });
    expect(q?.throttle).toEqual({ recommended: false, reasons: [] });
    expect(toQuotaView(null)).toBeNull();
  });

  it('reads the daily usage report', () => {
    const report = dailyReportOf([dailyRow('2025-01-02', 5, 1), dailyRow('2025-01-01', 0, 0)]);
    expect(toDailySeries(report)).toEqual([
      { date: '2025-01-01', tokens: 0, costUsd: 0 },
      { date: '2025-01-02', tokens: 5, costUsd: 1 },
    ]);
    expect(toDailySeries({ monthly: [], totals: report.totals })).toEqual([]);
    expect(toDailySeries(null)).toEqual([]);
  });
});

describe('small pieces', () => {
  it('sparkline scales to the max and keeps the last values', () => {
    expect(sparkline([0, 1, 2, 4, 8], 5)).toBe('▁▂▃▅█');
    expect(sparkline([9, 9, 0, 0], 2)).toBe('▁▁');
    expect(sparkline([], 5)).toBe('');
  });

  it('gauge cells', () => {
    expect(gaugeCells(50, 80, 10)).toEqual({ used: 5, projected: 3, free: 2 });
    expect(gaugeCells(150, null, 10)).toEqual({ used: 10, projected: 0, free: 0 });
    expect(gaugeCells(null, null, 4)).toEqual({ used: 0, projected: 0, free: 4 });
  });

  it('formats money and tokens', () => {
    expect(formatUsd(123.75)).toBe('$123.75');
    expect(formatUsd(12_345)).toBe('$12.3k');
    expect(formatUsd(null)).toBe('—');
    expect(formatTokens(1_234_567)).toBe('1.2M');
  });

  it('NO_COLOR removes every colour', () => {
    const plain = createTheme({ NO_COLOR: '1' });
    expect(plain.colour).toBe(false);
    expect([plain.ok, plain.danger, plain.risk.critical, plain.status.approved, plain.event.quarantine]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(createTheme({}).risk.critical).toBe('red');
    expect(createTheme({ NO_COLOR: '' }).colour).toBe(true);
  });
});
