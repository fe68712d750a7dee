import { memo } from 'react';
import { Box, Text } from 'ink';
import type { SavingsReplayResult, SavingsSummary } from '../../rpc/protocol.js';
import { formatTokens, formatUsd } from '../format.js';
import { useTheme } from '../theme.js';
import { Cell } from './Cell.js';
import { Sparkline } from './Sparkline.js';

export interface SavingsPaneProps {
  readonly savings: SavingsSummary | null;
  readonly error: string | undefined;
  /** the replay of the last 30 days' recorded outputs: what offloading would have saved */
  readonly replay: SavingsReplayResult | null;
  readonly replayError: string | undefined;
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

function pct(n: number | null): string {
  return n === null ? '–' : `${n.toFixed(0)}%`;
}

/** "Would have saved": the replay's totals and its best patterns, each figure labelled measured (replay). */
function WouldHaveSaved({
  replay,
  error,
  nameWidth,
  rows,
}: {
  readonly replay: SavingsReplayResult | null;
  readonly error: string | undefined;
  readonly nameWidth: number;
  readonly rows: number;
}) {
  const theme = useTheme();
  const title = (
    <Text bold color={theme.accent}>
      Would have saved <Text color={theme.muted}>(measured, replay of the last 30 days)</Text>
    </Text>
  );
  if (replay === null) {
    return (
      <>
        {title}
        <Text color={error === undefined ? theme.muted : theme.danger}>
          {error === undefined ? 'replaying recorded outputs…' : `replay: ${error}`}
        </Text>
      </>
    );
  }
  const t = replay.totals;
  if (t.calls === 0) {
    return (
      <>
        {title}
        <Text color={theme.muted}>no recorded Bash output to replay</Text>
      </>
    );
  }
  return (
    <>
      {title}
      <Box flexWrap="wrap">
        <Figure label="would have saved" value={formatUsd(t.savedUsd)} />
        <Figure label="tokens" value={formatTokens(t.savedTokens)} />
        <Figure label="reduction" value={pct(t.reductionPct)} />
        <Figure label="calls" value={String(t.calls)} />
      </Box>
      <Text wrap="truncate-end" color={theme.muted}>
        {`carry-over (cache reads, separate): ${formatTokens(t.carryOverTokens)} tok ${formatUsd(t.carryOverUsd)}`}
      </Text>
      {replay.byPattern.slice(0, rows).map((g) => (
        <Box key={g.key}>
          <Cell width={nameWidth}>{g.key}</Cell>
          <Cell width={9} align="right">
            {formatUsd(g.savedUsd)}
          </Cell>
          <Cell width={10} align="right" color={theme.muted}>
            {`${formatTokens(g.savedTokens)} tok`}
          </Cell>
        </Box>
      ))}
    </>
  );
}

export const SavingsPane = memo(function SavingsPane({
  savings,
  error,
  replay,
  replayError,
  width,
  height,
}: SavingsPaneProps) {
  const theme = useTheme();
  if (savings === null) {
    return (
      <Text color={error === undefined ? theme.muted : theme.danger}>
        {error === undefined ? 'loading savings…' : `savings: ${error}`}
      </Text>
    );
  }
  const nameWidth = Math.max(8, Math.min(32, width - 22));
  // titles, figures (≤ 2 lines each), sparkline and carry-over line; the rest is shared by three lists
  const listRows = Math.max(1, Math.floor((height - 11) / 3));
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text bold color={theme.accent}>
        Measured savings <Text color={theme.muted}>(offloaded and routed runs)</Text>
      </Text>
      <Box flexWrap="wrap">
        <Figure label="saved (runs) today" value={formatUsd(savings.todayUsd)} />
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
      <WouldHaveSaved replay={replay} error={replayError} nameWidth={nameWidth} rows={listRows} />
    </Box>
  );
});
