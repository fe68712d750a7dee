import { memo } from 'react';
import { Box, Text } from 'ink';
import type { SavingsSummary } from '../../rpc/protocol.js';
import { formatTokens, formatUsd } from '../format.js';
import { useTheme } from '../theme.js';
import { Cell } from './Cell.js';
import { Sparkline } from './Sparkline.js';

export interface SavingsPaneProps {
  readonly savings: SavingsSummary | null;
  readonly error: string | undefined;
  readonly width: number;
  readonly height: number;
}

function Figure({ label, value }: { readonly label: string; readonly value: string }) {
  const theme = useTheme();
  return (
    <Box marginRight={3}>
      <Text>
        <Text color={theme.muted}>{label} </Text>
        <Text bold color={theme.ok}>
          {value}
        </Text>
      </Text>
    </Box>
  );
}

export const SavingsPane = memo(function SavingsPane({ savings, error, width, height }: SavingsPaneProps) {
  const theme = useTheme();
  if (savings === null) {
    return (
      <Text color={error === undefined ? theme.muted : theme.danger}>
        {error === undefined ? 'loading savings…' : `savings: ${error}`}
      </Text>
    );
  }
  const nameWidth = Math.max(8, Math.min(32, width - 22));
  // title + figures (≤ 2 lines) + sparkline + 2 section titles
  const listRows = Math.max(1, Math.floor((height - 7) / 2));
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text bold color={theme.accent}>
        Measured savings
      </Text>
      <Box flexWrap="wrap">
        <Figure label="today" value={formatUsd(savings.todayUsd)} />
        <Figure label="month" value={formatUsd(savings.monthUsd)} />
        <Figure label="all time" value={formatUsd(savings.allTimeUsd)} />
        <Figure label="tokens" value={formatTokens(savings.tokensSavedAllTime)} />
      </Box>
      <Text wrap="truncate-end">
        <Text color={theme.muted}>daily </Text>
        <Sparkline values={savings.daily.map((d) => d.usd)} width={Math.max(1, width - 20)} color={theme.ok} />
        <Text color={theme.muted}> max {formatUsd(Math.max(0, ...savings.daily.map((d) => d.usd)))}</Text>
      </Text>
      <Text bold color={theme.accent}>
        By optimization
      </Text>
      {savings.byType.length === 0 ? <Text color={theme.muted}>nothing saved yet</Text> : null}
      {savings.byType.slice(0, listRows).map((t) => (
        <Box key={t.type}>
          <Cell width={nameWidth}>{t.type}</Cell>
          <Cell width={9} align="right">
            {formatUsd(t.usd)}
          </Cell>
          <Cell width={10} align="right" color={theme.muted}>
            {`${formatTokens(t.tokens)} tok`}
          </Cell>
        </Box>
      ))}
      <Text bold color={theme.accent}>
        Top patterns
      </Text>
      {savings.topPatterns.length === 0 ? <Text color={theme.muted}>none</Text> : null}
      {savings.topPatterns.slice(0, listRows).map((p) => (
        <Box key={p.id}>
          <Cell width={nameWidth}>{`#${p.id} ${p.signature}`}</Cell>
          <Cell width={9} align="right">
            {formatUsd(p.usd)}
          </Cell>
        </Box>
      ))}
    </Box>
  );
});
