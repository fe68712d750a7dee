import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { PatternSummary } from '../../rpc/protocol.js';
import { helpRows, type HelpGroup } from '../keymap.js';
import { reviewsText } from '../state/review-options.js';
import { useTheme } from '../theme.js';

export interface HelpOverlayProps {
  readonly width: number;
  readonly height: number;
  readonly scroll: number;
  /** The pattern the review keys act on (the selected one), when there is one. */
  readonly pattern?: Pick<PatternSummary, 'id' | 'signature' | 'status'> | undefined;
}

const GROUP_TITLES: Readonly<Record<HelpGroup, string>> = {
  global: 'Global',
  navigation: 'Move',
  patterns: 'Patterns',
  events: 'Events',
};

const KEYS_WIDTH = 12;

/** Rendered from the keymap table itself, so help and bindings cannot drift apart. */
export function HelpOverlay({ width, height, scroll, pattern }: HelpOverlayProps) {
  const theme = useTheme();
  const rows = helpRows();
  const lines: { key: string; node: ReactNode }[] = [];
  let group: HelpGroup | null = null;
  for (const r of rows) {
    if (r.group !== group) {
      group = r.group;
      lines.push({
        key: `g:${group}`,
        node: (
          <Text bold color={theme.accent}>
            {GROUP_TITLES[group]}
          </Text>
        ),
      });
    }
    lines.push({
      key: `r:${r.keys}`,
      node: (
        <Text wrap="truncate-end">
          {'  '}
          <Text bold>{r.keys.padEnd(KEYS_WIDTH)}</Text>
          {r.description}
        </Text>
      ),
    });
  }
  const visible = Math.max(1, height - 1);
  const twoColumns = lines.length > visible && width >= 90;
  const perColumn = twoColumns ? Math.ceil(lines.length / 2) : lines.length;
  const columns = twoColumns ? [lines.slice(0, perColumn), lines.slice(perColumn)] : [lines];
  const start = Math.max(0, Math.min(scroll, perColumn - visible));
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text wrap="truncate-end" color={theme.muted}>
        {`Keys · esc or ? closes${perColumn > visible ? ' · ↑↓ scroll' : ''}`}
        {pattern ? ` · #${pattern.id} is ${reviewsText(pattern.status)}` : ''}
      </Text>
      <Box>
        {columns.map((col, i) => (
          <Box key={i} flexDirection="column" width={twoColumns ? Math.floor(width / 2) : width}>
            {col.slice(start, start + visible).map((l) => (
              <Box key={l.key}>{l.node}</Box>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
