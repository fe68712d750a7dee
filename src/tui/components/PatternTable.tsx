import { memo } from 'react';
import { Box, Text } from 'ink';
import { assertNever } from '../../core/assert-never.js';
import type { PatternSummary } from '../../rpc/protocol.js';
import { formatCount, formatUsd } from '../format.js';
import { MARKER_WIDTH, type Column, type ColumnId } from '../state/layout.js';
import { useTheme, type Theme } from '../theme.js';
import { Cell } from './Cell.js';

export interface PatternTableProps {
  /** Only the visible window: the caller slices the full list. */
  readonly rows: readonly PatternSummary[];
  readonly columns: readonly Column[];
  readonly selectedId: number | null;
  /** Display labels by signature (patternLabels over the whole list); a row without one shows its signature. */
  readonly labels?: ReadonlyMap<string, string>;
}

function cellText(p: PatternSummary, id: ColumnId, labels: ReadonlyMap<string, string> | undefined): string {
  switch (id) {
    case 'signature':
      return labels?.get(p.signature) ?? p.signature;
    case 'status':
      return p.status;
    case 'offload':
      return p.offload ? 'on' : p.offloadFamily === null ? '—' : 'off';
    case 'uses':
      return formatCount(p.occurrences30d);
    case 'confidence':
      return String(Math.round(p.confidence));
    case 'savings':
      return formatUsd(p.monthlySavingsUsd);
    case 'basis':
      return p.tokenBasis === 'measured' ? 'meas' : 'est';
    case 'tool':
      return p.toolName ?? '—';
    default: {
      return assertNever(id);
    }
  }
}

function cellColour(p: PatternSummary, id: ColumnId, theme: Theme): string | undefined {
  if (id === 'status') return theme.status[p.status];
  if (id === 'offload') return p.offload ? theme.ok : theme.muted;
  if (id === 'basis') return p.tokenBasis === 'measured' ? undefined : theme.muted;
  return undefined;
}

export const PatternTable = memo(function PatternTable({ rows, columns, selectedId, labels }: PatternTableProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={MARKER_WIDTH} flexShrink={0} />
        {columns.map((c) => (
          <Cell key={c.id} width={c.width} align={c.align} gap={1} bold color={theme.accent}>
            {c.title}
          </Cell>
        ))}
      </Box>
      {rows.map((p) => {
        const selected = p.id === selectedId;
        return (
          <Box key={p.id}>
            <Box width={MARKER_WIDTH} flexShrink={0}>
              <Text color={theme.accent}>{selected ? '›' : ' '}</Text>
            </Box>
            {columns.map((c) => (
              <Cell
                key={c.id}
                width={c.width}
                align={c.align}
                gap={1}
                color={cellColour(p, c.id, theme)}
                inverse={selected && c.id === 'signature'}
              >
                {cellText(p, c.id, labels)}
              </Cell>
            ))}
          </Box>
        );
      })}
    </Box>
  );
});
