/** Where things go for a terminal size: pure, so 40-column and 80x24 layouts are unit-tested. */

export interface TerminalSize {
  columns: number;
  rows: number;
}

export interface Layout {
  width: number;
  /** One row short of the terminal: a frame as tall as the screen makes Ink clear it on every update. */
  height: number;
  /** Rows between the header and the two footer lines. */
  bodyHeight: number;
  /** Pattern rows that fit under the pane's info line and the table header. */
  tableRows: number;
  /** Event rows that fit under the feed's title line. */
  feedRows: number;
}

export const MIN_COLUMNS = 20;
export const MIN_ROWS = 8;

export function computeLayout(size: TerminalSize): Layout {
  const width = Math.max(MIN_COLUMNS, Math.floor(size.columns));
  const height = Math.max(MIN_ROWS, Math.floor(size.rows)) - 1;
  const bodyHeight = height - 3;
  return { width, height, bodyHeight, tableRows: Math.max(1, bodyHeight - 2), feedRows: Math.max(1, bodyHeight - 1) };
}

export type ColumnId = 'signature' | 'status' | 'offload' | 'uses' | 'confidence' | 'savings' | 'basis' | 'tool';

export interface Column {
  id: ColumnId;
  title: string;
  width: number;
  align: 'left' | 'right';
}

/** Width of the selection marker before each row. */
export const MARKER_WIDTH = 2;
const GAP = 1;
const MIN_SIGNATURE = 14;

const FIXED: readonly Column[] = [
  { id: 'status', title: 'status', width: 11, align: 'left' },
  // `on` offloaded, `off` could be (a compactor knows it), `—` cannot be
  { id: 'offload', title: 'offl', width: 4, align: 'left' },
  { id: 'uses', title: '30d', width: 5, align: 'right' },
  { id: 'confidence', title: 'conf', width: 4, align: 'right' },
  { id: 'savings', title: '$/mo', width: 8, align: 'right' },
  { id: 'basis', title: 'basis', width: 5, align: 'left' },
  { id: 'tool', title: 'tool', width: 12, align: 'left' },
];
/** Dropped first when the terminal is narrow. */
const DROP_ORDER: readonly ColumnId[] = ['tool', 'basis', 'offload', 'confidence', 'uses'];

/** The pattern table's columns for `width`: the signature takes what the others leave. */
export function patternColumns(width: number): Column[] {
  const available = Math.max(0, width - MARKER_WIDTH);
  let fixed = [...FIXED];
  const used = (): number => fixed.reduce((s, c) => s + c.width + GAP, 0);
  for (const id of DROP_ORDER) {
    if (available - used() >= MIN_SIGNATURE) break;
    fixed = fixed.filter((c) => c.id !== id);
  }
  const signature: Column = {
    id: 'signature',
    title: 'signature',
    width: Math.max(1, available - used()),
    align: 'left',
  };
  return [signature, ...fixed];
}
