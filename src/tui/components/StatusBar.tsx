import { memo } from 'react';
import { Box, Text } from 'ink';
import type { StatusResult } from '../../rpc/protocol.js';
import { formatCount, formatDuration } from '../format.js';
import type { ConnectionState } from '../hooks/use-connection.js';
import type { DashboardState } from '../state/dashboard.js';
import { useTheme } from '../theme.js';

export interface StatusBarProps {
  readonly connection: Pick<ConnectionState, 'status' | 'attempt' | 'lastError'>;
  readonly status: StatusResult | null;
  readonly patterns: number | null;
  readonly pending: DashboardState['pending'];
  readonly paused: boolean;
}

export const StatusBar = memo(function StatusBar({ connection, status, patterns, pending, paused }: StatusBarProps) {
  const theme = useTheme();
  const connected = connection.status === 'connected';
  const lag = status?.ingest.lagMs ?? null;
  const parts = [
    lag === null ? null : `lag ${formatDuration(lag)}`,
    `${formatCount(patterns ?? status?.counts.patterns ?? null)} patterns`,
    status === null ? null : `${formatCount(status.counts.toolCalls)} calls`,
    status === null || status.counts.quarantined === 0 ? null : `${formatCount(status.counts.quarantined)} quarantined`,
    pending === null ? null : `${pending.kind} #${pending.id}…`,
    status?.offloadEnabled === false ? 'offload switched off' : null,
    paused ? 'feed paused' : null,
  ].filter((p): p is string => p !== null);
  return (
    <Box>
      <Text wrap="truncate-end">
        {connected ? (
          <Text color={theme.ok}>● connected</Text>
        ) : (
          <Text color={theme.warn}>
            ◌ reconnecting{connection.attempt > 0 ? ` (attempt ${connection.attempt + 1})` : ''}
            {connection.lastError ? `: ${connection.lastError}` : ''}
          </Text>
        )}
        <Text color={theme.muted}>{` · ${parts.join(' · ')}`}</Text>
        {status !== null && status.warnings.length > 0 ? (
          <Text color={theme.warn}>{` · ⚠ ${status.warnings[0] ?? ''}`}</Text>
        ) : null}
      </Text>
    </Box>
  );
});
