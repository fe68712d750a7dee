import { memo, useMemo } from 'react';
import { Box, Text } from 'ink';
import { patternLabels } from '../../core/learning/sequence-label.js';
import type { PatternStatus } from '../../core/types.js';
import type { PatternSummary } from '../../rpc/protocol.js';
import { formatCount } from '../format.js';
import type { SortKey } from '../state/dashboard.js';
import type { Column } from '../state/layout.js';
import { useTheme } from '../theme.js';
import { PatternTable } from './PatternTable.js';

export interface PatternsPaneProps {
  /** The filtered, sorted list (possibly 10,000 rows); only `viewport` rows from `offset` render. */
  readonly rows: readonly PatternSummary[];
  readonly total: number | null;
  readonly offset: number;
  readonly viewport: number;
  readonly selectedId: number | null;
  readonly columns: readonly Column[];
  readonly filterText: string;
  readonly statusFilter: PatternStatus | null;
  readonly sort: { key: SortKey; desc: boolean };
  readonly error: string | undefined;
}

export const PatternsPane = memo(function PatternsPane(props: PatternsPaneProps) {
  const { rows, total, offset, viewport, selectedId, columns, filterText, statusFilter, sort, error } = props;
  const theme = useTheme();
  const visible = rows.slice(offset, offset + viewport);
  // over the whole list, so a row's label does not change while scrolling; distinct at the column's width
  const labelWidth = columns.find((c) => c.id === 'signature')?.width ?? Infinity;
  const labels = useMemo(
    () =>
      patternLabels(
        rows.map((r) => r.signature),
        labelWidth,
      ),
    [rows, labelWidth],
  );
  const parts = [
    total === null ? 'loading patterns…' : `${formatCount(rows.length)} of ${formatCount(total)}`,
    `sort ${sort.key} ${sort.desc ? '↓' : '↑'}`,
    statusFilter === null ? null : `status ${statusFilter}`,
    filterText === '' ? null : `filter "${filterText}"`,
    rows.length > viewport ? `rows ${offset + 1}-${offset + visible.length}` : null,
  ].filter((p): p is string => p !== null);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" color={error === undefined ? theme.muted : theme.danger}>
        {error === undefined ? parts.join(' · ') : `patterns: ${error}`}
      </Text>
      {total === 0 ? (
        <EmptyHint />
      ) : total !== null && rows.length === 0 ? (
        <Text color={theme.muted}>No pattern matches the filter (esc clears it).</Text>
      ) : (
        <PatternTable rows={visible} columns={columns} selectedId={selectedId} labels={labels} />
      )}
    </Box>
  );
});

/** The first screen without data says how to get some. */
function EmptyHint(): React.JSX.Element {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      <Text color={theme.muted}>No patterns learned yet. To give outloop something to learn from:</Text>
      <Text wrap="truncate-end"> outloop ingest ~/.claude/projects read your Claude Code history</Text>
      <Text wrap="truncate-end"> outloop init capture new sessions live (hooks)</Text>
      <Text wrap="truncate-end"> npm run demo try it on generated activity</Text>
    </Box>
  );
}
