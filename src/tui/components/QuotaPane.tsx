import { memo } from 'react';
import { Box, Text } from 'ink';
import { formatClock, formatPct, formatTokens, formatUsd } from '../format.js';
import type { DailyPoint, QuotaView, WindowView } from '../state/quota-view.js';
import { useTheme } from '../theme.js';
import { Gauge } from './Gauge.js';
import { Sparkline } from './Sparkline.js';

export interface QuotaPaneProps {
  readonly quota: QuotaView | null;
  readonly daily: readonly DailyPoint[];
  readonly error: string | undefined;
  readonly width: number;
  readonly height: number;
}

const LABEL = 9;

function Provenance({ value }: { readonly value: 'official' | 'estimated' }) {
  const theme = useTheme();
  return (
    <Text color={value === 'official' ? theme.ok : theme.muted}>
      {value === 'official' ? ' official' : ' estimated'}
    </Text>
  );
}

function WindowRows({
  label,
  w,
  gaugeWidth,
}: {
  readonly label: string;
  readonly w: WindowView;
  readonly gaugeWidth: number;
}) {
  const theme = useTheme();
  const colour = w.pct === null ? theme.info : w.pct >= 90 ? theme.danger : w.pct >= 70 ? theme.warn : theme.ok;
  const burn = [
    w.burnTokensPerMin === null ? null : `${formatTokens(w.burnTokensPerMin)} tok/min`,
    w.burnUsdPerHour === null ? null : `${formatUsd(w.burnUsdPerHour)}/h`,
  ].filter((x): x is string => x !== null);
  return (
    <>
      <Text wrap="truncate-end">
        <Text color={theme.muted}>{label.padEnd(LABEL)}</Text>
        <Gauge pct={w.pct} width={gaugeWidth} color={colour} /> {w.pct === null ? 'pct n/a' : formatPct(w.pct)}
        <Provenance value={w.provenance} />
      </Text>
      <Text wrap="truncate-end">
        {' '.repeat(LABEL)}
        {[
          `${formatTokens(w.tokens)} tok`,
          formatUsd(w.costUsd),
          ...burn,
          w.undatedRecords > 0 ? `${w.undatedRecords} undated` : null,
          w.resetsAt ? `resets ${formatClock(w.resetsAt, false)}` : null,
        ]
          .filter((x): x is string => x !== null)
          .join(' · ')}
      </Text>
    </>
  );
}

export const QuotaPane = memo(function QuotaPane({ quota, daily, error, width, height }: QuotaPaneProps) {
  const theme = useTheme();
  if (quota === null) {
    return (
      <Text color={error === undefined ? theme.muted : theme.danger}>
        {error === undefined ? 'loading forecast…' : `forecast: ${error}`}
      </Text>
    );
  }
  const gaugeWidth = Math.max(8, Math.min(40, width - LABEL - 24));
  const riskColour = theme.risk[quota.risk];
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text wrap="truncate-end">
        <Text color={theme.muted}>{'month'.padEnd(LABEL)}</Text>
        <Gauge pct={quota.usagePct} projectedPct={quota.projectedPct} width={gaugeWidth} color={riskColour} />{' '}
        <Text bold color={riskColour}>
          {quota.risk.toUpperCase()}
        </Text>
        <Provenance value={quota.provenance} />
      </Text>
      <Text wrap="truncate-end">
        {' '.repeat(LABEL)}
        {`${formatPct(quota.usagePct)} used → ${formatPct(quota.projectedPct)} projected · ${formatTokens(quota.monthToDateTokens)} of ${formatTokens(quota.limitTokens)} tok · ${quota.trend}`}
      </Text>
      <WindowRows label="5-hour" w={quota.fiveHour} gaugeWidth={gaugeWidth} />
      <WindowRows label="7-day" w={quota.sevenDay} gaugeWidth={gaugeWidth} />
      <Text wrap="truncate-end">
        <Text color={theme.muted}>{'throttle'.padEnd(LABEL)}</Text>
        {quota.throttle.recommended ? (
          <Text bold color={theme.danger}>
            RECOMMENDED
          </Text>
        ) : (
          <Text color={theme.ok}>not needed</Text>
        )}
      </Text>
      {quota.throttle.reasons.slice(0, Math.max(0, height - 9)).map((r, i) => (
        <Text key={i} wrap="truncate-end">
          {' '.repeat(LABEL)}· {r}
        </Text>
      ))}
      <Text wrap="truncate-end">
        <Text color={theme.muted}>{'daily'.padEnd(LABEL)}</Text>
        <Sparkline values={daily.map((d) => d.tokens)} width={Math.max(1, width - LABEL - 16)} color={theme.info} />
        {daily.length > 0 ? (
          <Text color={theme.muted}> {formatTokens(daily[daily.length - 1]?.tokens ?? 0)} today</Text>
        ) : null}
      </Text>
    </Box>
  );
});
