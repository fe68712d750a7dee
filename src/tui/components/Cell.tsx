import { Box, Text } from 'ink';

export interface CellProps {
  readonly width: number;
  readonly align?: 'left' | 'right';
  readonly color?: string | undefined;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
  /** Columns of space after the cell. */
  readonly gap?: number;
  readonly children: string;
}

/** One fixed-width table cell; Ink truncates the text to the width, with an ellipsis. */
export function Cell({ width, align = 'left', color, bold, dim, inverse, gap = 0, children }: CellProps) {
  return (
    <Box width={width} marginRight={gap} flexShrink={0} justifyContent={align === 'right' ? 'flex-end' : 'flex-start'}>
      <Text wrap="truncate-end" color={color} bold={bold} dimColor={dim} inverse={inverse}>
        {children}
      </Text>
    </Box>
  );
}
