import { memo } from 'react';
import { Box, Text } from 'ink';
import type { DaemonEvent } from '../../rpc/protocol.js';
import { formatClock } from '../format.js';
import { useTheme } from '../theme.js';

export interface EventFeedProps {
  /** The rows to show, oldest first (already windowed by the caller). */
  readonly events: readonly DaemonEvent[];
  readonly paused: boolean;
  /** Events that arrived while paused. */
  readonly unseen: number;
  readonly scrolledBack: number;
  readonly error: string | undefined;
  readonly height: number;
}

const KIND_LABEL: Readonly<Record<DaemonEvent['kind'], string>> = {
  hook_event: 'hook',
  tool_call: 'tool',
  usage: 'usage',
  workflow_run: 'workflow',
  quarantine: 'QUARANTINE',
  pattern: 'pattern',
  review: 'review',
  savings: 'savings',
  warning: 'WARNING',
};

/** Unknown kinds from a newer daemon are shown as sent, never a crash. */
function kindLabel(kind: string): string {
  return (KIND_LABEL as Readonly<Record<string, string | undefined>>)[kind] ?? kind;
}

export const EventFeed = memo(function EventFeed({
  events,
  paused,
  unseen,
  scrolledBack,
  error,
  height,
}: EventFeedProps) {
  const theme = useTheme();
  const title = [
    paused ? `PAUSED${unseen > 0 ? ` (+${unseen} new)` : ''} · p resumes` : 'live · p pauses',
    scrolledBack > 0 ? `${scrolledBack} newer below` : null,
    error === undefined ? null : `subscribe failed: ${error}`,
  ]
    .filter((x): x is string => x !== null)
    .join(' · ');
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text wrap="truncate-end" color={error !== undefined ? theme.danger : paused ? theme.warn : theme.muted}>
        {title}
      </Text>
      {events.length === 0 ? <Text color={theme.muted}>no events yet</Text> : null}
      {events.map((e, i) => (
        <Text key={`${e.seq}:${i}`} wrap="truncate-end">
          <Text color={theme.muted}>{formatClock(e.ts)} </Text>
          <Text color={theme.event[e.kind]} bold={e.kind === 'quarantine' || e.kind === 'warning'}>
            {kindLabel(e.kind).padEnd(10)}
          </Text>{' '}
          {String(e.summary).replace(/\s+/g, ' ')}
        </Text>
      ))}
    </Box>
  );
});
