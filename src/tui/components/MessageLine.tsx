import { Text } from 'ink';
import type { DashboardState } from '../state/dashboard.js';
import { useTheme } from '../theme.js';

export interface MessageLineProps {
  readonly message: DashboardState['message'];
  readonly hint: string;
}

/** The result of the last action (✓ / ✗), or the key hints when there is nothing to say. */
export function MessageLine({ message, hint }: MessageLineProps) {
  const theme = useTheme();
  if (message === null) {
    return (
      <Text wrap="truncate-end" color={theme.muted}>
        {hint}
      </Text>
    );
  }
  const colour = message.tone === 'error' ? theme.danger : message.tone === 'ok' ? theme.ok : theme.info;
  const mark = message.tone === 'error' ? '✗ ' : message.tone === 'ok' ? '✓ ' : '';
  return (
    <Text wrap="truncate-end" color={colour}>
      {mark}
      {message.text}
    </Text>
  );
}
