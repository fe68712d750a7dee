import { Text } from 'ink';
import { useTheme } from '../theme.js';

export interface PromptProps {
  readonly label: string;
  readonly text: string;
  readonly hint?: string;
  /** The hint is left out when it would not fit in this width. */
  readonly width: number;
}

/** A one-line text prompt; the block marks the cursor. */
export function Prompt({ label, text, hint, width }: PromptProps) {
  const theme = useTheme();
  return (
    <Text wrap="truncate-start">
      <Text bold color={theme.accent}>
        {label}
      </Text>
      {text}
      <Text inverse> </Text>
      {hint && label.length + text.length + hint.length + 3 <= width ? (
        <Text color={theme.muted}>{`  ${hint}`}</Text>
      ) : null}
    </Text>
  );
}
