import { memo } from 'react';
import { Box, Text } from 'ink';
import { PANES, PANE_TITLES, type Pane } from '../state/dashboard.js';
import { useTheme } from '../theme.js';

export interface HeaderProps {
  readonly pane: Pane;
  readonly width: number;
}

/** `outloop  1 Patterns  2 Savings ...`; below 60 columns only the active pane keeps its title. */
export const Header = memo(function Header({ pane, width }: HeaderProps) {
  const theme = useTheme();
  const compact = width < 60;
  return (
    <Box>
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>
          outloop
        </Text>
        {PANES.map((p, i) => {
          const active = p === pane;
          const label = compact && !active ? `${i + 1}` : `${i + 1} ${PANE_TITLES[p]}`;
          return (
            <Text key={p}>
              {' '}
              <Text inverse={active} bold={active} color={active ? undefined : theme.muted}>
                {active ? `[${label}]` : ` ${label} `}
              </Text>
            </Text>
          );
        })}
        <Text color={theme.muted}> ? help</Text>
      </Text>
    </Box>
  );
});
