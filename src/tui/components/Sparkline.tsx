import { Text } from 'ink';

const BARS = '▁▂▃▄▅▆▇█';

/** The last `width` values as block characters scaled to their maximum. */
export function sparkline(values: readonly number[], width: number): string {
  const tail = values.slice(Math.max(0, values.length - Math.max(0, width)));
  const max = tail.reduce((m, v) => (Number.isFinite(v) && v > m ? v : m), 0);
  return tail
    .map((v) => {
      if (!(max > 0) || !Number.isFinite(v) || v <= 0) return BARS[0];
      return BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))];
    })
    .join('');
}

export interface SparklineProps {
  readonly values: readonly number[];
  readonly width: number;
  readonly color?: string | undefined;
}

export function Sparkline({ values, width, color }: SparklineProps) {
  return <Text color={color}>{values.length === 0 ? '(no data)' : sparkline(values, width)}</Text>;
}
